#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Figures from inside a virtual-lab guest, for scripts/bench.sh:
#   runner vm PLATFORM -- sh scripts/bench-guest.sh
# binds the devices lab.conf.example names, as `runner run` does, and runs
# every suite on every bound device, in runner run's order (devices as the
# config lists them, suites by name), with the environment runner run gives
# them (SNOOPCHECK_DEVICES, a partner in SNOOPCHECK_DEVICE2, the scratch
# range); the partner is the first other bound device, which is the one
# runner run picks when every device sits behind the same kind of unit, as
# in the lab. Prints one line per run: "suite SUITE DEVICE MS [WAIT_MS]",
# WAIT_MS the dma suite's time waiting on the fault-report rate limit.
set -u
cd "$(dirname "$0")/.." || exit 1
if [ "${SNOOPCHECK_GUEST:-}" != 1 ]; then
	echo "bench-guest.sh rebinds PCI devices: run it in a virtual-lab guest (runner vm PLATFORM -- sh $0)" >&2
	exit 4
fi
conf=lab.conf.example
now_ms() { date +%s%3N; }

if [ "${1:-}" != --bound ]; then
	exec ./runner bind --config "$conf" -- sh "$0" --bound
fi

# "BDF NSID LBA" per device of the config, BDFs in full ("0000:00:06.0").
devices=$(awk -F' *= *' '
	function flush() { if (d != "") print d, (n == "" ? "-" : n), (l == "" ? "-" : l) }
	$1 == "device" { flush(); d = $2; n = ""; l = ""; if (d !~ /^[0-9a-f]+:[0-9a-f]+:/) d = "0000:" d }
	$1 == "scratch_nsid" { n = $2 }
	$1 == "scratch_lba" { l = $2 }
	END { flush() }' "$conf")
bound=""
for d in $(echo "$devices" | cut -d' ' -f1); do
	drv=$(basename "$(readlink /sys/bus/pci/devices/$d/driver 2>/dev/null)" 2>/dev/null)
	[ "$drv" = vfio-pci ] && bound="$bound $d"
done
bound=${bound# }

echo "$devices" | while read -r d nsid lba; do
	case " $bound " in *" $d "*) ;; *) continue ;; esac
	partner=""
	for o in $bound; do
		[ "$o" != "$d" ] && { partner=$o; break; }
	done
	for s in suites/*; do
		case "$s" in *.*) continue ;; esac
		[ -x "$s" ] || continue
		name=$(basename "$s")
		start=$(now_ms)
		env SNOOPCHECK_DEVICES="$bound" ${partner:+SNOOPCHECK_DEVICE2=$partner} \
			$([ "$nsid" != - ] && echo "SNOOPCHECK_SCRATCH_NSID=$nsid") \
			$([ "$lba" != - ] && echo "SNOOPCHECK_SCRATCH_LBA=$lba") \
			"$s" "$d" >/tmp/bench-$name-$d.ktap 2>&1 </dev/null
		ms=$(($(now_ms) - start))
		wait=$(grep -o '"ratelimit_wait_ms": *[0-9]*' /tmp/bench-$name-$d.ktap |
			awk -F: '{ w += $2 } END { if (NR) print w }')
		echo "suite $name $d $ms${wait:+ $wait}"
	done
done
