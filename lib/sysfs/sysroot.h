/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every file discovery reads under /sys, /proc and /dev goes through here.
 * Live, paths are read as they are; in replay they are read under a capture
 * directory; while capturing, every successful read is also copied into the
 * capture directory at the same path. So a capture holds exactly what
 * discovery read, and replay reads it through the same code.
 *
 * A capture stores sysfs links as links. Replay follows them as the kernel
 * would, but only inside the capture: a link that leads out of it (an
 * absolute target, or ".." past its top) is refused with a message naming
 * it (EXDEV), so a capture cannot make replay read any other file of the
 * machine. Writes into a capture are held inside it the same way.
 */
#ifndef SNOOP_SYSROOT_H
#define SNOOP_SYSROOT_H

#include <stddef.h>
#include <stdint.h>

/* NULL or "" reads the live machine. */
void sysroot_replay_from(const char *dir);
/*
 * Copy every successful read under dir; NULL stops capturing. dir is made
 * here (with its parents), or is an empty directory of this user that
 * others may not write. One that is not empty, that others may write or
 * that is a link is refused: planted links could steer the capture's
 * writes, done as root. 0, or -errno with the reason said on stderr.
 */
int sysroot_capture_to(const char *dir);
/* A file of the capture's own (path inside it, e.g. "/lspci-xxxx.txt"). 0 or -errno. */
int sysroot_capture_write(const char *path, const void *data, size_t len);
/* The replay directory, or NULL when live. */
const char *sysroot_replay_dir(void);

/*
 * The most sysfs_read() takes from one file: sysfs attributes hold a page,
 * /proc tables far less than this; a larger file is refused (EFBIG).
 */
#define SYSFS_READ_MAX ((size_t)1 << 20)

/*
 * Whole file, trailing newlines removed; cut at len - 1 bytes. Only a
 * regular file is read, never through a link as the last component
 * (sysfs attributes are neither): ENOTSUP, ELOOP. 0 or -errno.
 */
int sysfs_read(const char *path, char *buf, size_t len);
/*
 * The same rules, for a file whose bytes matter as they are (an ELF note
 * file, a gzip'd config): *data is malloc'd (caller frees), *len its
 * length, nothing stripped; the capture keeps it byte for byte. 0 or -errno.
 */
int sysfs_read_bin(const char *path, char **data, size_t *len);
/* A number in the given base (0: C rules, 16 accepts no "0x"). 0 or -errno. */
int sysfs_read_u64(const char *path, int base, uint64_t *val);
/* Last path component of a symlink's target, e.g. "dmar0". 0 or -errno. */
int sysfs_link_name(const char *path, char *buf, size_t len);
/* A symlink's whole target as stored, e.g. "../../devices/pci0000:00/...". */
int sysfs_link_target(const char *path, char *buf, size_t len);
/* 1 if the path exists, 0 if not. */
int sysfs_exists(const char *path);
/*
 * Sorted names in a directory (no "." or ".."), NULL-terminated; the caller
 * frees with sysfs_list_free(). Returns the count or -errno.
 */
int sysfs_list(const char *dir, char ***names);
void sysfs_list_free(char **names);

/*
 * printf into a path buffer; aborts on truncation (a bug, not input: the
 * commands hold every path a person gives to PATH_ARG_MAX, base/fsutil.h,
 * which leaves room for what is appended to it).
 */
void path_fmt(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
