#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Figures, never assertions: how long discovery and the virtual lab take on
# this machine. Nothing here fails on a number.
set -eu
cd "$(dirname "$0")/.."

now_ms() { date +%s%3N; }

runs=${BENCH_RUNS:-20}
echo "discovery replay (runner list --from), mean of $runs runs:"
for d in tests/fixtures/platforms/*/; do
	start=$(now_ms)
	i=0
	while [ $i -lt "$runs" ]; do
		./runner list --json --from "$d" >/dev/null
		i=$((i + 1))
	done
	end=$(now_ms)
	devs=$(grep -c '"bdf"' "$d/expected-list.json" || true)
	printf '  %-40s %4s devices  %6.2f ms\n' "$(basename "$d")" "$devs" \
		"$(echo "($end - $start) / $runs" | bc -l)"
done

start=$(now_ms)
./runner list --json >/dev/null
echo "live discovery on this machine: $(( $(now_ms) - start )) ms"

kernel=$(vm/build-kernel.sh | tail -n 1)
for p in vtd-sc noiommu; do
	start=$(now_ms)
	KERNEL=$kernel ./runner vm "$p" -- true 2>/dev/null
	echo "virtual lab $p: boot, run true, power off: $(( $(now_ms) - start )) ms"
done
