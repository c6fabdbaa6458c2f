// SPDX-License-Identifier: GPL-2.0-only
/*
 * The report's escaping and links: outside input renders as text (a
 * "<script>" in a reason stays text, quotes cannot end an attribute,
 * control characters show and NULs do not end a string early), log names
 * with ':' become URL paths that are never a scheme, and links are
 * relative to the page and refuse to lead out of a results directory.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "report/html.h"
#include "report/links.h"

static char buf[4096];

#define RENDER(call) ({ FILE *f_ = fmemopen(buf, sizeof(buf), "w"); call; fclose(f_); buf; })

TEST(script_renders_as_text)
{
	ASSERT_STREQ("&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;",
		     RENDER(html_esc(f_, "<script>alert(\"x\" & 'y')</script>")));
}

TEST(control_characters_show_and_nul_does_not_cut)
{
	ASSERT_STREQ("a&#x2400;b&#x241B;[0m&#x2421;\tz\n", RENDER(html_esc_n(f_, "a\0b\033[0m\177\tz\n", 11)));
}

TEST(json_values_as_text)
{
	json_object *o = json_tokener_parse("{\"s\":\"<b>\",\"n\":12,\"t\":true,\"z\":null}");

	ASSERT_STREQ("&lt;b&gt;", RENDER(html_esc_json(f_, json_object_object_get(o, "s"))));
	ASSERT_STREQ("12", RENDER(html_esc_json(f_, json_object_object_get(o, "n"))));
	ASSERT_STREQ("true", RENDER(html_esc_json(f_, json_object_object_get(o, "t"))));
	ASSERT_STREQ("unknown", RENDER(html_esc_json(f_, json_object_object_get(o, "z"))));
	json_object_put(o);
}

TEST(url_paths_are_percent_encoded)
{
	ASSERT_STREQ("./results/attach%400000%3A00%3A04.0.ktap",
		     RENDER(html_url_path(f_, "./results/attach@0000:00:04.0.ktap")));
	ASSERT_STREQ("../a%20b/%23x%3Fy%22%3E%C3%A9", RENDER(html_url_path(f_, "../a b/#x?y\">\xc3\xa9")));
}

TEST(links_are_relative_to_the_page)
{
	char dir[] = "/tmp/snoop-report-links-XXXXXX", path[PATH_MAX], *rel, *real;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a/b", dir);
	ASSERT_EQ(0, mkdir_p(path));
	snprintf(path, sizeof(path), "%s/c", dir);
	ASSERT_EQ(0, mkdir_p(path));
	snprintf(path, sizeof(path), "%s/a/b/x.json", dir);
	ASSERT_EQ(0, write_file_atomic(path, "{}", 2));
	real = realpath(dir, NULL);
	snprintf(path, sizeof(path), "%s/c", real);
	rel = link_rel(path, dir);
	ASSERT_STREQ("..", rel);
	free(rel);
	snprintf(path, sizeof(path), "%s/a/b/x.json", dir);
	snprintf(buf, sizeof(buf), "%s/c", real);
	rel = link_rel(buf, path);
	ASSERT_STREQ("../a/b/x.json", rel);
	free(rel);
	rel = link_rel(real, path);
	ASSERT_STREQ("./a/b/x.json", rel);
	free(rel);
	snprintf(path, sizeof(path), "%s/a/b/missing", dir);
	errno = 0;
	ASSERT_EQ(NULL, link_rel(real, path));
	ASSERT_EQ(ENOENT, errno);
	free(real);
	ASSERT_EQ(0, remove_tree(dir));
}

TEST(names_that_lead_out_are_refused)
{
	ASSERT_TRUE(link_name_stays("results"));
	ASSERT_TRUE(link_name_stays("a/b..c/d"));
	ASSERT_FALSE(link_name_stays("/etc"));
	ASSERT_FALSE(link_name_stays("../x"));
	ASSERT_FALSE(link_name_stays("a/../../x"));
	ASSERT_FALSE(link_name_stays(""));
}

TEST_HARNESS_MAIN
