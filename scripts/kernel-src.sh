#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Prepare Debian's linux-source-6.12 in a cache outside the repository and
# print a path on stdout:
#   kernel-src.sh src      the extracted source tree
#   kernel-src.sh headers  uapi headers from that tree (make headers_install)
#
# Debian 12's linux-libc-dev is 6.1 and lacks <linux/iommufd.h>, so every
# ioctl we use comes from these headers, never from hand-copied numbers.
# Both the virtual lab's kernel and the build use the same source version.
set -eu

tarball=/usr/src/linux-source-6.12.tar.xz
if [ -n "${SNOOPCHECK_CACHE:-}" ]; then
	cache=$SNOOPCHECK_CACHE
elif [ "$(id -u)" = 0 ]; then
	cache=/var/cache/snoopcheck
else
	cache=${XDG_CACHE_HOME:-$HOME/.cache}/snoopcheck
fi

if [ ! -f "$tarball" ]; then
	echo "kernel-src: $tarball missing; run scripts/install-deps.sh" >&2
	exit 1
fi
ver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
src=$cache/src/$ver
hdr=$cache/headers/$ver
mkdir -p "$cache/src" "$cache/headers"

# One extraction at a time: make -j and the lab may both ask.
exec 9>"$cache/.lock-$ver"
flock 9

if [ ! -f "$src/.snoopcheck-extracted" ]; then
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$tarball" -C "$src.tmp" --strip-components=1
	touch "$src.tmp/.snoopcheck-extracted"
	mv "$src.tmp" "$src"
fi

case "${1:-src}" in
src) echo "$src" ;;
headers)
	if [ ! -f "$hdr/.snoopcheck-installed" ]; then
		rm -rf "$hdr"
		# O= keeps the source tree clean for the lab kernel's O= build.
		make -s -C "$src" O="$cache/headers-build/$ver" \
			headers_install INSTALL_HDR_PATH="$hdr" >&2
		rm -rf "$cache/headers-build/$ver"
		touch "$hdr/.snoopcheck-installed"
	fi
	echo "$hdr"
	;;
*) echo "usage: $0 src|headers" >&2; exit 2 ;;
esac
