/* SPDX-License-Identifier: GPL-2.0-only */
/* results/schema.json, built into the binary so validate works anywhere. */
#ifndef SNOOP_SCHEMA_DATA_H
#define SNOOP_SCHEMA_DATA_H

extern const char results_schema_json[];

#endif
