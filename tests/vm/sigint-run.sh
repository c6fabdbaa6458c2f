#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# SIGINT in the middle of `runner run`, as a lab engineer's Ctrl-C: the
# running suite is stopped, every device goes back to its driver (checked
# from sysfs), and the results file is still written, valid, and marked
# incomplete with the reason.
. "$(dirname "$0")/lib.sh"
need_guest
have_groups ||
	skip_all "no IOMMU groups on this platform: runner run binds nothing, so there is no run to interrupt"

before=$(snapshot)
out=/tmp/sigint-run.json
rm -rf "$out" "${out%.json}"
$RUNNER run --device $EDU --device $NVME --out "$out" >/tmp/sigint-run.out 2>&1 &
pid=$!
if ! wait_vfio $NVME 60; then
	bad "devices reached vfio-pci" "$(cat /tmp/sigint-run.out)"
	kill -KILL $pid 2>/dev/null
	finish; exit
fi
# Past the binding and into the suites, well before the end.
sleep 8
kill -INT $pid
wait $pid
rc=$?
sed 's/^/#   /' /tmp/sigint-run.out | tail -n 20
check "interrupted run exits 1" [ $rc -eq 1 ]
check "the run said it was interrupted" grep -q "SIGINT" /tmp/sigint-run.out
check "every device on its original driver and override (sysfs)" [ "$(snapshot)" = "$before" ]
check "no journal left" [ ! -e "$RUNDIR/journal" ]
check "results file written" [ -s "$out" ]
check "results marked incomplete" grep -q '"complete": *false' "$out"
check "with the reason" grep -q '"incomplete_reason": *"interrupted by SIGINT' "$out"
check "runner validate accepts it" $RUNNER validate "$out"
check "the suites' logs are kept" [ -d "${out%.json}" ]
finish
