/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the LAVA tests expect of a case, said once: the LAVA result of one
 * of our outcomes (the gate's failures fail, xfail passes as the kselftest
 * harness counts it) and of a verdict (a failing label fails, inconclusive
 * skips, any other passes), and LAVA's case-name alphabet.
 */
#ifndef SNOOP_TESTS_LAVACASE_H
#define SNOOP_TESTS_LAVACASE_H

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "base/jsonfile.h"
#include "judge/rundoc.h"

static const char *__attribute__((unused)) lava_result(const char *outcome)
{
	static const char *const map[][2] = {
		{ "pass", "pass" }, { "xfail", "pass" }, { "skip", "skip" },
		{ "fail", "fail" }, { "error", "fail" }, { "timeout", "fail" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (outcome && !strcmp(outcome, map[i][0]))
			return map[i][1];
	return "unknown";
}

static const char *__attribute__((unused)) lava_verdict_result(json_object *v)
{
	json_object *label = NULL;

	if (rundoc_verdict_fails(v))
		return "fail";
	json_object_object_get_ex(v, "label", &label);
	return label && !strcmp(json_object_get_string(label), "inconclusive") ? "skip" : "pass";
}

static bool __attribute__((unused)) lava_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-'))
			return false;
	return true;
}

/*
 * The case LAVA recorded for tests[] entry t (its name, result and seconds,
 * NaN when none): the result its outcome maps to, a name in its suite, and
 * its duration exactly, or none for a null one. Needs kselftest_harness.h.
 */
static void __attribute__((unused)) lava_case_is_test(struct __test_metadata *_metadata,
						      json_object *t, const char *name,
						      const char *result, double secs)
{
	json_object *d = jmember(t, "duration_s");
	const char *suite = jmember_str(t, "suite");

	EXPECT_STREQ(lava_result(jmember_str(t, "outcome")), result) TH_LOG("%s", name);
	EXPECT_EQ(0, strncmp(name, suite, strlen(suite))) TH_LOG("%s", name);
	if (d) {
		EXPECT_EQ(json_object_get_double(d), secs) TH_LOG("%s", name);
	} else {
		EXPECT_TRUE(isnan(secs)) TH_LOG("%s: a null duration measured", name);
	}
}

#endif
