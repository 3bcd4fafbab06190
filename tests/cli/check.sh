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
# Its display condition is listed under the summary, as the server applies it.
grep -qx "  question 'offboarding' shown only if saw_leave = 1 (同僚の退職を見聞きした人 / People who have seen a colleague leave)" "$tmp/out" ||
	{ echo "FAIL: condition in the summary" >&2; fail=1; }

# A condition over more answers than koe can try: it does not guess that
# the question can be shown, it says it could not tell (a warning).
{
	printf '[[AdvancedFormat]]\n[[Survey:many]]\n[[Title:多くの条件]]\n[[MinGroup:3]]\n\n'
	cond=""
	for i in $(seq 1 13); do
		printf '[[Question:MC:SingleAnswer]]\n[[ID:q%d]]\n質問 %d\n[[Choices]]\nはい\nいいえ\n\n' "$i" "$i"
		cond="$cond${cond:+ and }q$i = 1"
	done
	printf '[[Question:TE:Essay]]\n[[ID:last]]\n[[ShowIf:%s]]\n最後に\n' "$cond"
} >"$tmp/many.txt"
"$koe" check "$tmp/many.txt" >"$tmp/out" 2>"$tmp/err"
expect "too many to check exit" 0 $?
expect "too many to check warning" "$tmp/many.txt:99:3: warning: koe could not check whether this [[ShowIf]] can ever be true: its conditions involve too many answers to try (preview the questionnaire (koe preview) and answer along this path)" \
	"$(cat "$tmp/err")"
rm -f "$tmp/many.txt"

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

# [[MinGroupComments]] never below MinGroup: an error at the tag's value.
sed 's/^\[\[MinGroup:5\]\]$/[[MinGroup:7]]\n[[MinGroupComments: 6]]/' \
	"$src/surveys/alumni-readiness.txt" >"$tmp/mgc.txt"
"$koe" check "$tmp/mgc.txt" >"$tmp/out" 2>"$tmp/err"
expect "MinGroupComments below MinGroup exit" 1 $?
expect "MinGroupComments below MinGroup" \
	"$tmp/mgc.txt:7:21: error: MinGroupComments (6) must not be below MinGroup (7) (a comment is one person's words; use at least MinGroup)" \
	"$(sed -n 1p "$tmp/err")"
sed 's/^\[\[MinGroup:5\]\]$/[[MinGroup:5]]\n[[MinGroupComments:12]]/' \
	"$src/surveys/alumni-readiness.txt" >"$tmp/mgc.txt"
"$koe" check "$tmp/mgc.txt" >/dev/null 2>"$tmp/err"
expect "MinGroupComments above MinGroup exit" 0 $?
rm -f "$tmp/mgc.txt"

# A file exported from Qualtrics: question ids with spaces get answer keys
# (one note each), HTML the page does not show is removed with a warning at
# its line and column, and the file loads (exit 0).
q="$src/tests/data/qn-good/qualtrics-export.txt"
"$koe" check "$q" >"$tmp/out" 2>"$tmp/err"
expect "qualtrics export exit" 0 $?
expect "qualtrics warning 1" "$q:24:43: warning: HTML removed from the text: <img> (koe shows b, strong, i, em, u, sup, sub, p, ul, ol, li and br)" \
	"$(sed -n 1p "$tmp/err")"
expect "qualtrics warning 2" "$q:55:20: warning: HTML removed from the text: <script> with its content (koe shows b, strong, i, em, u, sup, sub, p, ul, ol, li and br)" \
	"$(sed -n 2p "$tmp/err")"
expect "qualtrics warnings only" 2 "$(wc -l <"$tmp/err")"
expect "qualtrics summary" "$q: ok: survey 'qualtrics-export', 5 questions, 5 answer items, 2 pages" \
	"$(sed -n 1p "$tmp/out")"
expect "qualtrics key note" "$q:11:6: note: question id 'Stim 1' has the answer key 'Stim_1'" \
	"$(sed -n 3p "$tmp/out")"
expect "qualtrics key note (a)" "$q:23:6: note: question id 'Stim 2 (a)' has the answer key 'Stim_2_a_'" \
	"$(sed -n 4p "$tmp/out")"
# Two ids that make the same key: an error naming both places.
"$koe" check "$src/tests/data/qn-bad/id-key-clash.txt" >/dev/null 2>"$tmp/err"
expect "key clash exit" 1 $?
expect "key clash" "$src/tests/data/qn-bad/id-key-clash.txt:9:6: error: question id 'Stim_1' makes the answer key 'Stim_1', as 'Stim 1' at 5:7 does (change one of the two ids)" \
	"$(sed -n 1p "$tmp/err")"

"$koe" check "$tmp/missing.txt" 2>"$tmp/err"
expect "missing file exit" 1 $?
expect "missing file message" "koe check: cannot read '$tmp/missing.txt': No such file or directory" "$(cat "$tmp/err")"

"$koe" check "$tmp" 2>"$tmp/err"
expect "directory exit" 1 $?

"$koe" check 2>/dev/null
expect "no files exit" 2 $?

# Usage errors of every command: exit 2, what is wrong, the synopsis and
# where the help is, and nothing else happens (no database appears).
usage_case() { # usage_case "ARGS" "FIRST LINE"
	local cmd=${1%% *}
	(cd "$tmp" && "$koe" $1 >"$tmp/out" 2>"$tmp/err")
	expect "usage exit: koe $1" 2 $?
	expect "usage reason: koe $1" "$2" "$(sed -n 1p "$tmp/err")"
	expect "usage synopsis: koe $1" "usage: koe $cmd" "$(sed -n 2p "$tmp/err" | cut -d' ' -f1-3)"
	expect "usage help: koe $1" "Run 'koe help $cmd' for details." "$(sed -n 3p "$tmp/err")"
	expect "usage stdout: koe $1" "" "$(cat "$tmp/out")"
}
usage_case "check" "koe check: name at least one questionnaire file"
usage_case "open" "koe open: name the questionnaire file"
usage_case "open a.txt b.txt --roster r.csv" "koe open: name one questionnaire file"
usage_case "open a.txt --base-url http://x" "koe open: --roster ROSTER.csv is required (who is invited)"
usage_case "open a.txt --roster r.csv" "koe open: --base-url URL is required (where employees reach 'koe serve', e.g. https://survey.example.co.jp)"
usage_case "open a.txt --rooster r.csv" "koe open: unrecognized option '--rooster'"
usage_case "status a b" "koe status: unexpected argument 'b'"
usage_case "remind a b" "koe remind: unexpected argument 'b'"
usage_case "reissue" "koe reissue: name the employee whose link is lost"
usage_case "reissue E1 s x" "koe reissue: too many arguments"
usage_case "close a b" "koe close: unexpected argument 'b'"
usage_case "surveys x" "koe surveys: unexpected argument 'x'"
usage_case "serve x" "koe serve: unexpected argument 'x'"
usage_case "serve --tls-cert c.pem" "koe serve: give both --tls-cert and --tls-key, or neither"
usage_case "report" "koe report: --out FILE.pdf is required (where to write the report)"
usage_case "report a b --out r.pdf" "koe report: unexpected argument 'b'"
usage_case "report --out r.pdf --json=" "koe report: --json needs a file name"
usage_case "demo x" "koe demo: unexpected argument 'x'"
usage_case "demo --dri x" "koe demo: unrecognized option '--dri'"
[ -z "$(ls "$tmp" | grep -v '^\(out\|err\|bad.txt\)$')" ] || { echo "FAIL: usage errors left files: $(ls "$tmp")" >&2; fail=1; }

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
