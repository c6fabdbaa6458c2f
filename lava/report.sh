#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# lava/report.sh CHECK_HW_STATUS: the last step of lava/snoopcheck.yaml.
# Reports what CHECK_HW left in $RESULTS (default build/hw/results.json)
# to LAVA with its own helpers (on PATH in a LAVA test shell):
#   check-hw          pass when CHECK_HW_STATUS is 0, else fail (its status in the log)
#   SUITE.DEVICE.TEST one per KTAP result, in a set SUITE.DEVICE
#   verdict.DEVICE    one per device verdict
#   run.complete      the run finished (its seconds as the measurement)
#   results-bundle    runner bundle of the results and raw logs: uploaded to
#                     $RESULTS_URL with curl -T and referenced with
#                     lava-test-reference, else kept on the device (the log
#                     says where)
# `runner export --lava` makes the case lines (lib/export/lava.h). Exit
# status: CHECK_HW_STATUS when it is not 0 (so a LAVA job's set -e stops
# there and the definition shows as failed, after everything is reported),
# 2 when the results could not be reported, else 0.
set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 CHECK_HW_STATUS" >&2
	exit 2
fi
check_hw_status=$1
results=${RESULTS:-build/hw/results.json}
url=${RESULTS_URL:-}
runner=$(dirname "$0")/../runner
status=0
# names and results are [A-Za-z0-9._-]: no word of a case line is a glob
set -f

case $check_hw_status in
0) lava-test-case check-hw --result pass ;;
*[!0-9]*|'') echo "report.sh: CHECK_HW_STATUS '$check_hw_status': expected a number" >&2; exit 2 ;;
*)
	echo "# check-hw: exit status $check_hw_status"
	lava-test-case check-hw --result fail
	status=$check_hw_status
	;;
esac

if [ ! -f "$results" ]; then
	echo "# check-hw left no results file $results: no results to report"
	exit $(( status ? status : 2 ))
fi
lines=$(mktemp) || exit 2
trap 'rm -f "$lines"' EXIT
if ! "$runner" export --lava -o "$lines" "$results"; then
	echo "# $results: runner export --lava refused it (above): no results to report"
	lava-test-case results-valid --result fail
	exit $(( status ? status : 2 ))
fi
while IFS= read -r line; do
	case $line in
	"set start "*) lava-test-set start "${line#set start }" ;;
	"set stop") lava-test-set stop ;;
	"case "*)
		# shellcheck disable=SC2086 # split on purpose: NAME RESULT [MEASUREMENT UNITS]
		set -- $line
		if [ $# -eq 5 ]; then
			lava-test-case "$2" --result "$3" --measurement "$4" --units "$5"
		else
			lava-test-case "$2" --result "$3"
		fi
		;;
	"# "*) printf '%s\n' "$line" ;;
	*) echo "report.sh: unexpected line from runner export --lava: $line" >&2; status=2 ;;
	esac
done <"$lines"

# The results directory as one archive: the results file and its raw logs.
out=$(dirname "$results")/bundle
rm -rf "$out"
mkdir -p "$out"
if ! "$runner" bundle -o "$out" "$results" >/dev/null; then
	lava-test-case results-bundle --result fail
	exit $(( status ? status : 2 ))
fi
set +f
bundle=$(ls "$out"/*.tar)
set -f
name=$(basename "$bundle")
if [ -z "$url" ]; then
	echo "# results-bundle: $bundle on the device (set RESULTS_URL to upload it)"
	lava-test-case results-bundle --result pass
elif curl -sSf -T "$bundle" "${url%/}/$name"; then
	lava-test-reference results-bundle --result pass --reference "${url%/}/$name"
else
	echo "# results-bundle: upload of $bundle to ${url%/}/$name failed (above)"
	lava-test-case results-bundle --result fail
	status=$(( status ? status : 2 ))
fi
exit $status
