#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# edu and the e1000e go to vfio-pci and come back: with `runner bind` then
# `runner restore`, with `runner bind -- CMD` (given back when CMD ends),
# and with SIGTERM to a runner holding them.
. "$(dirname "$0")/lib.sh"
need_guest

before=$(snapshot)
echo "# before:"; echo "$before" | sed 's/^/#   /'

# Without an IOMMU, vfio-pci takes nothing: the runner must say why, and
# say it before touching the device.
if ! have_groups; then
	run $RUNNER bind --device $NIC
	check "no IOMMU: bind fails (exit 1)" [ $rc -eq 1 ]
	check "no IOMMU: the reason is given" said "it has no IOMMU group, and VFIO needs one"
	check "no IOMMU: refused before anything was touched" said "refused, nothing touched"
	check "no IOMMU: every device as before" [ "$(snapshot)" = "$before" ]
	check "no IOMMU: no journal left" [ ! -e "$RUNDIR/journal" ]
	skipped "binding on this platform" "no IOMMU groups: VFIO cannot own devices"
	finish
	exit
fi

for dev in $EDU $NIC; do
	orig=$(driver_of $dev)
	run $RUNNER bind --device $dev
	check "bind $dev exits 0" [ $rc -eq 0 ]
	check "$dev on vfio-pci (was $orig)" [ "$(driver_of $dev)" = vfio-pci ]
	for m in $(group_of $dev); do
		d=$(driver_of $m)
		case $d in
		vfio-pci|pcieport|pci-stub|none) ok "group member $m viable ($d)" ;;
		*) bad "group member $m viable" "driver $d keeps the group from VFIO" ;;
		esac
	done
	if [ -e /sys/bus/pci/devices/$dev/iommu_group ]; then
		g=$(basename "$(readlink /sys/bus/pci/devices/$dev/iommu_group)")
		check "/dev/vfio/$g exists" [ -e /dev/vfio/$g ]
	fi
	check "journal kept for runner restore" journal_exists
	run $RUNNER restore
	check "restore $dev exits 0" [ $rc -eq 0 ]
	check "$dev back on $orig" [ "$(driver_of $dev)" = "$orig" ]
	check "$dev override cleared" [ "$(override_of $dev)" = "(null)" ]
	check "journal removed" [ ! -e "$RUNDIR/journal" ]
	run $RUNNER restore
	check "second restore exits 0" [ $rc -eq 0 ]
	check "second restore: nothing to restore" said "nothing to restore"
done

# bind -- CMD: the command sees the devices on vfio-pci; they come back after.
run $RUNNER bind --device $EDU --device $NIC -- sh -c '
	for d in $SNOOPCHECK_DEVICES; do
		[ "$(basename "$(readlink /sys/bus/pci/devices/$d/driver)")" = vfio-pci ] || exit 7
	done
	echo "devices: $SNOOPCHECK_DEVICES"'
check "bind -- CMD: command ran with both on vfio-pci" [ $rc -eq 0 ]
check "bind -- CMD: both given back" [ "$(snapshot)" = "$before" ]
check "bind -- CMD: journal removed" [ ! -e "$RUNDIR/journal" ]

# SIGTERM while holding: the runner stops its command and gives them back.
$RUNNER bind --device $EDU --device $NIC -- sleep 600 >/tmp/term.out 2>&1 &
pid=$!
if wait_vfio $NIC 30; then
	kill -TERM $pid
	wait $pid; rc=$?
	sed 's/^/#   /' /tmp/term.out
	check "SIGTERM: runner exits 1 (interrupted)" [ $rc -eq 1 ]
	check "SIGTERM: both given back" [ "$(snapshot)" = "$before" ]
	check "SIGTERM: journal removed" [ ! -e "$RUNDIR/journal" ]
	check "SIGTERM: its command is gone" sh -c '! pgrep -x sleep >/dev/null'
else
	bad "SIGTERM: devices never reached vfio-pci" "$(cat /tmp/term.out)"
	kill -KILL $pid 2>/dev/null
fi
finish
