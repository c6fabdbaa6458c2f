/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small JSON Schema validator over json-c, for the subset
 * results/schema.json uses: type (one or a list; "integer", "null"),
 * required, properties, additionalProperties (boolean), items, enum,
 * const, minimum, pattern (POSIX ERE) and "$ref": "#/$defs/NAME". Every
 * problem is reported, each with its JSON path ("$.tests[3].outcome").
 */
#ifndef SNOOP_JSCHEMA_H
#define SNOOP_JSCHEMA_H

#include <stdio.h>

#include <json.h>

/*
 * Print "prefix: $.path: message" per problem to err; return the count.
 * What is read of each schema object is kept on it (json-c userdata) for
 * the next document: one schema is checked against on one thread at a time.
 */
int jschema_validate(json_object *schema, json_object *doc, const char *prefix,
		     FILE *err);

#endif
