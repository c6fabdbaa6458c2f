#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Build a virtual-lab kernel once and print the bzImage path (last line of
# stdout):
#   build-kernel.sh [SERIES]   6.12 (the default) or 6.1; see
#                              scripts/kernel-src.sh series
# The result is cached outside the tree, keyed by the Debian source version
# and a hash of the config fragments and this script, so later runs and CI
# on the same machine reuse it. Each key has its own lock: two series build
# side by side. KERNEL_6_12=/path/to/bzImage (or KERNEL_6_1=...) skips all
# of this for that series; KERNEL=... does for the default series.
#
# The fragments are vm/kernel.config, then vm/kernel-SERIES.config where one
# exists: it may turn off a symbol of kernel.config, but only one that the
# series' own Kconfig files do not define (6.1 has no iommufd).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
series=${1:-$("$here/../scripts/kernel-src.sh" series | head -n 1)}
src=$("$here/../scripts/kernel-src.sh" src "$series")

# The series was checked by kernel-src.sh: digits and dots only.
var=KERNEL_$(echo "$series" | tr . _)
eval "override=\${$var:-}"
if [ -z "$override" ] &&
   [ "$series" = "$("$here/../scripts/kernel-src.sh" series | head -n 1)" ]; then
	override=${KERNEL:-}
fi
if [ -n "$override" ]; then
	echo "$override"
	exit 0
fi

frags=$here/kernel.config
[ ! -f "$here/kernel-$series.config" ] || frags="$frags $here/kernel-$series.config"
cache=$(dirname "$(dirname "$src")")
ver=$(basename "$src")
# shellcheck disable=SC2086 # $frags: paths without blanks, split on purpose
key=$ver-$(cat $frags "$0" | sha256sum | cut -c1-12)
out=$cache/kernel/$key
log=$cache/kernel/$key.log
mkdir -p "$cache/kernel"

exec 9>"$cache/kernel/.lock-$key"
flock 9
if [ -f "$out/bzImage" ]; then
	echo "$out/bzImage"
	exit 0
fi

echo "build-kernel: building $key (log: $log)" >&2
rm -rf "$out.build"
mkdir -p "$out.build"
# shellcheck disable=SC2086
if ! {
	make -C "$src" O="$out.build" tinyconfig &&
	"$src/scripts/kconfig/merge_config.sh" -m -O "$out.build" \
		"$out.build/.config" $frags &&
	make -C "$src" O="$out.build" olddefconfig
} >"$log" 2>&1; then
	tail -n 30 "$log" >&2
	exit 1
fi

# Each symbol's last word across the fragments: "y" wanted, "off" turned
# off after an earlier fragment wanted it (left out), "n" never wanted.
# shellcheck disable=SC2086
words=$(awk '
	/^CONFIG_[A-Z0-9_]*=y$/ { s = $0; sub(/=y$/, "", s); v[s] = "y"; next }
	/^CONFIG_[A-Z0-9_]*=n$/ { s = $0; sub(/=n$/, "", s); v[s] = (v[s] == "y" || v[s] == "off") ? "off" : "n"; next }
	/^# CONFIG_[A-Z0-9_]* is not set$/ { s = $2; v[s] = (v[s] == "y" || v[s] == "off") ? "off" : "n" }
	END { for (s in v) print s, v[s] }' $frags | sort)

# A symbol whose dependencies are unmet is dropped silently: refuse that.
missing=$(echo "$words" | while read -r sym word; do
	[ "$word" = y ] && ! grep -q "^$sym=y" "$out.build/.config" && echo "$sym"
done || true)
if [ -n "$missing" ]; then
	echo "build-kernel: dropped by olddefconfig:" $missing >&2
	exit 1
fi

# A symbol left out must be one this kernel does not have at all.
leftout=$(echo "$words" | sed -n 's/^\(CONFIG_[A-Z0-9_]*\) off$/\1/p')
if [ -n "$leftout" ]; then
	defined=$(find "$src" -name 'Kconfig*' -exec sed -n \
		's/^[[:space:]]*\(menu\)\{0,1\}config[[:space:]]\{1,\}\([A-Z0-9_]*\)[[:space:]]*$/CONFIG_\2/p' {} + |
		sort -u)
	for sym in $leftout; do
		if echo "$defined" | grep -qx "$sym"; then
			echo "build-kernel: kernel-$series.config leaves out $sym, which $ver defines" >&2
			exit 1
		fi
	done
	echo "build-kernel: not in $ver, left out:" $leftout >&2
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
