#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Figures, never assertions: how long discovery and the virtual lab take on
# this machine. Nothing here fails on a number.
#
# BENCH_PARTS picks what to measure (default all, in this order):
#   discovery  runner list --from every recorded platform, and live
#   results    runner compare, compare --expect, validate and report over
#              generated results trees (scripts/gen-results.py) of each
#              BENCH_RESULTS size (default "1000 10000" files), each the
#              least of BENCH_REPEAT runs (default 3), then the growth from
#              the smallest size to the largest; no guest
#   boot       each platform's guest booted alone: boot, `true`, power off
#   suites     each suite's time on the lab's devices in each platform's
#              guest (scripts/bench-guest.sh), and the dma suite's time
#              waiting on the kernel's fault-report rate limit
#   check-vm   the whole of make check-vm, each platform's share, its time
#              waiting on the rate limit, and the ratios to the boot floor
#   check      the guest part of make check (tests/vm/*, tests/run-tests.sh)
# BENCH_RUNS: runs of each discovery replay (default 20); VM_JOBS and
# TEST_JOBS: guests at once, as for make check-vm and make check.
set -eu
cd "$(dirname "$0")/.."

parts=${BENCH_PARTS:-discovery results boot suites check-vm check}
jobs=${VM_JOBS:-$((2 * $(nproc)))}
out=build/bench
mkdir -p "$out"

now_ms() { date +%s%3N; }
want() { case " $parts " in *" $1 "*) return 0 ;; esac; return 1; }
secs() { echo "$1" | awk '{ printf "%.1f", $1 / 1000 }'; }
# ratio A B: A / B to one decimal, "-" when B is 0
ratio() { echo "$1 $2" | awk '{ if ($2 > 0) printf "%.1f", $1 / $2; else printf "-" }'; }
# Sum of the dma suite's ratelimit_wait_ms in a results file or KTAP log.
wait_ms() { grep -o '"ratelimit_wait_ms": *[0-9]*' "$1" 2>/dev/null | awk -F: '{ w += $2 } END { print w + 0 }'; }

echo "snoopcheck bench, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)), load $(cut -d' ' -f1-3 /proc/loadavg)"

if want discovery; then
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
fi

# timed LABEL FILES CMD...: wall seconds, files a second and peak RSS of
# one command (its output to $out/LABEL.out), the least of BENCH_REPEAT
# runs (default 3: other work on the machine only ever adds time), and the
# first run's time beside it: the first meets an empty cache of summaries
# ($out/cache, base/filecache.h: compare keeps them as it reads) and
# perhaps files not yet in the page cache; the runs after it read what it
# kept, as a lab's next compare over the same tree does. The least also
# to $out/LABEL.s, for the growth line. Exit status 1 (a regression, an
# unexpected failure) is what the data holds, not a bench failure.
SNOOPCHECK_CACHE_DIR=$out/cache
export SNOOPCHECK_CACHE_DIR
timed() {
	label=$1 files=$2 f=$out/$(echo "$1" | tr -c 'A-Za-z0-9.\n-' '_')
	shift 2
	rm -f "$f.times"
	rm -rf "$SNOOPCHECK_CACHE_DIR"
	r=0
	while [ $r -lt "${BENCH_REPEAT:-3}" ]; do
		if [ -x /usr/bin/time ]; then
			/usr/bin/time -f '%e %M' -o "$f.time" "$@" >"$f.out" 2>"$f.err" || true
			tail -n 1 "$f.time" >>"$f.times"
		else
			start=$(now_ms)
			"$@" >"$f.out" 2>"$f.err" || true
			echo "$(( $(now_ms) - start ))" | awk '{ print $1 / 1000, "-" }' >>"$f.times"
		fi
		r=$((r + 1))
	done
	set -- $(awk 'NR == 1 { first = $1 } !best || $1 < best { best = $1; rss = $2 } END { print best, rss, first }' "$f.times")
	echo "$1" >"$f.s"
	printf '  %-30s %7.2f s %8.0f files/s %7s MiB peak RSS (first run, nothing kept: %.2f s)\n' "$label" "$1" \
		"$(echo "$files $1" | awk '{ print ($2 > 0 ? $1 / $2 : 0) }')" \
		"$(echo "$2" | awk '{ if ($1 == "-") print "-"; else printf "%.0f", $1 / 1024 }')" "$3"
	# The closing line of text output; a JSON document's own summary.
	case $(head -c 1 "$f.out") in
	'{') /usr/bin/python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print({k: v for k, v in d.items() if not isinstance(v, (list, dict))})' "$f.out" ;;
	*) tail -n 1 "$f.out" ;;
	esac | cut -c1-100 | sed 's/^/    /'
}
# secs_of LABEL: what timed LABEL measured, seconds ("" if it did not run).
secs_of() { cat "$out/$(echo "$1" | tr -c 'A-Za-z0-9.\n-' '_').s" 2>/dev/null || true; }

if want results; then
	echo "results at scale (scripts/gen-results.py trees, $out/results-N; output in $out/*.out):"
	for n in ${BENCH_RESULTS:-1000 10000}; do
		d=$out/results-$n
		if [ ! -f "$d/.done" ] || [ scripts/gen-results.py -nt "$d/.done" ]; then
			rm -rf "$d"
			scripts/gen-results.py "$n" "$d"
			touch "$d/.done"
			sleep 2	# past the window in which a file is too new to keep a summary of
		fi
		echo " $n files a side ($(du -sh "$d/old" | cut -f1) each):"
		timed "compare-$n OLD NEW" $((2 * n)) ./runner compare "$d/old-flat" "$d/new-flat"
		timed "compare-$n --json --expect" "$n" \
			./runner compare --json --expect results/expectations "$d/new-flat"
		# One invocation over every file (the glob fits the argument limit).
		timed "validate-$n" "$n" ./runner validate "$d"/new/*/*.json
		timed "report-$n" "$n" ./runner report "$d/new" -o "$out/report-$n.html"
	done
	# Linear growth reads as the ratio of the sizes: 10x the files, 10x the time.
	set -- ${BENCH_RESULTS:-1000 10000}
	if [ $# -ge 2 ]; then
		eval "big=\${$#}"
		echo " growth, $1 to $big files ($(ratio "$big" "$1") x the files), time ratio:"
		for c in "compare OLD NEW" "compare --json --expect" "validate" "report"; do
			label() { case $c in "compare "*) echo "compare-$1 ${c#compare }" ;; *) echo "$c-$1" ;; esac; }
			a=$(secs_of "$(label "$1")") b=$(secs_of "$(label "$big")")
			printf '  %-30s %7s s -> %7s s  x %s\n' "$c" "$a" "$b" \
				"$(echo "$b $a" | awk '{ if ($2 > 0) printf "%.1f", $1 / $2; else printf "-" }')"
		done
	fi
fi

platforms=$(ls vm/platforms/*.conf | sed 's|.*/||; s|\.conf$||')
if want boot || want suites || want check-vm || want check; then
	kernel=$(vm/build-kernel.sh | tail -n 1)
	export KERNEL="$kernel"
	echo "virtual lab: TCG, $(qemu-system-x86_64 --version | head -n 1), kernel $kernel"
fi

# The boot floor: each guest alone, so no other guest slows it.
boot_total=0
if want boot; then
	echo "boot, run true, power off (runner vm PLATFORM -- true), one guest at a time:"
	for p in $platforms; do
		start=$(now_ms)
		./runner vm "$p" -- true >/dev/null 2>&1 || true
		ms=$(( $(now_ms) - start ))
		echo "$ms" >"$out/boot-$p.ms"
		boot_total=$((boot_total + ms))
		printf '  %-10s %6s s\n' "$p" "$(secs $ms)"
	done
fi
boot_of() { cat "$out/boot-$1.ms" 2>/dev/null || echo 0; }

if want suites; then
	echo "each suite on the lab's devices, in the guest (scripts/bench-guest.sh), $jobs guests at a time, seconds:"
	printf '%s\n' $platforms | xargs -P "$jobs" -I{} sh -c \
		'./runner vm --out "$1/suites-$2" "$2" -- sh scripts/bench-guest.sh >"$1/suites-$2.txt" 2>/dev/null || true' \
		sh "$out" {}
	printf '  %-10s' platform
	suites=$(awk '$1 == "suite" { print $2 }' "$out"/suites-*.txt | awk '!seen[$0]++')
	for s in $suites; do printf ' %12s' "$s"; done
	printf ' %12s\n' "dma waiting"
	# "-": the suite did not run there (no IOMMU: nothing is bound)
	for p in $platforms; do
		printf '  %-10s' "$p"
		for s in $suites; do
			printf ' %12s' "$(awk -v s="$s" '$1 == "suite" && $2 == s { t += $4; n++ } END { if (n) printf "%.1f", t / 1000; else printf "-" }' "$out/suites-$p.txt")"
		done
		printf ' %12s\n' "$(awk '$1 == "suite" && $2 == "dma" { w += $5; n++ } END { if (n) printf "%.1f", w / 1000; else printf "-" }' "$out/suites-$p.txt")"
	done
	echo "  (per device: $out/suites-PLATFORM.txt, \"suite NAME DEVICE MS [WAIT_MS]\")"
fi

if want check-vm; then
	start=$(now_ms)
	make --no-print-directory -s check-vm VM_JOBS="$jobs" >"$out/check-vm.log" 2>&1 || true
	total=$(( $(now_ms) - start ))
	echo "make check-vm, $jobs guests at a time: $(secs $total) s (output: $out/check-vm.log)"
	printf '  %-7s %-10s %12s %17s %11s\n' kernel platform "runner vm s" "rate-limit wait s" "x its boot"
	for k in $(scripts/kernel-src.sh series); do
		for p in $platforms; do
			s=$(sed -n "s/^check-vm: $k $p: .* \([0-9]*\) s (log.*/\1/p; s/^check-vm: $k $p: .* \([0-9]*\) s; .*/\1/p" "$out/check-vm.log" | head -n 1)
			w=$(wait_ms "build/vm/$k/$p.json")
			printf '  %-7s %-10s %12s %17s %11s\n' "$k" "$p" "${s:--}" "$(secs "$w")" \
				"$(ratio "$(( ${s:-0} * 1000 ))" "$(boot_of "$p")")"
		done
	done
	if [ "$boot_total" -gt 0 ]; then
		# every platform boots once per lab kernel (each at the default kernel's boot time)
		nk=$(scripts/kernel-src.sh series | wc -l)
		n=$(( $(echo $platforms | wc -w) * nk ))
		floor=$(( nk * boot_total / (n < jobs ? n : jobs) ))
		echo "  boot floor: $n boots, $jobs at a time: $(secs $floor) s; make check-vm is $(ratio "$total" "$floor") x that"
	fi
fi

if want check; then
	tjobs=${TEST_JOBS:-$jobs}
	start=$(now_ms)
	TEST_JOBS=$tjobs tests/run-tests.sh build/tests/vm/*_test >"$out/check.log" 2>&1 || true
	total=$(( $(now_ms) - start ))
	echo "guest part of make check (tests/run-tests.sh build/tests/vm/*, $tjobs jobs): $(secs $total) s, $(tail -n 1 "$out/check.log") (output: $out/check.log)"
fi
