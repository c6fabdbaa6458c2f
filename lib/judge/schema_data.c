// SPDX-License-Identifier: GPL-2.0-only
/*
 * The results schema, included byte for byte at build time (the Makefile
 * makes this object depend on results/schema.json), NUL-terminated.
 */
#include "judge/schema_data.h"

__asm__(".section .rodata\n"
	".global results_schema_json\n"
	".type results_schema_json, @object\n"
	"results_schema_json:\n"
	".incbin \"" SNOOP_SRCDIR "/results/schema.json\"\n"
	".byte 0\n"
	".previous\n");
