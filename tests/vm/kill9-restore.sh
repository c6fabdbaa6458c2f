#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# A runner killed by SIGKILL while it holds devices on vfio-pci: the lock
# dies with it, its command dies with it, the journal stays, and
# `runner restore` puts every device back on its original driver, checked
# from sysfs. While it runs, a second runner is refused.
. "$(dirname "$0")/lib.sh"
need_guest
have_groups ||
	skip_all "no IOMMU groups on this platform: vfio-pci takes nothing, so there is nothing to kill a runner over (bind-restore.sh proves the refusal)"

before=$(snapshot)
echo "# before:"; echo "$before" | sed 's/^/#   /'

$RUNNER bind --device $EDU --device $NIC --device $NVME -- sleep 600 >/tmp/k9.out 2>&1 &
pid=$!
if ! wait_vfio $NVME 60; then
	bad "devices reached vfio-pci" "$(cat /tmp/k9.out)"
	kill -KILL $pid 2>/dev/null
	finish; exit
fi
sed 's/^/#   /' /tmp/k9.out
for d in $EDU $NIC $NVME; do
	check "$d on vfio-pci while the runner runs" [ "$(driver_of $d)" = vfio-pci ]
done

run $RUNNER restore
check "second runner refused (exit 1)" [ $rc -eq 1 ]
check "refusal names the holder pid $pid" said "(pid $pid); refusing to change bindings"
check "refused runner touched nothing" [ "$(driver_of $NVME)" = vfio-pci ]

kill -KILL $pid
wait $pid 2>/dev/null
sleep 0.5
check "its command died with it (PDEATHSIG)" sh -c '! pgrep -x sleep >/dev/null'
check "journal left behind" journal_exists
echo "# journal:"; sed 's/^/#   /' "$RUNDIR/journal"
for d in $EDU $NIC $NVME; do
	check "$d still on vfio-pci after SIGKILL" [ "$(driver_of $d)" = vfio-pci ]
done

run $RUNNER restore
check "runner restore exits 0" [ $rc -eq 0 ]
after=$(snapshot)
echo "# after:"; echo "$after" | sed 's/^/#   /'
check "every device on its original driver and override (sysfs)" [ "$after" = "$before" ]
check "journal removed" [ ! -e "$RUNDIR/journal" ]
run $RUNNER restore
check "restore again exits 0" [ $rc -eq 0 ]
check "restore again: nothing to restore" said "nothing to restore"
check "the NVMe works again: its namespace is back" [ -b /dev/nvme0n1 ]

# SIGKILL while binding, at whatever step the delay lands on (the unit
# tests kill at every step deterministically; this is the real kernel).
for delay in 0.02 0.05 0.1 0.2 0.3 0.5 0.8; do
	$RUNNER bind --device $EDU --device $NIC --device $NVME >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	if journal_exists; then
		last=$(tail -n 1 "$RUNDIR/journal" | sed 's/.*"bdf":"\([^"]*\)","step":"\([^"]*\)".*/\2 of \1/')
	else
		last="no step yet"
	fi
	run $RUNNER restore
	check "killed after ${delay}s (journal: $last): restore exits 0" [ $rc -eq 0 ]
	check "killed after ${delay}s: every device as before" [ "$(snapshot)" = "$before" ]
done
check "no journal left" [ ! -e "$RUNDIR/journal" ]
finish
