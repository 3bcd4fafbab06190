#!/usr/bin/env bash
# koe preview --pdf: the questionnaire as a PDF for approval (title, every
# question with its choices, Matrix rows, required marks, pages, answer
# keys), texts without any tag; refused for a file with errors; usage.
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
has() { # has DESCRIPTION FILE TEXT
	grep -qF -- "$3" "$2" || { echo "FAIL: $1: '$3' not in $2" >&2; fail=1; }
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

SOURCE_DATE_EPOCH=1764000000 "$koe" preview "$src/surveys/alumni-readiness.txt" --pdf "$tmp/a.pdf" >"$tmp/out" 2>"$tmp/err"
expect "alumni pdf exit" 0 $?
expect "alumni pdf stderr" "" "$(cat "$tmp/err")"
expect "alumni pdf message" "koe preview: wrote $tmp/a.pdf (11 questions, 9 pages of questions)" "$(cat "$tmp/out")"
expect "file mode 0600" 600 "$(stat -c %a "$tmp/a.pdf")"
pdftotext -layout "$tmp/a.pdf" "$tmp/a.txt"
has "title" "$tmp/a.txt" "アルムナイ制度導入前 従業員意識調査"
has "english title" "$tmp/a.txt" "Employee survey before the alumni program launch"
has "approval mark" "$tmp/a.txt" "確認用 / for approval"
has "first page heading" "$tmp/a.txt" "ページ 1 / 9"
has "last page heading" "$tmp/a.txt" "ページ 9 / 9"
has "required mark" "$tmp/a.txt" "Q2（必須）"
has "matrix row with its key" "$tmp/a.txt" "[rejoin.1]"
has "matrix row text" "$tmp/a.txt" "退職しても、この会社に戻ることを検討すると思う"
has "reverse-coded row" "$tmp/a.txt" "［逆転］"
has "scale point" "$tmp/a.txt" "とてもそう思う"
has "settings: k" "$tmp/a.txt" "最小集計人数 k"
has "display condition with its label" "$tmp/a.txt" "表示条件: saw_leave = 1（同僚の退職を見聞きした人）"
expect "page count" "Pages:           9" "$(pdfinfo "$tmp/a.pdf" | grep '^Pages:')"
# The same file and epoch give the same bytes.
SOURCE_DATE_EPOCH=1764000000 "$koe" preview "$src/surveys/alumni-readiness.txt" --pdf "$tmp/b.pdf" >/dev/null 2>&1
cmp -s "$tmp/a.pdf" "$tmp/b.pdf" || { echo "FAIL: PDF not reproducible" >&2; fail=1; }

# A Qualtrics export: its HTML printed as text, never as tags.
"$koe" preview "$src/tests/data/qn-good/qualtrics-export.txt" --pdf "$tmp/q.pdf" >/dev/null 2>"$tmp/err"
expect "qualtrics pdf exit" 0 $?
expect "qualtrics warnings as koe check" 2 "$(grep -c ': warning: HTML removed' "$tmp/err")"
pdftotext "$tmp/q.pdf" "$tmp/q.txt"
has "qualtrics: list item" "$tmp/q.txt" "・正解・不正解はありません"
has "qualtrics: id as written" "$tmp/q.txt" "Stim 1"
has "qualtrics: answer key" "$tmp/q.txt" "Stim_1"
if grep -qiE '<[a-z/]|&nbsp;|&amp;|document.title' "$tmp/q.txt"; then
	echo "FAIL: qualtrics pdf prints markup: $(grep -iE '<[a-z/]|&nbsp;|&amp;|document.title' "$tmp/q.txt" | head -3)" >&2
	fail=1
fi

# A file with errors: koe check's lines, no PDF.
"$koe" preview "$src/tests/data/qn-bad/id-key-clash.txt" --pdf "$tmp/bad.pdf" >/dev/null 2>"$tmp/err"
expect "bad file exit" 1 $?
expect "bad file first line" "$src/tests/data/qn-bad/id-key-clash.txt:9:6: error: question id 'Stim_1' makes the answer key 'Stim_1', as 'Stim 1' at 5:7 does (change one of the two ids)" "$(sed -n 1p "$tmp/err")"
[ -e "$tmp/bad.pdf" ] && { echo "FAIL: a PDF was written for a bad file" >&2; fail=1; }

"$koe" preview 2>/dev/null
expect "no file: usage" 2 $?
"$koe" preview a.txt --pdf x.pdf --listen 127.0.0.1:0 2>"$tmp/err"
expect "--pdf with --listen: usage" 2 $?
expect "--pdf with --listen: reason" "koe preview: --pdf writes a file and serves nothing: leave out --listen" "$(sed -n 1p "$tmp/err")"
"$koe" preview "$src/surveys/alumni-readiness.txt" --listen 192.0.2.1:8081 2>"$tmp/err"
expect "non-loopback refused" 2 $?
has "non-loopback message" "$tmp/err" "192.0.2.1 is not a loopback address"

[ $fail -eq 0 ] && echo "preview: all checks passed"
exit $fail
