// SPDX-License-Identifier: GPL-2.0-only
#include "suite/evidence.h"

void evidence_emit(FILE *f, struct json_object *o)
{
	if (!o)
		return;
	/* PLAIN: no newlines inside, so one fact is one KTAP line. */
	fprintf(f, "%s%s\n", EVIDENCE_PREFIX,
		json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						  JSON_C_TO_STRING_NOSLASHESCAPE));
	fflush(f);
	json_object_put(o);
}
