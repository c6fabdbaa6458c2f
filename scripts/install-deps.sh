#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Install what snoopcheck needs on Debian 12, as root. Idempotent: it does
# nothing when every package is already present (and, for "all", LAVA's
# helpers are already in the cache: scripts/lava-deb.sh).
#
# linux-source-6.12 lives in bookworm-backports. We add that suite by copying
# the URI of the machine's own Debian source, so no mirror host name is ever
# written into this repository.
set -eu

# The kernel's headers_install (scripts/kernel-src.sh headers) runs rsync.
# runner bundle writes its archive with libarchive and checksums it with
# libcrypto (libssl-dev, which the lab kernel's build needs as well).
# Discovery inflates /proc/config.gz with zlib (zlib1g-dev).
PKGS_BUILD="build-essential pkg-config libpci-dev libjson-c-dev libarchive-dev libssl-dev zlib1g-dev pciutils xz-utils rsync"
# The guest scenarios use ip (iproute2) and mkfs.ext4 (e2fsprogs); minimal
# Debian images may lack both. The tests read run.ktap with the kernel's own
# kunit.py, which needs python3; runner export --kcidb's output is checked
# against KCIDB's JSON schema with python3-jsonschema (tests/kcidb/). make
# bench reads peak RSS with /usr/bin/time (time). runner report's page is
# checked in headless Chromium (tests/cli/cli_report_test.c). The LAVA test
# definition (lava/) uploads its bundle with curl; its test reads the YAML
# with python3-yaml and checks it against LAVA's own schema, which needs
# python3-voluptuous. LAVA's helpers themselves come from lava-dispatcher's
# .deb, unpacked, not installed (scripts/lava-deb.sh says why), below.
PKGS_RUN="fio intel-gpu-tools qemu-system-x86 bc time bison flex libelf-dev cpio kmod iproute2 e2fsprogs python3 python3-jsonschema chromium curl python3-yaml python3-voluptuous"
PKGS_BPO="linux-source-6.12"
# The virtual lab's second kernel (runner vm --kernel 6.1, make check-vm,
# the fleet test): Debian 12's own, from bookworm itself.
PKGS_LAB="linux-source-6.1"
# make fuzz and make check's fuzz pass: clang builds the libFuzzer harnesses
# (tests/fuzz/); -fsanitize=fuzzer needs compiler-rt's libclang_rt.fuzzer,
# which clang-14 only recommends (through libclang-common-14-dev).
PKGS_FUZZ="clang-14 libclang-rt-14-dev"

want="${1:-all}"
case "$want" in
build) pkgs="$PKGS_BUILD $PKGS_BPO" ;;
fuzz)  pkgs="$PKGS_BUILD $PKGS_FUZZ" ;;
all)   pkgs="$PKGS_BUILD $PKGS_RUN $PKGS_FUZZ $PKGS_BPO $PKGS_LAB" ;;
*) echo "usage: $0 [build|fuzz|all]" >&2; exit 2 ;;
esac

# After the packages (apt knows lava-dispatcher once its lists are there).
lava_helpers() {
	if [ "$want" = all ]; then
		"$(dirname "$0")/lava-deb.sh" >/dev/null
	fi
}

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	lava_helpers
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "snoopcheck: missing Debian packages:$missing" >&2
	echo "snoopcheck: run 'sudo $0 $want' once, then retry" >&2
	exit 1
fi

# Find the URI of the main Debian archive from the existing sources (deb822
# first, then the one-line format) and add bookworm-backports beside it.
bpo=/etc/apt/sources.list.d/snoopcheck-bookworm-backports.sources
if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
	uri=$(awk '
		/^URIs:/   { u = $2 }
		/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm" && u != "") { print u; exit } }
		/^$/       { u = "" }' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
	if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
		uri=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list)
	fi
	if [ -z "$uri" ]; then
		echo "snoopcheck: no Debian bookworm source found in /etc/apt; add bookworm-backports by hand" >&2
		exit 1
	fi
	cat >"$bpo" <<EOT
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# Backports packages are pinned low by default. NAME/SUITE takes only that
# package from backports; "-t bookworm-backports" would also upgrade
# unrelated installed packages (linux-libc-dev, linux-perf) on the machine
# under test.
apt-get install -y -q --no-install-recommends $(echo "$missing" | tr ' ' '\n' |
	sed "s|^\(linux-source-6\.12\)\$|\1/bookworm-backports|" | tr '\n' ' ')
lava_helpers
