// SPDX-License-Identifier: GPL-2.0-only
/*
 * kprobe: the text the suite writes to tracefs and reads back, against a
 * fake tracefs directory laid out as the kernel lays it out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "suite/kprobe.h"

FIXTURE(fake) {
	char root[64];
	char enable[PATH_MAX + 16];
	char name[64];
};

static void put(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	fputs(s, f);
	fclose(f);
}

static char *slurp(const char *root, const char *rel)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	return read_file(p, NULL);
}

FIXTURE_SETUP(fake)
{
	char p[PATH_MAX];

	strcpy(self->root, "/tmp/snoop-tracefs-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->root));
	snprintf(self->name, sizeof(self->name), "kvm_reg_%ld", (long)getpid());
	/* What the kernel creates when the definition is written. */
	snprintf(p, sizeof(p), "%s/events/" KPROBE_GROUP "/%s", self->root, self->name);
	ASSERT_EQ(0, mkdir_p(p));
	snprintf(self->enable, sizeof(self->enable), "%s/enable", p);
	put(self->enable, "0\n");
	snprintf(p, sizeof(p), "%s/kprobe_events", self->root);
	put(p, "p:other/theirs do_sys_open\n");
}

FIXTURE_TEARDOWN(fake)
{
	remove_tree(self->root);
}

TEST_F(fake, add_appends_the_definition_and_enables)
{
	struct kprobe k;
	char why[256], id[128];
	char *ev, *en;

	ASSERT_EQ(0, kprobe_add(&k, self->root, "kvm_reg",
				"kvm_arch_register_noncoherent_dma", why, sizeof(why))) TH_LOG("%s", why);
	ev = slurp(self->root, "kprobe_events");
	/* Another owner's probe stays: the file is appended to, never truncated. */
	EXPECT_EQ(0, strncmp(ev, "p:other/theirs do_sys_open\n", 27));
	EXPECT_NE(NULL, strstr(ev, "\np:" KPROBE_GROUP "/kvm_reg_"));
	EXPECT_NE(NULL, strstr(ev, " kvm_arch_register_noncoherent_dma\n"));
	en = read_file(self->enable, NULL);
	EXPECT_STREQ("1\n", en);
	kprobe_id(&k, id, sizeof(id));
	EXPECT_EQ(0, strncmp(id, KPROBE_GROUP "/kvm_reg_", strlen(KPROBE_GROUP) + 9));
	free(ev);
	free(en);
	EXPECT_EQ(0, kprobe_remove(&k));
}

TEST_F(fake, hits_come_from_the_profile_line_of_this_probe)
{
	struct kprobe k;
	char why[256], profile[512], p[PATH_MAX];

	ASSERT_EQ(0, kprobe_add(&k, self->root, "kvm_reg",
				"kvm_arch_register_noncoherent_dma", why, sizeof(why)));
	snprintf(p, sizeof(p), "%s/kprobe_profile", self->root);
	EXPECT_GT(0, kprobe_hits(&k));		/* no profile: an error, not zero */
	snprintf(profile, sizeof(profile),
		 "  theirs                                                     7               0\n"
		 "  %-44s %15lu %15lu\n", self->name, 3UL, 0UL);
	put(p, profile);
	EXPECT_EQ(3, kprobe_hits(&k));
	/* A probe not listed is not "never hit". */
	put(p, "  theirs 7 0\n");
	EXPECT_GT(0, kprobe_hits(&k));
	kprobe_remove(&k);
}

TEST_F(fake, remove_disables_then_deletes_only_its_own)
{
	struct kprobe k;
	char why[256], del[128];
	char *ev, *en;

	ASSERT_EQ(0, kprobe_add(&k, self->root, "kvm_reg",
				"kvm_arch_register_noncoherent_dma", why, sizeof(why)));
	EXPECT_EQ(0, kprobe_remove(&k));
	en = read_file(self->enable, NULL);
	EXPECT_STREQ("0\n", en);
	ev = slurp(self->root, "kprobe_events");
	snprintf(del, sizeof(del), "\n-:" KPROBE_GROUP "/%s\n", self->name);
	EXPECT_NE(NULL, strstr(ev, del));
	EXPECT_EQ(NULL, strstr(ev, "-:other"));
	/* Twice is harmless: nothing more is written. */
	free(ev);
	ev = slurp(self->root, "kprobe_events");
	EXPECT_EQ(0, kprobe_remove(&k));
	{
		char *again = slurp(self->root, "kprobe_events");

		EXPECT_STREQ(ev, again);
		free(again);
	}
	free(ev);
	free(en);
}

TEST_F(fake, a_probe_that_cannot_be_enabled_is_removed_again)
{
	struct kprobe k;
	char why[256];
	char *ev;

	/* No events directory for this name: the kernel refused the symbol. */
	EXPECT_GT(0, kprobe_add(&k, self->root, "kvm_unreg",
				"kvm_arch_unregister_noncoherent_dma", why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "kvm_arch_unregister_noncoherent_dma"));
	ev = slurp(self->root, "kprobe_events");
	EXPECT_NE(NULL, strstr(ev, "-:" KPROBE_GROUP "/kvm_unreg_"));
	EXPECT_FALSE(k.added);
	free(ev);
}

TEST(missing_kprobe_events_names_the_option)
{
	struct kprobe k;
	char why[256];

	EXPECT_GT(0, kprobe_add(&k, "/nonexistent", "x", "f", why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "CONFIG_KPROBES"));
}

TEST_HARNESS_MAIN
