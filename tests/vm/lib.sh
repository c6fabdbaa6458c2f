# SPDX-License-Identifier: GPL-2.0-only
#
# Shared by the virtual-lab scenario scripts (tests/vm/*.sh). They run as
# root inside a guest (vm/guest-init), from the repository root, with the
# lab's devices at fixed addresses (lib/vm/vm.c): NVMe 00:04.0 on a scratch
# image made fresh for each boot, e1000e 00:05.0, edu 00:06.0.
# Output is TAP with the kselftest totals line, so tests/run-tests.sh can
# count it like a harness binary: exit 0 pass, 1 fail, 4 (KSFT_SKIP) skip.

NVME=0000:00:04.0
NIC=0000:00:05.0
EDU=0000:00:06.0
RUNNER=${RUNNER:-./runner}
RUNDIR=${SNOOPCHECK_RUNDIR:-/run/snoopcheck}

n=0 pass=0 fail=0 skip=0
echo "TAP version 13"

ok()   { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n $1"; }
bad()  { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n $1"; shift; for l in "$@"; do echo "# $l"; done; }
skipped() { n=$((n + 1)); skip=$((skip + 1)); echo "ok $n $1 # SKIP $2"; }

# check NAME COMMAND...: one result from a command's status.
check() {
	name=$1; shift
	if "$@"; then ok "$name"; else bad "$name" "failed: $*"; fi
}

finish() {
	echo "1..$n"
	echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
	[ "$fail" -eq 0 ]
}

# The whole script cannot run here: say why, exit as kselftest does.
skip_all() {
	echo "1..0 # SKIP $1"
	echo "# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:1 error:0"
	exit 4
}

need_guest() {
	[ "${SNOOPCHECK_GUEST:-}" = 1 ] ||
		skip_all "$0 rebinds PCI devices; it runs only inside a virtual-lab guest (runner vm PLATFORM -- sh $0)"
}

# Driver bound to a device, from sysfs; "none" when unbound.
driver_of() {
	if [ -e "/sys/bus/pci/devices/$1/driver" ]; then
		basename "$(readlink "/sys/bus/pci/devices/$1/driver")"
	else
		echo none
	fi
}

override_of() { cat "/sys/bus/pci/devices/$1/driver_override"; }

# Every device of bdf's IOMMU group, or bdf alone without one.
group_of() {
	if [ -e "/sys/bus/pci/devices/$1/iommu_group" ]; then
		ls "/sys/bus/pci/devices/$1/iommu_group/devices"
	else
		echo "$1"
	fi
}

# Remember every lab device's driver and override, to compare afterwards.
snapshot() {
	for d in $NVME $NIC $EDU; do
		for m in $(group_of $d); do
			echo "$m $(driver_of $m) $(override_of $m)"
		done
	done | sort -u
}

# Wait up to $2 seconds for bdf to be on vfio-pci.
wait_vfio() {
	t=0
	while [ "$(driver_of "$1")" != vfio-pci ]; do
		t=$((t + 1))
		[ "$t" -gt $(($2 * 10)) ] && return 1
		sleep 0.1
	done
}

# VFIO needs an IOMMU group (noiommu platform: none, and vfio-pci refuses).
have_groups() { [ -e /sys/bus/pci/devices/$EDU/iommu_group ]; }

journal_exists() { [ -s "$RUNDIR/journal" ]; }

# run CMD...: its status in $rc, its stdout+stderr in $OUT (and as comments).
OUT=/tmp/vmtest.out
run() {
	"$@" >"$OUT" 2>&1
	rc=$?
	sed 's/^/#   /' "$OUT"
}

# said TEXT: did the last run() print this (fixed string)?
said() { grep -qF -- "$1" "$OUT"; }
