/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI vendor and device IDs as people type them (lspci -n spelling):
 * "8086", "1234:11e8", fixed-width hex in either case, no "0x".
 */
#ifndef SNOOP_PCIID_H
#define SNOOP_PCIID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exactly n hex digits, the whole of s. false on anything else. */
bool hex_fixed(const char *s, size_t n, uint32_t *v);
/*
 * "VVVV" or "VVVV:DDDD". *device is -1 when s names the vendor alone.
 * false on anything else (then *vendor and *device are unspecified).
 */
bool pciid_parse(const char *s, uint16_t *vendor, int *device);

#endif
