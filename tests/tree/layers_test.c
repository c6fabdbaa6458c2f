// SPDX-License-Identifier: GPL-2.0-only
/*
 * The layering, checked on the tree itself: lib/ is one folder per layer
 * (README.md, "Layout"), and a file never includes a file of a higher
 * layer, nor do two modules (a .c and its .h) include each other, however
 * long the way round. A call needs its header, so no include cycle means
 * no two files call each other.
 */
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"

/* Bottom to top; a file may include its own layer or any below it. */
static const char *const layers[] = {
	"lib/base", "lib/sysfs", "lib/workload", "lib/discover", "lib/host",
	"lib/vfio", "lib/drivers", "lib/suite", "lib/judge", "lib/export", "lib/report", "lib/vm",
	"commands", "suites", "runner.c",
};
#define N_LAYERS (sizeof(layers) / sizeof(layers[0]))

#define MAX_MODULES 256
#define MAX_EDGES 2048

struct edge {
	char from[PATH_MAX], to[PATH_MAX];	/* files, relative to the tree */
};

static char modules[MAX_MODULES][PATH_MAX];	/* path without .c/.h */
static size_t n_modules;
static struct edge edges[MAX_EDGES];
static size_t n_edges;
static char unknown[4096];

static int layer_of(const char *path)
{
	for (size_t i = 0; i < N_LAYERS; i++) {
		size_t n = strlen(layers[i]);

		if (!strncmp(path, layers[i], n) && (path[n] == '/' || !path[n]))
			return (int)i;
	}
	return -1;
}

static size_t module_of(const char *file)
{
	char m[PATH_MAX];
	char *dot;

	snprintf(m, sizeof(m), "%s", file);
	dot = strrchr(m, '.');
	if (dot)
		*dot = '\0';
	for (size_t i = 0; i < n_modules; i++)
		if (!strcmp(modules[i], m))
			return i;
	if (n_modules == MAX_MODULES)
		abort();
	snprintf(modules[n_modules], PATH_MAX, "%s", m);
	return n_modules++;
}

static bool exists(const char *rel)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", SNOOP_SRCDIR, rel);
	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/* "X" as the compiler finds it: beside the file, else under lib/. */
static bool resolve(const char *file, const char *inc, char *out, size_t len)
{
	const char *slash = strrchr(file, '/');

	if (slash && snprintf(out, len, "%.*s/%s", (int)(slash - file), file, inc) < (int)len &&
	    exists(out))
		return true;
	if (snprintf(out, len, "lib/%s", inc) < (int)len && exists(out))
		return true;
	return snprintf(out, len, "%s", inc) < (int)len && exists(out);
}

static void scan(const char *rel)
{
	char path[PATH_MAX], line[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", SNOOP_SRCDIR, rel);
	f = fopen(path, "r");
	if (!f)
		return;
	module_of(rel);
	while (fgets(line, sizeof(line), f)) {
		char inc[PATH_MAX], to[PATH_MAX];

		if (sscanf(line, " #include \"%1023[^\"]\"", inc) != 1 ||
		    !resolve(rel, inc, to, sizeof(to)))
			continue;
		if (n_edges == MAX_EDGES)
			abort();
		snprintf(edges[n_edges].from, PATH_MAX, "%s", rel);
		snprintf(edges[n_edges++].to, PATH_MAX, "%s", to);
		module_of(to);
	}
	fclose(f);
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *rel = path + strlen(SNOOP_SRCDIR) + 1;
	size_t n = strlen(rel);

	(void)st;
	(void)ftw;
	if (type != FTW_F || n < 3 || (strcmp(rel + n - 2, ".c") && strcmp(rel + n - 2, ".h")))
		return 0;
	if (layer_of(rel) < 0 && strlen(unknown) + n + 2 < sizeof(unknown)) {
		strcat(unknown, rel);
		strcat(unknown, " ");
	}
	scan(rel);
	return 0;
}

static void load_tree(void)
{
	static const char *const roots[] = { "lib", "commands", "suites" };
	char path[PATH_MAX];

	if (n_modules)
		return;
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", SNOOP_SRCDIR, roots[i]);
		nftw(path, visit, 16, FTW_PHYS);
	}
	scan("runner.c");
}

TEST(every_file_sits_in_a_known_layer)
{
	load_tree();
	ASSERT_LT(40, n_modules) TH_LOG("the tree was not found under %s", SNOOP_SRCDIR);
	EXPECT_STREQ("", unknown) TH_LOG("add the folder to layers[] and README.md's layout");
}

TEST(no_file_includes_a_higher_layer)
{
	int bad = 0;

	load_tree();
	ASSERT_LT(100, n_edges);
	for (size_t i = 0; i < n_edges; i++) {
		int from = layer_of(edges[i].from), to = layer_of(edges[i].to);

		if (to > from) {
			TH_LOG("%s includes %s, a higher layer (%s above %s)", edges[i].from,
			       edges[i].to, layers[to], layers[from]);
			bad++;
		}
	}
	EXPECT_EQ(0, bad);
}

/* Depth-first over modules: 0 unseen, 1 on the current path, 2 done. */
static int state[MAX_MODULES];
static size_t path_stack[MAX_MODULES], depth;

static bool cycle_from(size_t m, char *why, size_t len)
{
	state[m] = 1;
	path_stack[depth++] = m;
	for (size_t i = 0; i < n_edges; i++) {
		size_t a = module_of(edges[i].from), b = module_of(edges[i].to);

		if (a != m || a == b)
			continue;
		if (state[b] == 1) {
			size_t k = 0, used = 0;

			while (path_stack[k] != b)
				k++;
			for (; k < depth; k++)
				used += (size_t)snprintf(why + used, used < len ? len - used : 0,
							 "%s -> ", modules[path_stack[k]]);
			snprintf(why + used, used < len ? len - used : 0, "%s", modules[b]);
			return true;
		}
		if (!state[b] && cycle_from(b, why, len))
			return true;
	}
	depth--;
	state[m] = 2;
	return false;
}

TEST(no_two_modules_include_each_other)
{
	char why[8192] = "";
	bool found = false;

	load_tree();
	memset(state, 0, sizeof(state));
	depth = 0;
	for (size_t m = 0; m < n_modules && !found; m++)
		if (!state[m])
			found = cycle_from(m, why, sizeof(why));
	EXPECT_FALSE(found) TH_LOG("include cycle: %s", why);
}

TEST_HARNESS_MAIN
