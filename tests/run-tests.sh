#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Run kselftest-harness test binaries, keep each one's KTAP output in
# build/tests/NAME.ktap (TEST_LOGS=DIR: there instead), and print one
# closing line:
#   N passed, N failed, N skipped
# A binary that dies before printing its totals (a sanitizer abort, a
# crash) counts as one failure. Exit status is 1 when anything failed.
#
# The virtual-lab tests (tests/vm/) spend their time waiting on guests,
# and the guests mostly wait too (on the kernel's fault-report rate limit,
# on timeouts): one TCG vCPU each, they used about a fifth of a CPU on
# average when measured. So they run side by side, TEST_JOBS at a time
# (default: two per CPU), one job per variant (a platform, or a platform
# and a scenario) with its own log, build/tests/NAME.VARIANT.ktap. The
# other tests run one after another in one job beside them, as before.
# The totals are the same either way.
set -u

# --- one job: run-tests.sh --job WORK INDEX BINARY [VARIANT|-rest V...] ---
# Its result, "pass fail skip", goes to WORK/INDEX.result, its line to
# stdout (a short line is one write, so lines of jobs never mix).
run_one() {
	work=$1 idx=$2 t=$3 mode=${4:-}
	shift 3
	name=$(basename "$t")
	case "$mode" in
	"") log=$logs/$name.ktap label=$name ;;
	-rest) log=$logs/$name.rest.ktap label="$name (tests of no variant)" ;;
	*) log=$logs/$name.$1.ktap label="$name $1" ;;
	esac
	case "$mode" in
	"") "$t" >"$log" 2>&1 ;;
	-rest) shift; "$t" "$@" >"$log" 2>&1 ;;	# $@: -V NAME for every variant
	*) "$t" -v "$1" >"$log" 2>&1 ;;
	esac
	rc=$?
	totals=$(sed -n 's/^# Totals: pass:\([0-9]*\) fail:\([0-9]*\) xfail:\([0-9]*\) xpass:\([0-9]*\) skip:\([0-9]*\) error:\([0-9]*\).*/\1 \2 \3 \4 \5 \6/p' "$log" | tail -n 1)
	if [ -z "$totals" ]; then
		echo "FAIL $label: exited $rc without KTAP totals; last lines:
$(tail -n 20 "$log" | sed 's/^/    /')"
		echo "0 1 0" >"$work/$idx.result"
		return
	fi
	read -r p f xf xp s e <<EOT
$totals
EOT
	bad=$((f + xp + e))
	# The harness exits 4 (KSFT_SKIP) when everything skipped.
	if [ "$bad" -eq 0 ] && [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ]; then
		bad=1
	fi
	ran=$((p + f + xf + xp + s + e))
	if [ "$ran" -eq 0 ]; then
		case "$mode" in
		-rest) echo "0 0 0" >"$work/$idx.result"; return ;;	# none: fine
		?*) # a variant that matched nothing: the list was misread
			echo "FAIL $label: no test ran for this variant (see $log)"
			echo "0 1 0" >"$work/$idx.result"
			return ;;
		esac
	fi
	echo "$((p + xf)) $bad $s" >"$work/$idx.result"
	if [ "$bad" -gt 0 ]; then
		echo "FAIL $label (exit $rc):
$(grep -E '^(not ok|# .*(FAIL|Expected|ERROR|error))' "$log" | head -n 30 | sed 's/^/    /')"
	else
		skips=$(grep -E '^ok .*# SKIP' "$log" | sed 's/^/    /')
		echo "ok   $label: $p passed, $s skipped${skips:+
$skips}"
	fi
}

logs=${TEST_LOGS:-build/tests}
if [ "${1:-}" = --job ]; then
	shift
	run_one "$@"
	exit 0
fi
if [ "${1:-}" = --serial ]; then
	work=$2 idx=$3
	shift 3
	for t in "$@"; do
		run_one "$work" "$idx" "$t"
		idx=$((idx + 1))
	done
	exit 0
fi

# Variants of a harness binary, from its -l listing (stderr), whose rows
# are printf("%-20s %-25s %s\n", fixture, variant, test) with any of them
# empty (kselftest_harness.h test_harness_list_tests()): the variant field
# starts after the fixture's, which is 20 wide or as long as its name. A
# name misread here matches no test, and that job fails, saying so.
variants() {
	list=$("$1" -l 2>&1 >/dev/null)
	# -l exits KSFT_SKIP (4); anything else is no listing (not a harness
	# binary, or missing): then it runs whole, and fails as it would.
	[ $? -eq 4 ] || return 0
	printf '%s\n' "$list" | awk '
		/^# FIXTURE/ || /^---/ { next }
		{
			if (substr($0, 1, 21) ~ /^ *$/)
				pos = 22
			else {
				match($0, /^[^ ]+/)
				pos = (RLENGTH > 20 ? RLENGTH : 20) + 2
			}
			v = substr($0, pos)
			if (v == "" || substr(v, 1, 1) == " ")
				next
			sub(/ .*/, "", v)
			if (!seen[v]++)
				print v
		}'
}

jobs=${TEST_JOBS:-$((2 * $(nproc 2>/dev/null || echo 1)))}
mkdir -p "$logs"
work=$(mktemp -d "$logs/run.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
# What the runner keeps between runs (base/filecache.h: compare's
# summaries) is kept for this run only, never in the tester's home: a
# test meets a cold cache, and then whatever the tests before it kept.
SNOOPCHECK_CACHE_DIR=$work/cache
export SNOOPCHECK_CACHE_DIR
trap 'exit 130' INT TERM

# The job list, one line each: the serial tests first (they start at once,
# beside the guests), then every variant of every lab test.
idx=0 serial=""
for t in "$@"; do
	case "$t" in
	*/vm/*) ;;
	*) serial="$serial $t" ;;
	esac
done
{
	if [ -n "$serial" ]; then
		echo "--serial $work 0$serial"
		for t in $serial; do idx=$((idx + 1)); done
	fi
	for t in "$@"; do
		case "$t" in
		*/vm/*) ;;
		*) continue ;;
		esac
		vs=$(variants "$t")
		if [ -z "$vs" ]; then
			echo "--job $work $idx $t"
			idx=$((idx + 1))
			continue
		fi
		rest=""
		for v in $vs; do
			echo "--job $work $idx $t $v"
			idx=$((idx + 1))
			rest="$rest -V $v"
		done
		echo "--job $work $idx $t -rest$rest"
		idx=$((idx + 1))
	done
} >"$work/jobs"
total=$idx

# -r: no jobs (no tests given) runs nothing, not one empty job
xargs -r -P "$jobs" -L 1 sh "$0" <"$work/jobs"

pass=0 fail=0 skip=0 i=0
while [ "$i" -lt "$total" ]; do
	if [ -e "$work/$i.result" ]; then
		read -r p f s <"$work/$i.result"
	else
		p=0 f=1 s=0	# a job that left no result
		echo "FAIL job $i: no result"
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	i=$((i + 1))
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
