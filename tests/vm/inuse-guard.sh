#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The in-use guard on real devices: the NVMe scratch disk with a mounted
# ext4 is refused without --force (and nothing is touched), and bound with
# --force, which the result records; the e1000e with an address is refused.
. "$(dirname "$0")/lib.sh"
need_guest

before=$(snapshot)
mnt=/tmp/scratch
mkdir -p $mnt
run mkfs.ext4 -q -F /dev/nvme0n1
if [ $rc -ne 0 ] || ! mount -t ext4 /dev/nvme0n1 $mnt; then
	bad "mkfs.ext4 and mount the scratch namespace"
	finish; exit
fi
ok "scratch namespace formatted and mounted on $mnt"

run $RUNNER bind --device $NVME
check "mounted NVMe refused (exit 1)" [ $rc -eq 1 ]
check "refusal gives the reason" said "$NVME: refused, nothing touched: in use: $NVME: nvme0n1 has a filesystem mounted on $mnt (--force overrides)"
check "NVMe still on nvme" [ "$(driver_of $NVME)" = nvme ]
check "no journal written" [ ! -e "$RUNDIR/journal" ]
check "filesystem still mounted" grep -q " $mnt " /proc/self/mountinfo

run $RUNNER bind --json --device $NVME
check "JSON result: refused" said '"refused":true'
check "JSON result: the reason" said '"in_use":"nvme0n1 has a filesystem mounted on /tmp/scratch"'

# The NIC: up with an address is in use; down it is free.
ifc=$(ls /sys/bus/pci/devices/$NIC/net 2>/dev/null | head -n 1)
if [ -n "$ifc" ] && ip link set "$ifc" up && ip addr add 192.0.2.15/24 dev "$ifc"; then
	run $RUNNER bind --device $NIC
	check "NIC with an address refused (exit 1)" [ $rc -eq 1 ]
	check "refusal names the interface and address" said "interface $ifc is up with address 192.0.2.15"
	check "refusal names its route" said "interface $ifc is up with a route to 192.0.2.0/24"
	ip addr flush dev "$ifc"
	ip link set "$ifc" down
else
	skipped "NIC in use" "no interface under $NIC, or ip failed"
fi

if ! have_groups; then
	skipped "binding a free NIC and --force" "no IOMMU groups: vfio-pci takes nothing here"
	umount $mnt
	check "every device as before" [ "$(snapshot)" = "$before" ]
	finish
	exit
fi
run $RUNNER bind --device $NIC -- true
check "NIC down: bound and given back (exit 0)" [ $rc -eq 0 ]
check "NIC down: back on e1000e" [ "$(driver_of $NIC)" = e1000e ]

# --force: bound anyway, and the result says so and why.
run $RUNNER bind --force --json --device $NVME
check "--force binds the mounted NVMe (exit 0)" [ $rc -eq 0 ]
check "--force: NVMe on vfio-pci" [ "$(driver_of $NVME)" = vfio-pci ]
check "result records forced" said '"forced":true'
check "result records why it was in use" said '"in_use":"nvme0n1 has a filesystem mounted on /tmp/scratch"'
umount -l $mnt 2>/dev/null
run $RUNNER restore
check "restore after --force exits 0" [ $rc -eq 0 ]
check "every device back as before" [ "$(snapshot)" = "$before" ]
finish
