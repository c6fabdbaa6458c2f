#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# LAVA's own test-shell helpers (lava-test-case, lava-test-set,
# lava-test-runner, ...) from Debian 12's lava-dispatcher, unpacked into a
# cache outside the repository; prints a path on stdout:
#   lava-deb.sh [shell]   the lava_test_shell directory (the helpers)
#   lava-deb.sh python    the dist-packages directory (lava_common's schemas)
#
# Why not apt-get install: lava-dispatcher is a whole worker. It depends on
# python3-guestfs (libguestfs and its appliance), systemd-sysv and
# lava-dispatcher-host (udev rules), and its lava-worker service starts and
# looks for a LAVA server. None of that belongs on a machine under test or
# a CI box; the test needs only the shell helpers, which a job copies onto
# the device itself. So the .debs are fetched with apt-get download (no
# root, no maintainer scripts) and unpacked with dpkg-deb -x, once per
# version; several builds may ask at once, so one unpacks under a lock and
# the result appears whole (a rename) or not at all.
set -eu

what=${1:-shell}
case $what in
shell|python) ;;
*) echo "usage: $0 [shell|python]" >&2; exit 2 ;;
esac
cache=$("$(dirname "$0")/cache-dir.sh")

ver=$(apt-cache policy lava-dispatcher 2>/dev/null | awk '$1 == "Candidate:" { print $2 }')
if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
	echo "lava-deb: apt knows no lava-dispatcher package: run apt-get update (scripts/install-deps.sh does)" >&2
	exit 1
fi
dir=$cache/lava/$ver
mkdir -p "$cache/lava"
exec 9>"$cache/lava/.lock"
flock 9

if [ ! -f "$dir/.snoopcheck-unpacked" ]; then
	tmp=$(mktemp -d "$cache/lava/.tmp-XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	# lava-common is built from the same source: the same version.
	(cd "$tmp" && apt-get download -q "lava-dispatcher=$ver" "lava-common=$ver") >&2
	mkdir "$tmp/root"
	for deb in "$tmp"/*.deb; do
		dpkg-deb -x "$deb" "$tmp/root"
	done
	test -f "$tmp/root/usr/lib/python3/dist-packages/lava_dispatcher/lava_test_shell/lava-test-case" || {
		echo "lava-deb: lava-dispatcher $ver has no lava_test_shell/lava-test-case" >&2
		exit 1
	}
	touch "$tmp/root/.snoopcheck-unpacked"
	rm -rf "$dir"
	mv "$tmp/root" "$dir"
fi

py=$dir/usr/lib/python3/dist-packages
case $what in
shell)  echo "$py/lava_dispatcher/lava_test_shell" ;;
python) echo "$py" ;;
esac
