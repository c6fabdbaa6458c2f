#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Prepare a Debian linux-source package in a cache outside the repository
# and print a path on stdout:
#   kernel-src.sh src [SERIES]  the extracted source tree of linux-source-SERIES
#                               (6.12, the default, or 6.1)
#   kernel-src.sh headers       uapi headers from the 6.12 tree (make headers_install)
#   kernel-src.sh series        the known series, one a line, the default first
#
# Debian 12's linux-libc-dev is 6.1 and lacks <linux/iommufd.h>, so every
# ioctl we use comes from the 6.12 headers, never from hand-copied numbers;
# the build and the virtual lab's default kernel use that same source. The
# lab's second kernel, 6.1 (Debian 12's own, legacy VFIO only), is built
# from linux-source-6.1 and never used for headers.
set -eu

known="6.12 6.1"
cmd=${1:-src}
case $cmd in
series) printf '%s\n' $known; exit 0 ;;
src) series=${2:-6.12} ;;
headers)
	if [ $# -gt 1 ]; then
		echo "kernel-src: headers come from 6.12 only (the build's uapi), got '$2'" >&2
		exit 2
	fi
	series=6.12
	;;
*) echo "usage: $0 src [SERIES]|headers|series" >&2; exit 2 ;;
esac
case " $known " in
*" $series "*) ;;
*) echo "kernel-src: unknown series '$series'; known: $known" >&2; exit 2 ;;
esac

tarball=/usr/src/linux-source-$series.tar.xz
cache=$("$(dirname "$0")/cache-dir.sh")

if [ ! -f "$tarball" ]; then
	echo "kernel-src: $tarball missing; run scripts/install-deps.sh" >&2
	exit 1
fi
ver=$(dpkg-query -W -f='${Version}' "linux-source-$series")
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

case $cmd in
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
esac
