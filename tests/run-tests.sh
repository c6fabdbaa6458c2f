#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Run kselftest-harness test binaries, keep each one's KTAP output in
# build/tests/NAME.ktap, and print one closing line:
#   N passed, N failed, N skipped
# A binary that dies before printing its totals (a sanitizer abort, a
# crash) counts as one failure. Exit status is 1 when anything failed.
set -u

pass=0 fail=0 skip=0
for t in "$@"; do
	name=$(basename "$t")
	log=build/tests/$name.ktap
	"$t" >"$log" 2>&1
	rc=$?
	totals=$(sed -n 's/^# Totals: pass:\([0-9]*\) fail:\([0-9]*\) xfail:\([0-9]*\) xpass:\([0-9]*\) skip:\([0-9]*\) error:\([0-9]*\).*/\1 \2 \3 \4 \5 \6/p' "$log" | tail -n 1)
	if [ -z "$totals" ]; then
		echo "FAIL $name: exited $rc without KTAP totals; last lines:"
		tail -n 20 "$log" | sed 's/^/    /'
		fail=$((fail + 1))
		continue
	fi
	read -r p f xf xp s e <<EOT
$totals
EOT
	bad=$((f + xp + e))
	# The harness exits 4 (KSFT_SKIP) when everything skipped.
	if [ "$bad" -eq 0 ] && [ "$rc" -ne 0 ] && [ "$rc" -ne 4 ]; then
		bad=1
	fi
	pass=$((pass + p + xf)) fail=$((fail + bad)) skip=$((skip + s))
	if [ "$bad" -gt 0 ]; then
		echo "FAIL $name (exit $rc):"
		grep -E '^(not ok|# .*(FAIL|Expected|ERROR|error))' "$log" | head -n 30 | sed 's/^/    /'
	else
		echo "ok   $name: $p passed, $s skipped"
		grep -E '^ok .*# SKIP' "$log" | sed 's/^/    /'
	fi
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
