#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Virtual-lab scenario for suites/pcie:
#   runner vm vtd-sc -- sh tests/vm/pcie.sh   (also vtd-nosc)
# NVMe and e1000e (PCIe endpoints) on vfio-pci: DevCtl Enable No Snoop
# reads the same through libpci and through the VFIO config region, and
# clearing it through either view shows in both and is put back. edu is
# conventional PCI: the suite must skip it, saying why. Every device goes
# back to its driver and keeps its DevCtl.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/vm/hand-bind.sh
need_guest

log=/tmp/pcie-vm
mkdir -p $log
if ! have_iommu; then
	skipped "pcie suite" "no IOMMU on this platform: vfio-pci cannot take the devices"
	finish
	exit
fi

devctl() { setpci -s "$1" CAP_EXP+8.w; }

for d in "$NVME nvme" "$NIC e1000e"; do
	set -- $d
	before=$(devctl $1)
	if to_vfio $1; then ok "$1 on vfio-pci"; else bad "$1 on vfio-pci" "driver: $(driver_of $1)"; fi
	./suites/pcie $1 >$log/$2.ktap 2>&1
	suite_result "pcie $2: views agree, ENS round-trips" $log/$2.ktap 3
	show $log/$2.ktap
	if give_back $1 $2; then ok "$1 back on $2"; else bad "$1 back on $2" "driver: $(driver_of $1)"; fi
	after=$(devctl $1)
	if [ "$before" = "$after" ]; then
		ok "$1 DevCtl unchanged ($after)"
	else
		bad "$1 DevCtl unchanged" "was $before, now $after"
	fi
done

to_vfio $EDU
./suites/pcie $EDU >$log/edu.ktap 2>&1
suite_skipped "pcie edu skips: conventional PCI" $log/edu.ktap "no PCIe capability"
give_back $EDU none
finish
