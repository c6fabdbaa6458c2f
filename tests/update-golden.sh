#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Regenerate the golden outputs of every platform fixture. Review the diff
# by eye before committing: a golden file is a claim about real hardware.
set -eu
cd "$(dirname "$0")/.."
for d in tests/fixtures/platforms/*/; do
	d=${d%/}
	./runner list --from "$d" >"$d/expected-list.txt"
	./runner list --json --from "$d" >"$d/expected-list.json"
done
git status --short tests/fixtures/platforms
