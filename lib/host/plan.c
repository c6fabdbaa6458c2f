// SPDX-License-Identifier: GPL-2.0-only
#include "host/plan.h"

#include "base/scratch.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int plan_pick_partner(const char *self, int self_capable,
		      const struct plan_candidate *c, size_t n)
{
	int chosen = -1;

	for (size_t i = 0; i < n; i++) {
		if (!strcmp(c[i].bdf, self) || c[i].capable < 0)
			continue;
		if (c[i].capable != self_capable)
			return (int)i;
		if (chosen < 0)
			chosen = (int)i;
	}
	return chosen;
}

static void add_env(struct device_plan *p, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add_env(struct device_plan *p, size_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->env_buf[*n], sizeof(p->env_buf[*n]), fmt, ap);
	va_end(ap);
	p->env[*n] = p->env_buf[*n];
	p->env[++*n] = NULL;
}

void plan_device(struct device_plan *p, const char *bdf, const struct lab_device *lab,
		 const char *partner, const char *devices)
{
	size_t n = 0;

	memset(p, 0, sizeof(*p));
	snprintf(p->bdf, sizeof(p->bdf), "%s", bdf);
	snprintf(p->partner, sizeof(p->partner), "%s", partner ? partner : "");
	if (lab && lab->scratch_nsid && lab->scratch_lba_count) {
		p->scratch_nsid = lab->scratch_nsid;
		p->scratch_lba_start = lab->scratch_lba_start;
		p->scratch_lba_count = lab->scratch_lba_count;
	}
	add_env(p, &n, "SNOOPCHECK_DEVICES=%s", devices ? devices : p->bdf);
	if (p->partner[0])
		add_env(p, &n, "SNOOPCHECK_DEVICE2=%s", p->partner);
	if (p->scratch_lba_count) {
		struct scratch_range r = { p->scratch_lba_start, p->scratch_lba_count };
		char lba[64];

		scratch_format(&r, lba, sizeof(lba));
		add_env(p, &n, "SNOOPCHECK_SCRATCH_NSID=%u", p->scratch_nsid);
		add_env(p, &n, "SNOOPCHECK_SCRATCH_LBA=%s", lba);
	}
}
