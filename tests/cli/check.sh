#!/usr/bin/env bash
# koe check and the help texts behave as a Unix user expects: exit 0 on clean
# files, 1 on errors (all of them, compiler style, on stderr), 2 on usage.
set -u
koe=${KOE_BIN:?}
src=${KOE_SRC:?}
fail=0
expect() { # expect DESCRIPTION WANT GOT
	if [ "$2" != "$3" ]; then
		echo "FAIL: $1: want [$2] got [$3]" >&2
		fail=1
	fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$koe" check "$src/surveys/alumni-readiness.txt" >"$tmp/out" 2>"$tmp/err"
expect "clean file exit" 0 $?
expect "clean file stderr" "" "$(cat "$tmp/err")"
grep -q "ok: survey 'alumni-readiness-2026'" "$tmp/out" || { echo "FAIL: summary" >&2; fail=1; }

cp "$src/tests/data/qn-bad/several-errors.txt" "$tmp/bad.txt"
"$koe" check "$src/surveys/alumni-readiness.txt" "$tmp/bad.txt" >"$tmp/out" 2>"$tmp/err"
expect "errors exit" 1 $?
expect "first error" "$tmp/bad.txt:4:12: error: unknown question type 'Matirx' (did you mean 'Matrix'?)" \
	"$(sed -n 1p "$tmp/err")"
expect "second error" "$tmp/bad.txt:8:1: error: question 'rejoin' has no choices (list the choices after [[Choices]])" \
	"$(sed -n 2p "$tmp/err")"
expect "count line" "$tmp/bad.txt: 2 errors" "$(sed -n 3p "$tmp/err")"
# The clean file is still reported clean in the same run.
grep -q "alumni-readiness.txt: ok" "$tmp/out" || { echo "FAIL: clean file in mixed run" >&2; fail=1; }

"$koe" check "$tmp/missing.txt" 2>"$tmp/err"
expect "missing file exit" 1 $?
expect "missing file message" "koe check: cannot read '$tmp/missing.txt': No such file or directory" "$(cat "$tmp/err")"

"$koe" check "$tmp" 2>"$tmp/err"
expect "directory exit" 1 $?

"$koe" check 2>/dev/null
expect "no files exit" 2 $?

"$koe" --version >"$tmp/out"
expect "version exit" 0 $?
grep -Eq '^koe [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/out" || { echo "FAIL: version text" >&2; fail=1; }

"$koe" --help >"$tmp/out"
expect "help exit" 0 $?
grep -q "check" "$tmp/out" || { echo "FAIL: help lists check" >&2; fail=1; }

"$koe" help check >"$tmp/out"
expect "help check exit" 0 $?
grep -q "usage: koe check FILE" "$tmp/out" || { echo "FAIL: help check text" >&2; fail=1; }
"$koe" check --help >"$tmp/out2"
expect "check --help same as help check" "$(cat "$tmp/out")" "$(cat "$tmp/out2")"

"$koe" chek 2>"$tmp/err"
expect "unknown command exit" 2 $?
grep -q "Did you mean 'koe check'" "$tmp/err" || { echo "FAIL: command suggestion" >&2; fail=1; }

"$koe" 2>/dev/null
expect "no command exit" 2 $?

"$koe" --frobnicate 2>/dev/null
expect "unknown option exit" 2 $?

[ $fail -eq 0 ] && echo "cli check: all passed"
exit $fail
