#!/usr/bin/env bash
# A tiny run of the load generator as a test: 20 concurrent employees, 100
# complete responses through the real koe serve, zero errors, and the
# database holds exactly the acknowledged responses (bench_load checks that
# and exits non-zero otherwise). No timing is asserted: benchmarks are not
# unit tests; the real figures come from running bench_load by hand.
set -u
koe=${KOE_BIN:?}
# BENCH_LOAD: for runs where KOE_BIN is a wrapper (valgrind) elsewhere.
bench=${BENCH_LOAD:-$(dirname "$koe")/bench_load}
[ -x "$bench" ] || { echo "FAIL: no bench_load beside $koe" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$bench" --koe "$koe" --survey-file "${KOE_SRC:?}/surveys/alumni-readiness.txt" \
	--clients 20 --responses 100 --paced 20 --rate 200 --crypto-seconds 0 >"$out" 2>&1
rc=$?
if [ $rc -ne 0 ] || ! grep -q "the database holds 120 responses, 120 acknowledged" "$out" ||
	! grep -q "errors                          0" "$out"; then
	cat "$out" >&2
	echo "FAIL: bench_load smoke run (exit $rc)" >&2
	exit 1
fi
