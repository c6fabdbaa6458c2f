#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Virtual-lab scenario for suites/dma and the "nothing lost" check:
#   runner vm vtd-sc -- sh tests/vm/dma.sh   (also vtd-nosc, noiommu)
#  1. fio lays a verify pattern on the NVMe scratch range (kernel driver);
#  2. NVMe and edu go to vfio-pci; suites/dma must pass every test on
#     every path for both (copies land where mapped, unmapped IOVAs are
#     caught as IOMMU faults); without a scratch range the NVMe engine
#     refuses to write;
#  3. the NVMe goes back to its driver and fio verifies the pattern: the
#     user-space driver's writes were put back, nothing was lost;
#  4. a block overwritten behind fio's back makes verify fail, naming it;
#  5. the workload measurement with Enable No Snoop set and cleared.
# On a platform without an IOMMU the suites must skip, saying why.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/vm/hand-bind.sh
need_guest

log=/tmp/dma-vm
mkdir -p $log
export SNOOPCHECK_DMA_TIMEOUT_MS=${SNOOPCHECK_DMA_TIMEOUT_MS:-20000}
DMA_TESTS=15	# 3 tests x 5 attach paths
FIO="$RUNNER fio --filename /dev/nvme0n1 --scratch-lba $SCRATCH_LBA"

if ! wait_path /dev/nvme0n1 30; then
	bad "nvme0n1 present" "the kernel nvme driver did not bring up $NVME"
	finish
	exit
fi

# 1. the pattern, before the VFIO cycle
if $FIO write >$log/fio-write.json 2>$log/fio-write.err; then
	ok "fio write pattern on scratch LBAs $SCRATCH_LBA"
else
	bad "fio write pattern" "$(cat $log/fio-write.err)"
fi

# 2. the VFIO cycle
if ! have_iommu; then
	to_vfio $EDU
	./suites/dma $EDU >$log/edu.ktap 2>&1
	suite_skipped "dma edu without an IOMMU" $log/edu.ktap "not vfio-pci\|no IOMMU"
	give_back $EDU none
	finish
	exit
fi
for d in $NVME $EDU; do
	if to_vfio $d; then ok "$d on vfio-pci"; else bad "$d on vfio-pci" "driver: $(driver_of $d)"; fi
done

./suites/dma $EDU >$log/edu.ktap 2>&1
suite_result "dma edu, every path" $log/edu.ktap $DMA_TESTS
show $log/edu.ktap

./suites/dma $NVME >$log/nvme-noscratch.ktap 2>&1
suite_skipped "dma nvme refuses without a scratch range" $log/nvme-noscratch.ktap "no scratch_nsid/scratch_lba"

SNOOPCHECK_SCRATCH_NSID=$SCRATCH_NSID SNOOPCHECK_SCRATCH_LBA=$SCRATCH_LBA \
	./suites/dma $NVME >$log/nvme.ktap 2>&1
suite_result "dma nvme, every path" $log/nvme.ktap $DMA_TESTS
show $log/nvme.ktap

# 3. handed back: nothing lost
give_back $EDU none
if give_back $NVME nvme && wait_path /dev/nvme0n1 30; then
	ok "$NVME back on nvme"
else
	bad "$NVME back on nvme" "driver: $(driver_of $NVME)"
fi
if $FIO verify >$log/fio-verify.json 2>$log/fio-verify.err; then
	ok "fio verify after the VFIO cycle: nothing lost"
else
	bad "fio verify after the VFIO cycle" "$(cat $log/fio-verify.err)"
	sed 's/^/# /' $log/fio-verify.json
fi

# 4. corruption behind fio's back: the 4 KiB block at byte 64 KiB
dd if=/dev/urandom of=/dev/nvme0n1 bs=4096 seek=16 count=1 oflag=direct conv=notrunc 2>/dev/null
$FIO verify >$log/fio-corrupt.json 2>$log/fio-corrupt.err
rc=$?
if [ $rc -eq 1 ] && grep -q '"offset":65536' $log/fio-corrupt.json; then
	ok "fio verify catches a corrupted block at offset 65536"
else
	bad "fio verify catches a corrupted block" "exit $rc, wanted 1 with offset 65536 in bad_blocks"
	sed 's/^/# /' $log/fio-corrupt.json $log/fio-corrupt.err
fi

# 5. the workload with Enable No Snoop set and cleared (figures, not asserts)
if $FIO measure --bdf $NVME >$log/fio-measure.json 2>$log/fio-measure.err; then
	ok "fio measure with ENS set and cleared, DevCtl restored"
	echo "# evidence: $(tr -d ' \n' <$log/fio-measure.json)"
else
	bad "fio measure" "$(cat $log/fio-measure.err)"
fi
finish
