#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# One platform of `make check-vm` on one lab kernel:
#   scripts/check-vm.sh SERIES PLATFORM
# the whole job (runner run) in its guest, booted with that kernel
# (`runner vm --kernel SERIES`, vm/build-kernel.sh's cached build), on the
# devices lab.conf.example names (the lab's own). The guest's messages go
# to build/vm/SERIES/PLATFORM.log, the results file to
# build/vm/SERIES/PLATFORM.json; one line says how it went, and the log
# follows when it left no valid results file (exit 1). Platforms and
# kernels run side by side (the Makefile starts two per CPU), so nothing
# here is shared between two of them.
set -u
cd "$(dirname "$0")/.." || exit 1
series=$1 p=$2
mkdir -p "build/vm/$series"
out=build/vm/$series/$p
start=$(date +%s)
./runner vm --kernel "$series" --out "$out" "$p" -- \
	./runner run --config lab.conf.example --out /run/out/results.json \
	>/dev/null 2>"$out.log" </dev/null
status=$?
secs=$(($(date +%s) - start))
# `runner compare` reads build/vm/SERIES/*.json: an invalid one is named there too.
cp "$out/results.json" "$out.json" 2>/dev/null
if ./runner validate "$out/results.json" >/dev/null 2>&1; then
	echo "check-vm: $series $p: valid results file, runner vm exit $status, $secs s (log: $out.log)"
	exit 0
fi
echo "check-vm: $series $p: no valid results file, runner vm exit $status, $secs s; $out.log:
$(sed 's/^/    /' "$out.log")"
exit 1
