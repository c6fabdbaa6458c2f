#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Virtual-lab scenario for the group cases of suites/attach and for
# suites/attach_pair:
#   runner vm vtd-sc -- sh tests/vm/groups.sh   (also vtd-nosc, amdvi)
# Behind the lab's PCIe-to-PCI bridge, edu2 (01:01.0) and a virtio-rng
# (01:02.0, driven by virtio-pci) share one IOMMU group. runner bind never
# splits a group, so this script does, by hand, what no runner would:
#   1. edu2 alone on vfio-pci, virtio-rng left on virtio-pci: the group is
#      not viable and every attach path must be refused with EPERM;
#   2. virtio-rng unbound (no driver): the group is viable, the non-viable
#      test skips saying so, and the group refuses with ENODEV to hand out
#      a member that is not on vfio-pci (the bridge or virtio-rng);
#   3. two devices on one iommufd (edu and edu2): the shared HWPT follows
#      the device it was allocated for, both orders of attaching to one IOAS
#      share one auto domain, and a type1v2 or iommufd container holding
#      both groups enforces what the unit can; the reuse corner skips, because the lab's
#      single vIOMMU cannot differ from itself in Snoop Control;
#   4. runner bind of edu2 takes the whole group: virtio-rng onto vfio-pci
#      with it, the bridge left alone, and both given back afterwards.
# Every device goes back to where it was.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/vm/hand-bind.sh
need_guest

EDU2=0000:01:01.0
RNG=0000:01:02.0
log=/tmp/groups-vm
mkdir -p $log
if ! have_iommu; then
	skipped "group cases" "no IOMMU on this platform: there are no IOMMU groups"
	finish
	exit
fi

same_group() {
	[ "$(readlink -f /sys/bus/pci/devices/$1/iommu_group)" = \
	  "$(readlink -f /sys/bus/pci/devices/$2/iommu_group)" ]
}
if same_group $EDU2 $RNG; then
	ok "$EDU2 and $RNG share one IOMMU group"
else
	bad "$EDU2 and $RNG share one IOMMU group" "the bridge topology changed (lib/vm/vm.c)"
fi

# 1. Not viable.
if to_vfio $EDU2; then ok "$EDU2 alone on vfio-pci"; else bad "$EDU2 on vfio-pci" "driver: $(driver_of $EDU2)"; fi
if [ "$(driver_of $RNG)" = virtio-pci ]; then ok "$RNG stays on virtio-pci"; else bad "$RNG on virtio-pci" "driver: $(driver_of $RNG)"; fi
./suites/attach $EDU2 -t non_viable_group_is_refused_on_every_path >$log/1.ktap 2>&1
suite_result "non-viable group: every path gives EPERM" $log/1.ktap 1
show $log/1.ktap

# 2. Viable again; the member left without a driver is not handed out.
echo $RNG >/sys/bus/pci/drivers/virtio-pci/unbind
if [ "$(driver_of $RNG)" = none ]; then ok "$RNG unbound"; else bad "$RNG unbound" "driver: $(driver_of $RNG)"; fi
./suites/attach $EDU2 -t non_viable_group_is_refused_on_every_path >$log/2a.ktap 2>&1
suite_skipped "viable group: the non-viable case skips" $log/2a.ktap "is viable"
./suites/attach $EDU2 -t group_refuses_a_device_not_on_vfio_pci >$log/2b.ktap 2>&1
suite_result "the group refuses a member not on vfio-pci: ENODEV" $log/2b.ktap 1
show $log/2b.ktap
if grep -q '"same_group":true' $log/2b.ktap; then
	ok "the refused device was a member of the same group"
else
	bad "the refused device was a member of the same group" "$(grep evidence $log/2b.ktap)"
fi

# 3. Two devices, one iommufd.
to_vfio $EDU
./suites/attach_pair $EDU $EDU2 >$log/3.ktap 2>&1
set -- $(ktap_totals $log/3.ktap)
if [ "${1:-0}" = 7 ] && [ "${2:-1}" = 0 ] && [ "${3:-0}" = 1 ] &&
   grep -q '^ok .*# SKIP.*agree on Snoop Control' $log/3.ktap &&
   [ "$(grep -c '"shared":"ioas".*"same_domain":true' $log/3.ktap)" = 2 ]; then
	ok "attach_pair: shared HWPT, IOAS and containers pass, the reuse corner skips with its reason"
else
	bad "attach_pair" "pass:${1:-?} fail:${2:-?} skip:${3:-?}, wanted 7 0 1 and two shared auto domains"
	tail -n 20 $log/3.ktap | sed 's/^/# /'
fi
show $log/3.ktap

give_back $EDU none
give_back $EDU2 none
echo $RNG >/sys/bus/pci/drivers_probe 2>/dev/null
if wait_driver $RNG virtio-pci 10; then ok "$RNG back on virtio-pci"; else bad "$RNG back on virtio-pci" "driver: $(driver_of $RNG)"; fi
for d in $EDU $EDU2; do
	if [ "$(driver_of $d)" = none ]; then ok "$d back to no driver"; else bad "$d back to no driver" "driver: $(driver_of $d)"; fi
done

# 4. The runner never splits a group.
$RUNNER bind --device $EDU2 -- sh -c "readlink /sys/bus/pci/devices/$RNG/driver" >$log/4.out 2>&1
st=$?
if [ $st = 0 ] && grep -q 'drivers/vfio-pci$' $log/4.out; then
	ok "runner bind $EDU2 took $RNG onto vfio-pci with it"
else
	bad "runner bind $EDU2 took $RNG onto vfio-pci with it" "exit $st" "$(cat $log/4.out)"
fi
if grep -q '0000:00:07.0 left-unbound' $log/4.out; then
	ok "the bridge was left alone, and the report says so"
else
	bad "the bridge was left alone, and the report says so" "$(cat $log/4.out)"
fi
if [ "$(driver_of $RNG)" = virtio-pci ] && [ "$(driver_of $EDU2)" = none ]; then
	ok "the group given back"
else
	bad "the group given back" "$RNG: $(driver_of $RNG), $EDU2: $(driver_of $EDU2)"
fi
finish
