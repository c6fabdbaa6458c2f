/* SPDX-License-Identifier: GPL-2.0-only */
/* One clock for deadlines and durations: monotonic, so a wall-clock step
 * (NTP, a lab machine's RTC) never stretches or cuts a timeout. */
#ifndef SNOOP_CLOCK_H
#define SNOOP_CLOCK_H

/* Seconds since an arbitrary fixed point (CLOCK_MONOTONIC). */
double monotonic_s(void);

#endif
