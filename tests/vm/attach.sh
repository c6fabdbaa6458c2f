#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# In the guest: hand the edu device to vfio-pci with the runner (journalled,
# given back afterwards) and run the attach suite on it. The suite's KTAP is
# this script's output; its exit status is the suite's (4: all skipped).
cd "$(dirname "$0")/../.." || exit 1
EDU=0000:00:06.0
if [ ! -e /sys/bus/pci/devices/$EDU/iommu_group ]; then
	# No IOMMU: nothing can be bound; the suite must say so by itself.
	exec suites/attach $EDU
fi
exec ./runner bind --device $EDU -- suites/attach $EDU
