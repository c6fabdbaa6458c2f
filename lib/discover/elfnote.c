// SPDX-License-Identifier: GPL-2.0-only
#include "discover/elfnote.h"

#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Name and descriptor are each padded to 4 bytes (the kernel's ELFNOTE()). */
static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static int malformed(char *why, size_t whylen, size_t off, const char *what)
{
	if (why)
		snprintf(why, whylen, "note at byte %zu: %s", off, what);
	return -EINVAL;
}

int elfnote_build_id(const void *data, size_t len, char *hex, size_t hexlen,
		     char *why, size_t whylen)
{
	const unsigned char *p = data;
	size_t off = 0;

	if (hexlen < 2 * ELFNOTE_BUILD_ID_MAX + 1)
		return -EINVAL;
	/* Elf32_Nhdr and Elf64_Nhdr are the same three 32-bit words. */
	while (len - off >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr h;
		size_t name, desc;

		memcpy(&h, p + off, sizeof(h));
		name = off + sizeof(h);
		if (h.n_namesz > len - name || pad4(h.n_namesz) > len - name)
			return malformed(why, whylen, off, "name runs past the end");
		desc = name + pad4(h.n_namesz);
		if (h.n_descsz > len - desc)
			return malformed(why, whylen, off, "descriptor runs past the end");
		if (h.n_type == NT_GNU_BUILD_ID && h.n_namesz == sizeof(ELF_NOTE_GNU) &&
		    !memcmp(p + name, ELF_NOTE_GNU, sizeof(ELF_NOTE_GNU))) {
			if (!h.n_descsz || h.n_descsz > ELFNOTE_BUILD_ID_MAX)
				return malformed(why, whylen, off, "build-id of an impossible length");
			for (size_t i = 0; i < h.n_descsz; i++)
				snprintf(hex + 2 * i, 3, "%02x", p[desc + i]);
			return 0;
		}
		/* the last record may end without its padding */
		off = desc + h.n_descsz;
		off = pad4(off) <= len ? pad4(off) : len;
	}
	if (off != len)
		return malformed(why, whylen, off, "trailing bytes too short for a note header");
	return -ENOENT;
}
