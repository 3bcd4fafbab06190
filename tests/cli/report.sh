#!/usr/bin/env bash
# `koe report` through the real command line on a survey opened with
# `koe open` and closed with `koe close` (no answers yet): usage errors,
# a missing terminal, a missing output directory, and the empty report.
set -u
koe=${KOE_BIN:?}
src=${KOE_SRC:?}
export KOE_KDF_MEMLIMIT=8388608
export SOURCE_DATE_EPOCH=1796083200
fail=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cd "$t"
say_fail() { echo "FAIL: $*" >&2; fail=1; }
expect_exit() { # expect_exit WANT DESCRIPTION -- command...
	local want=$1 what=$2; shift 3
	"$@" >"$t/out" 2>"$t/err"
	local got=$?
	[ "$got" = "$want" ] || { say_fail "$what: exit $got, want $want"; cat "$t/err" >&2; }
}
echo "correct horse battery staple" >pass.txt
mkdir reports

expect_exit 2 "no --out" -- "$koe" report --passphrase-file pass.txt
grep -q "usage: koe report" "$t/err" || say_fail "usage message"
expect_exit 0 "help" -- "$koe" help report
grep -q -- "--interim" "$t/out" || say_fail "help mentions --interim"
expect_exit 1 "no database" -- "$koe" report --out reports/r.pdf --db nowhere.db
[ ! -e nowhere.db ] || say_fail "report created a database"

expect_exit 0 "open" -- "$koe" open "$src/surveys/alumni-readiness.txt" \
	--roster "$src/tests/data/roster-lifecycle/roster.csv" --base-url http://127.0.0.1:1 \
	--passphrase-file pass.txt
expect_exit 1 "open survey" -- "$koe" report --out reports/r.pdf --passphrase-file pass.txt
grep -q -- "--interim" "$t/err" || say_fail "refusal names --interim"
expect_exit 0 "close" -- "$koe" close --yes

# No terminal and no passphrase file: a clear message, nothing written.
expect_exit 1 "no tty" -- setsid "$koe" report --out reports/r.pdf </dev/null
grep -q "passphrase-file" "$t/err" || say_fail "no tty message: $(cat "$t/err")"
expect_exit 1 "missing directory" -- "$koe" report --out nodir/r.pdf --passphrase-file pass.txt
grep -q "nodir" "$t/err" || say_fail "missing directory message: $(cat "$t/err")"

# No answers at all: a report that says so, with the real key fingerprint.
expect_exit 0 "empty report" -- "$koe" report --out reports/r.pdf --json reports/r.json \
	--passphrase-file pass.txt
grep -q "Final report of 'alumni-readiness-2026' (0 responses)" "$t/out" || say_fail "summary line: $(cat "$t/out")"
pdftotext reports/r.pdf reports/r.txt 2>/dev/null || say_fail "pdftotext"
grep -q "回答者はまだ 0 人です" reports/r.txt || say_fail "empty report text"
fp=$(grep -o '"key_id": "[0-9a-f]*"' reports/r.json | cut -d'"' -f4)
[ ${#fp} = 64 ] && tr -d ' \n' <reports/r.txt | grep -q "$fp" || say_fail "fingerprint in PDF and JSON"
[ "$(grep -Ec '([0-9a-f]{4} ){7}[0-9a-f]{4}' reports/r.txt)" = 2 ] ||
	say_fail "fingerprint in the PDF in groups of four, eight to a line"
grep -q '"count": 0' reports/r.json || say_fail "receipt count"
ls reports | grep -q tmp- && say_fail "temporary file left behind"

[ $fail -eq 0 ] && echo "cli report: all passed"
exit $fail
