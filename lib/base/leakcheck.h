/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Whether what a command holds until the process exits is freed first:
 * only where a leak checker watches (the sanitized test and fuzz builds),
 * so it can tell a leak from memory simply still held, as git's UNLEAK()
 * does. Elsewhere exit() hands the address space back at once: freeing
 * 20,000 parsed results files one json-c object at a time was a quarter
 * of runner compare's time over 10,000 files a side.
 */
#ifndef SNOOP_LEAKCHECK_H
#define SNOOP_LEAKCHECK_H

#include <stdbool.h>

#if defined(__SANITIZE_ADDRESS__)
#define SNOOP_LEAK_CHECKED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define SNOOP_LEAK_CHECKED 1
#endif
#endif

static inline bool free_before_exit(void)
{
#ifdef SNOOP_LEAK_CHECKED
	return true;
#else
	return false;
#endif
}

#endif
