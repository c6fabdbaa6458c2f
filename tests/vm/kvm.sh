#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# In the guest: hand the edu device to vfio-pci with the runner (journalled,
# given back afterwards) and run the kvm suite on it, then check that no
# kprobe event of the suite's is left behind in tracefs. The suite's KTAP
# is this script's output; its exit status is the suite's (4: all skipped),
# or 1 when a probe was left.
cd "$(dirname "$0")/../.." || exit 1
EDU=0000:00:06.0
if [ ! -e /sys/bus/pci/devices/$EDU/iommu_group ]; then
	# No IOMMU: nothing can be bound; the suite must say so by itself.
	exec suites/kvm $EDU
fi
./runner bind --device $EDU -- suites/kvm $EDU
rc=$?
if grep -q '^p:snoopcheck/' /sys/kernel/tracing/kprobe_events 2>/dev/null; then
	echo "# kvm.sh: kprobe events left behind:"
	sed 's/^/#   /' /sys/kernel/tracing/kprobe_events
	exit 1
fi
exit $rc
