// SPDX-License-Identifier: GPL-2.0-only
#include "base/fact.h"

const char *fact_name(enum fact f)
{
	return f == FACT_YES ? "yes" : f == FACT_NO ? "no" : "unknown";
}
