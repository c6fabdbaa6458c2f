/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unsigned numbers as people write them in config values and options:
 * decimal, or hex after 0x / 0X. Never octal: "010" is ten, which is what
 * a person means in a lab config (strtoull with base 0 would read eight,
 * and refuse "08"). No sign, no blanks, at least one digit.
 */
#ifndef SNOOP_NUMBER_H
#define SNOOP_NUMBER_H

#include <stddef.h>
#include <stdint.h>

/* The whole of s. 0; -EINVAL for no digits or anything after them; -ERANGE past UINT64_MAX. */
int number_parse_u64(const char *s, uint64_t *out);

/*
 * A number at the start of s, read up to the first character that is not
 * one of its digits (a delimiter such as '+'); *end points there. Same
 * returns, nothing after the digits is looked at. A hex letter right after
 * decimal digits ("1a") is -EINVAL, not a delimiter.
 */
int number_scan_u64(const char *s, uint64_t *out, const char **end);

/*
 * A --timeout: whole seconds, 1 to TIMEOUT_MAX_S (a week; no run here
 * takes longer, and past it a typo is likelier than a wish). 0; -EINVAL
 * for what number_parse_u64() refuses; -ERANGE for 0 or past the limit.
 */
#define TIMEOUT_MAX_S (7 * 24 * 3600)
int number_parse_timeout(const char *s, int *seconds);

/*
 * d (finite) in the fewest significant digits that read back as the same
 * double, into buf: 132.114857845, not json-c's or %.17g's
 * 132.11485784499999. A measurement copied from a results file keeps its
 * value, and no digit it never had.
 */
void number_shortest(char *buf, size_t len, double d);

#endif
