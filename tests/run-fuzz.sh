#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Run libFuzzer harnesses (build/f/fuzz/NAME_fuzz, from tests/fuzz/) for
# FUZZ_SECONDS each, one after the other. Each starts from its corpus in
# build/fuzz/CORPUS/NAME, seeded from the repo's fixtures (below) and
# tests/fuzz/seeds/NAME/ (inputs that once broke something); what it
# finds stays there for the next run and is never committed. One line per
# harness, then one closing line:
#   fuzz NAME: N execs, cov N, N crashes
#   fuzz: N harnesses, N crashed
# A crash (sanitizer report, oracle failure, leak, timeout, out of memory)
# keeps its input under build/fuzz/crashes/NAME/ and prints its path and
# how to rerun it; the exit status is then 1.
set -u

secs=${FUZZ_SECONDS:-60}
out=build/fuzz
# malloc stacks cost half the speed; rerunning a crash shows them.
ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=0}
export ASAN_OPTIONS
llvm_symbolizer=/usr/lib/llvm-14/bin/llvm-symbolizer
[ -x "$llvm_symbolizer" ] && export ASAN_SYMBOLIZER_PATH="$llvm_symbolizer"

# The fixtures each harness starts from, one path a line.
fixtures() {
	case $1 in
	allowlist) ls tests/fixtures/allowlist/*.list drivers-allowlist/*.list ;;
	labconfig) ls lab.conf.example tests/fixtures/bad/*.conf ;;
	kvconf)    ls lab.conf.example tests/fixtures/bad/*.conf vm/platforms/*.conf ;;
	results)   ls tests/fixtures/results/*.json ;;
	report)    ls tests/fixtures/results/*.json tests/fixtures/report/*/*/results.json ;;
	lava)      ls tests/fixtures/results/*.json ;;
	fio)       ls tests/fixtures/fio/*.json tests/fixtures/fio/*.stderr ;;
	elfnote)   ls tests/fixtures/platforms/*/sys/kernel/notes ;;
	kconfig)   ls tests/fixtures/platforms/*/proc/config.gz ;;
	dump)      ls tests/fixtures/platforms/*/lspci-xxxx.txt tests/fixtures/bad/*/lspci-xxxx.txt ;;
	expect)    ls results/expectations/*.conf tests/fixtures/expect/*.conf ;;
	vtd_pgtable) ls tests/fixtures/vtd/*.txt ;;
	esac 2>/dev/null
}

# Put the seeds of harness $1 into directory $2.
seed() {
	i=0
	for f in $(fixtures "$1"); do
		i=$((i + 1))
		cp "$f" "$2/fixture-$i"
	done
	case $1 in
	ktap)
		# ktap_fuzz.c: the first byte picks the suite (attach, attach_pair).
		for f in tests/fixtures/ktap/*.ktap tests/fixtures/runs/*/*.ktap; do
			i=$((i + 1))
			case $f in */attach_pair@*) b='\001' ;; *) b='\000' ;; esac
			{ printf "$b"; cat "$f"; } >"$2/fixture-$i"
		done ;;
	docsum)
		# docsum_fuzz.c: \001 then a results file (summarized); \000 then a
		# summary's text, \002 then a view's (both in tests/fuzz/seeds/docsum/).
		for f in tests/fixtures/results/*.json tests/fixtures/report/*/*/results.json; do
			i=$((i + 1))
			{ printf '\001'; cat "$f"; } >"$2/fixture-$i"
		done ;;
	fio)
		# fio_fuzz.c: the report, a NUL, then fio's stderr.
		{ cat tests/fixtures/fio/verify-bad.json; printf '\000'
		  cat tests/fixtures/fio/verify-bad.stderr; } >"$2/fixture-both" ;;
	esac
	if [ -d "tests/fuzz/seeds/$1" ]; then
		for f in "tests/fuzz/seeds/$1"/*; do
			[ -f "$f" ] && cp "$f" "$2/seed-$(basename "$f")"
		done
	fi
}

runs=0 crashed=0
for bin in "$@"; do
	name=$(basename "$bin" _fuzz)
	corpus=$out/CORPUS/$name crashes=$out/crashes/$name log=$out/$name.log
	mkdir -p "$corpus" "$crashes"
	seed "$name" "$corpus"
	"$bin" -max_total_time="$secs" -timeout=30 -print_final_stats=1 \
		-artifact_prefix="$crashes/" "$corpus" >"$log" 2>&1
	rc=$?
	runs=$((runs + 1))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(sed -n 's/.* cov: \([0-9]*\) .*/\1/p' "$log" | tail -n 1)
	unit=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		echo "fuzz $name: ${execs:-0} execs, cov ${cov:-?}, 0 crashes"
		continue
	fi
	crashed=$((crashed + 1))
	echo "fuzz $name: ${execs:-?} execs, cov ${cov:-?}, 1 crash (exit $rc)"
	grep -E '^(oracle failed|==[0-9]+==ERROR|SUMMARY)|runtime error' "$log" | head -n 5 | sed 's/^/    /'
	if [ -n "$unit" ]; then
		echo "    input kept: $unit"
		echo "    rerun: $bin $unit"
	else
		echo "    no input kept; the log: $log"
	fi
done
echo "fuzz: $runs harnesses, $crashed crashed"
[ "$crashed" -eq 0 ]
