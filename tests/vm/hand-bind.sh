# SPDX-License-Identifier: GPL-2.0-only
#
# Sourced by tests/vm/dma.sh, pcie.sh and groups.sh: the lab's devices, KTAP
# bookkeeping, and binding by hand (driver_override + drivers_probe) until
# these scenarios move onto `runner bind` / `runner restore` (lib/host/bind.c).
# Runs only in a virtual-lab guest: it rebinds PCI devices.

NVME=0000:00:04.0
NIC=0000:00:05.0
EDU=0000:00:06.0
SCRATCH_NSID=1
SCRATCH_LBA=0+2048	# the lab config's scratch_lba for the NVMe (lab.conf.example)
RUNNER=${RUNNER:-./runner}

n=0 pass=0 fail=0 skip=0
ok()      { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n $1"; }
bad()     { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n $1"; shift; for l in "$@"; do echo "# $l"; done; }
skipped() { n=$((n + 1)); skip=$((skip + 1)); echo "ok $n $1 # SKIP $2"; }
finish()  { echo "# Totals: pass:$pass fail:$fail skip:$skip"; [ "$fail" -eq 0 ]; }

need_guest() {
	if [ "${SNOOPCHECK_GUEST:-}" != 1 ]; then
		echo "1..0 # SKIP $0 rebinds PCI devices; run it in a virtual-lab guest: runner vm PLATFORM -- sh $0"
		exit 4
	fi
}

# Does an IOMMU translate this guest's devices? (noiommu platform: no)
have_iommu() { [ -n "$(ls /sys/class/iommu 2>/dev/null)" ]; }

driver_of() {
	if [ -e "/sys/bus/pci/devices/$1/driver" ]; then
		basename "$(readlink "/sys/bus/pci/devices/$1/driver")"
	else
		echo none
	fi
}

# wait_driver BDF DRIVER SECONDS
wait_driver() {
	t=0
	while [ "$(driver_of "$1")" != "$2" ]; do
		t=$((t + 1))
		[ "$t" -gt $(($3 * 10)) ] && return 1
		sleep 0.1
	done
}

# wait_path PATH SECONDS
wait_path() {
	t=0
	while [ ! -e "$1" ]; do
		t=$((t + 1))
		[ "$t" -gt $(($2 * 10)) ] && return 1
		sleep 0.1
	done
}

# to_vfio BDF: hand the device to vfio-pci. Status 0 when it is there.
to_vfio() {
	echo vfio-pci >"/sys/bus/pci/devices/$1/driver_override" || return 1
	if [ -e "/sys/bus/pci/devices/$1/driver" ]; then
		echo "$1" >"/sys/bus/pci/devices/$1/driver/unbind" || return 1
	fi
	echo "$1" >/sys/bus/pci/drivers_probe 2>/dev/null
	wait_driver "$1" vfio-pci 10
}

# give_back BDF DRIVER: clear the override and let DRIVER ("none" for a
# device without one, such as edu) take it again.
give_back() {
	echo >"/sys/bus/pci/devices/$1/driver_override"
	if [ "$(driver_of "$1")" = vfio-pci ]; then
		echo "$1" >/sys/bus/pci/drivers/vfio-pci/unbind || return 1
	fi
	echo "$1" >/sys/bus/pci/drivers_probe 2>/dev/null
	[ "$2" = none ] || wait_driver "$1" "$2" 30
}

# ktap_totals FILE: "pass fail skip" from a kselftest's closing line.
ktap_totals() {
	sed -n 's/^# Totals: pass:\([0-9]*\) fail:\([0-9]*\) xfail:[0-9]* xpass:[0-9]* skip:\([0-9]*\).*/\1 \2 \3/p' "$1" | tail -n 1
}

# show FILE: a suite's output as comments, evidence lines first.
show() {
	grep '^# evidence: ' "$1" | sed 's/^/# /'
	grep -E '^(not ok|ok .*# SKIP)|Expected|note:|restore-failed|silent success' "$1" | sed 's/^/# /' | head -n 40
}

# suite_result NAME FILE WANT_PASS: ok when every test passed and there
# were WANT_PASS of them (nothing skipped), else not ok with the lines.
suite_result() {
	set -- "$1" "$2" "$3" $(ktap_totals "$2")
	if [ -z "${4:-}" ]; then
		bad "$1" "no KTAP totals"; tail -n 20 "$2" | sed 's/^/# /'
	elif [ "$5" -eq 0 ] && [ "$4" -eq "$3" ]; then
		ok "$1 ($4 passed)"
	else
		bad "$1" "pass:$4 fail:$5 skip:$6, wanted pass:$3"
		show "$2"
	fi
}

# suite_skipped NAME FILE REASON: ok when everything skipped with REASON.
suite_skipped() {
	set -- "$1" "$2" "$3" $(ktap_totals "$2")
	if [ "${4:-x}" = 0 ] && [ "$5" = 0 ] && [ "$6" -gt 0 ] &&
	   ! grep '^ok .*# SKIP' "$2" | grep -qv "$3"; then
		ok "$1 (skipped: $3)"
	else
		bad "$1" "wanted every test skipped with '$3'"
		tail -n 20 "$2" | sed 's/^/# /'
	fi
}
