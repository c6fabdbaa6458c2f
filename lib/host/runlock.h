/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One runner at a time may change bindings: two would record each other's
 * vfio-pci as the "original" driver. flock() on DIR/lock, held for the
 * runner's life and dropped by the kernel however it dies; the holder's pid
 * is written into the file so a refused runner can name it.
 */
#ifndef SNOOP_RUNLOCK_H
#define SNOOP_RUNLOCK_H

#include <stdio.h>

/*
 * Take DIR/lock (creating DIR 0700; a DIR that rundir.h refuses is
 * refused with its reason). Returns the lock fd (keep it open), -EBUSY
 * with "... held by pid N" printed to err, or another -errno with a message.
 */
int runlock_take(const char *dir, FILE *err);
void runlock_release(int fd);

#endif
