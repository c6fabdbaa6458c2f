#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# The last step of `make check-vm`: each platform's run on every other lab
# kernel held against its run on the first (the default series), as a
# maintainer compares kernels before a merge:
#   scripts/compare-kernels.sh BASE SERIES...
# runs `runner compare --expect results/expectations --baseline
# build/vm/BASE/P.json build/vm/SERIES/P.json` for each platform P. The
# whole change list goes to build/vm/compare-BASE-SERIES/P.txt; one line
# per platform says how it went, followed by every change no expectation
# covers (a regression, a pass lost to a skip). Exit 1 if any platform has
# one, or lacks a results file on either side (check-vm.sh said why).
set -u
cd "$(dirname "$0")/.." || exit 1
base=$1
shift
rc=0
for series in "$@"; do
	dir=build/vm/compare-$base-$series
	mkdir -p "$dir"
	for old in build/vm/"$base"/*.json; do
		p=$(basename "$old" .json)
		new=build/vm/$series/$p.json
		if [ ! -f "$new" ]; then
			echo "check-vm: $p: $base -> $series: no results file on $series"
			rc=1
			continue
		fi
		./runner compare --expect results/expectations --baseline "$old" "$new" \
			>"$dir/$p.txt" 2>&1
		status=$?
		echo "check-vm: $p: $base -> $series: $(tail -n 1 "$dir/$p.txt") (exit $status; changes: $dir/$p.txt)"
		if [ "$status" != 0 ]; then
			grep -E '^  (REGRESSION|LOST) ' "$dir/$p.txt" | sed 's/^/  /'
			[ "$status" = 1 ] || tail -n 5 "$dir/$p.txt" | sed 's/^/    /'
			rc=1
		fi
	done
	for new in build/vm/"$series"/*.json; do
		p=$(basename "$new" .json)
		[ -f "build/vm/$base/$p.json" ] && continue
		echo "check-vm: $p: $base -> $series: no results file on $base"
		rc=1
	done
done
exit $rc
