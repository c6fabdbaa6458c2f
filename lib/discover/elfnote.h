/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ELF notes as the kernel exposes its own in /sys/kernel/notes (the
 * vmlinux .notes section, kernel/ksysfs.c): a run of Elf_Nhdr records,
 * each name and descriptor padded to 4 bytes, in the machine's byte order.
 * The GNU build-id (NT_GNU_BUILD_ID, written by the linker from the whole
 * image) is what really tells one kernel build from another: two builds
 * of the same release and version string differ there.
 */
#ifndef SNOOP_ELFNOTE_H
#define SNOOP_ELFNOTE_H

#include <stddef.h>

/* The longest build-id accepted, in bytes (ld's sha1 is 20, md5 16, uuid 16). */
#define ELFNOTE_BUILD_ID_MAX 64

/*
 * The GNU build-id in data[len] as lower-case hex into hex (at least
 * 2 * ELFNOTE_BUILD_ID_MAX + 1 bytes). 0 found; -ENOENT the notes hold
 * none; -EINVAL a record runs past the end or is malformed (why in why,
 * with its byte offset), why may be NULL.
 */
int elfnote_build_id(const void *data, size_t len, char *hex, size_t hexlen,
		     char *why, size_t whylen);

#endif
