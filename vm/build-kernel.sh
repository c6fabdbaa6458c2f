#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the virtual lab's kernel once and print the bzImage path (last line
# of stdout). The result is cached outside the tree, keyed by the Debian
# source version and a hash of the config fragment and this script, so later
# runs and CI on the same machine reuse it. KERNEL=/path/to/bzImage skips
# all of this.
set -eu

if [ -n "${KERNEL:-}" ]; then
	echo "$KERNEL"
	exit 0
fi

here=$(cd "$(dirname "$0")" && pwd)
src=$("$here/../scripts/kernel-src.sh" src)
cache=$(dirname "$(dirname "$src")")
ver=$(basename "$src")
key=$ver-$(cat "$here/kernel.config" "$0" | sha256sum | cut -c1-12)
out=$cache/kernel/$key
log=$cache/kernel/$key.log
mkdir -p "$cache/kernel"

exec 9>"$cache/kernel/.lock"
flock 9
if [ -f "$out/bzImage" ]; then
	echo "$out/bzImage"
	exit 0
fi

echo "build-kernel: building $key (log: $log)" >&2
rm -rf "$out.build"
mkdir -p "$out.build"
if ! {
	make -C "$src" O="$out.build" tinyconfig &&
	"$src/scripts/kconfig/merge_config.sh" -m -O "$out.build" \
		"$out.build/.config" "$here/kernel.config" &&
	make -C "$src" O="$out.build" olddefconfig
} >"$log" 2>&1; then
	tail -n 30 "$log" >&2
	exit 1
fi

# A symbol whose dependencies are unmet is dropped silently: refuse that.
missing=$(sed -n 's/^\(CONFIG_[A-Z0-9_]*\)=y$/\1/p' "$here/kernel.config" |
	while read -r sym; do
		grep -q "^$sym=y" "$out.build/.config" || echo "$sym"
	done)
if [ -n "$missing" ]; then
	echo "build-kernel: dropped by olddefconfig:" $missing >&2
	exit 1
fi

start=$(date +%s)
if ! make -C "$src" O="$out.build" -j"$(nproc)" bzImage >>"$log" 2>&1; then
	tail -n 30 "$log" >&2
	exit 1
fi
mkdir -p "$out"
cp "$out.build/arch/x86/boot/bzImage" "$out.build/.config" "$out/"
rm -rf "$out.build"
echo "build-kernel: built in $(( $(date +%s) - start )) s" >&2
echo "$out/bzImage"
