// SPDX-License-Identifier: GPL-2.0-only
/*
 * Golden replay of real platforms: every capture under
 * tests/fixtures/platforms/ goes through `runner list --from` (the sanitized
 * build) and must print exactly its expected-list.{txt,json}. Independently,
 * the Enable No Snoop bit we decode must equal what pciutils' own lspci
 * prints (NoSnoop+/-) for every device in every dump.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>
#include <kselftest_harness.h>

#include "base/subprocess.h"

#include "base/fsutil.h"
#include "sysfs/sysroot.h"

#define PLATFORMS "tests/fixtures/platforms"
#define RUNNER "build/t/runner"

static int platform_dirs(char names[][256], int max)
{
	struct dirent **list;
	int n = scandir(PLATFORMS, &list, NULL, alphasort), k = 0;

	for (int i = 0; i < n; i++) {
		char path[PATH_MAX];

		path_fmt(path, sizeof(path), PLATFORMS "/%s/lspci-xxxx.txt", list[i]->d_name);
		if (k < max && !access(path, R_OK))
			snprintf(names[k++], 256, "%s", list[i]->d_name);
		free(list[i]);
	}
	free(list);
	return k;
}

TEST(every_platform_replays_to_its_golden_output)
{
	static const char *const forms[][2] = {
		{ "", "expected-list.txt" }, { "--json ", "expected-list.json" },
	};
	char names[64][256];
	int n = platform_dirs(names, 64);

	/* The coverage the project promises: at least 6 real platforms. */
	ASSERT_GE(n, 6);
	for (int i = 0; i < n; i++) {
		for (int f = 0; f < 2; f++) {
			char cmd[PATH_MAX], path[PATH_MAX], *got, *want;
			int st;

			path_fmt(cmd, sizeof(cmd), RUNNER " list %s--from " PLATFORMS "/%s",
				 forms[f][0], names[i]);
			path_fmt(path, sizeof(path), PLATFORMS "/%s/%s", names[i], forms[f][1]);
			got = run_capture(cmd, &st);
			want = read_file(path, NULL);
			ASSERT_NE(NULL, got);
			EXPECT_EQ(0, st) TH_LOG("%s exited %d", cmd, st);
			EXPECT_NE(NULL, want) TH_LOG("%s missing: run tests/update-golden.sh", path);
			if (want)
				EXPECT_STREQ(want, got) TH_LOG("%s differs from %s", cmd, path);
			free(got);
			free(want);
		}
	}
}

/* lspci -vv prints "DevCtl:" and, a line or two later, NoSnoop+ or -. */
static int lspci_nosnoop(const char *text, const char *bdf)
{
	const char *p = text;

	while ((p = strstr(p, bdf))) {
		const char *next, *dc, *ns;

		if (p != text && p[-1] != '\n') {
			p++;
			continue;
		}
		next = strstr(p + 1, "\n\n");
		dc = strstr(p, "DevCtl:\t");
		if (!dc || (next && dc > next))
			return -1;	/* no PCIe capability */
		ns = strstr(dc, "NoSnoop");
		if (!ns || (next && ns > next))
			return -1;
		return ns[7] == '+';
	}
	return -2;	/* lspci did not list it */
}

TEST(enable_no_snoop_matches_lspci_for_every_device)
{
	char names[64][256];
	int n = platform_dirs(names, 64), total = 0, pcie = 0;

	for (int i = 0; i < n; i++) {
		char cmd[PATH_MAX], *lspci, *ours;
		json_object *root, *devs;
		int st;

		/* -D: print domains so names match ours. */
		path_fmt(cmd, sizeof(cmd), "lspci -D -vv -F " PLATFORMS "/%s/lspci-xxxx.txt 2>&1",
			 names[i]);
		lspci = run_capture(cmd, &st);
		ASSERT_EQ(0, st) TH_LOG("%s failed:\n%s", cmd, lspci);
		path_fmt(cmd, sizeof(cmd), RUNNER " list --json --from " PLATFORMS "/%s", names[i]);
		ours = run_capture(cmd, &st);
		ASSERT_EQ(0, st);
		root = json_tokener_parse(ours);
		ASSERT_NE(NULL, root);
		ASSERT_TRUE(json_object_object_get_ex(root, "devices", &devs));
		for (size_t d = 0; d < json_object_array_length(devs); d++) {
			json_object *dev = json_object_array_get_idx(devs, d), *ens, *bdf;
			int want, got;

			json_object_object_get_ex(dev, "bdf", &bdf);
			json_object_object_get_ex(dev, "enable_no_snoop", &ens);
			want = lspci_nosnoop(lspci, json_object_get_string(bdf));
			got = ens ? json_object_get_boolean(ens) : -1;
			total++;
			EXPECT_NE(-2, want) TH_LOG("%s: lspci does not list %s", names[i],
						   json_object_get_string(bdf));
			if (want < 0) {
				/* No DevCtl: we must not claim the bit is set. */
				EXPECT_NE(1, got) TH_LOG("%s %s", names[i], json_object_get_string(bdf));
				continue;
			}
			pcie++;
			EXPECT_EQ(want, got) TH_LOG("%s %s: lspci NoSnoop%c, we say %d", names[i],
						    json_object_get_string(bdf), want ? '+' : '-', got);
		}
		json_object_put(root);
		free(lspci);
		free(ours);
	}
	/* The coverage the project promises: at least 10 real devices. */
	EXPECT_GE(total, 10);
	EXPECT_GE(pcie, 10);
}

TEST_HARNESS_MAIN
