// SPDX-License-Identifier: GPL-2.0-only
#include "base/parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#define MAX_WORKERS 8

struct job {
	size_t n;
	atomic_size_t next;
	void (*fn)(void *ctx, size_t worker, size_t i);
	void *ctx;
};

struct worker {
	struct job *job;
	size_t id;
};

/* Items are taken one at a time: they differ in size, so no thread idles early. */
static void *work(void *arg)
{
	struct worker *w = arg;
	size_t i;

	while ((i = atomic_fetch_add(&w->job->next, 1)) < w->job->n)
		w->job->fn(w->job->ctx, w->id, i);
	return NULL;
}

size_t parallel_workers(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAX_WORKERS ? MAX_WORKERS : (size_t)n;
}

void parallel_for(size_t n, void (*fn)(void *ctx, size_t worker, size_t i), void *ctx)
{
	struct job job = { .n = n, .fn = fn, .ctx = ctx };
	struct worker w[MAX_WORKERS];
	pthread_t th[MAX_WORKERS];
	size_t nw = parallel_workers(), started = 0;

	atomic_init(&job.next, 0);
	if (nw > n)
		nw = n ? n : 1;
	for (size_t k = 0; k < nw; k++)
		w[k] = (struct worker){ &job, k };
	/* Worker 0 is this thread; one that cannot start leaves its share to the others. */
	for (size_t k = 1; k < nw; k++)
		if (!pthread_create(&th[started + 1], NULL, work, &w[started + 1]))
			started++;
	work(&w[0]);
	for (size_t k = 1; k <= started; k++)
		pthread_join(th[k], NULL);
}
