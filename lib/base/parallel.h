/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Independent work items spread over the machine's CPUs: reading and
 * checking thousands of results files (runner compare, report) is parsing
 * that needs nothing from the other files, so it need not wait for them.
 */
#ifndef SNOOP_PARALLEL_H
#define SNOOP_PARALLEL_H

#include <stddef.h>

/*
 * Call fn(ctx, worker, i) once for every i < n, on up to parallel_workers()
 * threads (the caller's is worker 0), each i on one of them, in no set
 * order; returns when all are done. worker < parallel_workers() tells a
 * call which thread it is on, for state of its own. Where no thread can be
 * started, the caller does them all.
 */
void parallel_for(size_t n, void (*fn)(void *ctx, size_t worker, size_t i), void *ctx);
/* How many threads parallel_for() uses: the CPUs online, at most 8 (at least 1). */
size_t parallel_workers(void);

#endif
