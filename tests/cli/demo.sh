#!/usr/bin/env bash
# `koe demo --no-serve` runs the whole product end to end, twice (before and
# after the alumni program's launch), and tells the story it was built to
# tell: the support centre is a morale hot spot, the 1-3 year band is keen to
# return, support grew after the launch, and the second report and its JSON
# are complete and compared with the first (koe report --compare).
set -u
koe=${KOE_BIN:?}
fail=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cd "$t"
say_fail() { echo "FAIL: $*" >&2; fail=1; }
export KOE_KDF_MEMLIMIT=8388608

"$koe" demo --no-serve --dir d --reports r >out.txt 2>err.txt
st=$?
[ "$st" = 0 ] || { say_fail "demo exit $st"; cat err.txt >&2; }
[ -s r/demo.pdf ] && [ -s r/demo.json ] || say_fail "report files"
[ -s r/demo-before.pdf ] && [ -s r/demo-before.json ] || say_fail "first wave's report files"
grep -q "answered" out.txt || say_fail "simulation summary"
# The invitations went out as e-mail (a dry run): one private .eml per
# employee, and the simulated employees answered from those links.
n_eml=$(find d/outbox -name '*.eml' -perm 600 | wc -l)
[ "$n_eml" = "$(($(wc -l <d/roster.csv) - 1))" ] || say_fail "outbox holds $n_eml private messages"
grep -q "messages written; the simulated employees read their links from them" out.txt ||
	say_fail "demo does not use the mailed links"
grep -q "failed" out.txt && say_fail "some simulated employees failed"
grep -q "State: closed" <("$koe" status --db d/demo.db) || say_fail "demo survey closed"
pdffonts r/demo.pdf 2>/dev/null | grep -q "IPAexGothic.* yes" || say_fail "font embedded"
pages=$(pdfinfo r/demo.pdf 2>/dev/null | sed -n 's/^Pages: *//p')
[ "${pages:-0}" -ge 6 ] || say_fail "report pages: $pages"
pdftotext r/demo.pdf - 2>/dev/null | grep -q "士気リスクのホットスポット" || say_fail "hot spot section"
# The second report is compared with the first: page 1 names the largest
# changes, and a section lists every matched figure.
pdftotext -f 1 -l 1 r/demo.pdf - 2>/dev/null | grep -q "前回の調査（アルムナイ制度導入前 従業員意識調査）からの大きな変化" ||
	say_fail "page 1 without the largest changes"
pdftotext r/demo.pdf - 2>/dev/null | grep -q "前回との比較" || say_fail "comparison section"
pdftotext r/demo-before.pdf - 2>/dev/null | grep -q "前回との比較" && say_fail "first report compared"
# Page 1 stays one page: the comparison's first section starts on page 2.
pdftotext -f 2 -l 2 r/demo.pdf - 2>/dev/null | grep -q "^2 制度への支持" || say_fail "page 1 spills over"
pdftotext r/demo.pdf - 2>/dev/null | grep -q "対象: 同僚の退職を見聞きした人 n = " || say_fail "offboarding audience line"
node -e '
const j = require(process.argv[1]);
const byCode = Object.fromEntries(j.segments.map(s => [s.code, s]));
const hot = j.summary.morale_risk.hot_spots.map(c => byCode[c].label);
if (!hot.length || !hot.every(l => l.startsWith("カスタマーサポート")))
  throw new Error("hot spots: " + hot.join(", "));
const rej = s => s.scales.find(x => x.scale === "rejoin");
const keen = j.segments.filter(s => s.shown && s.label.endsWith("1-3年") && rej(s).shown);
const rest = j.segments.filter(s => s.shown && !s.label.endsWith("1-3年") && rej(s).shown);
const mean = a => a.reduce((x, s) => x + rej(s).mean, 0) / a.length;
if (!(mean(keen) > mean(rest) + 0.5))
  throw new Error("1-3年 not keener to return: " + mean(keen) + " vs " + mean(rest));
if (!(j.responses.responded >= 200)) throw new Error("responded " + j.responses.responded);
// After the launch: support grew, beyond chance, and it is the largest change.
const c = j.compare;
if (!c || c.previous.id !== "alumni-readiness-2026" || j.survey.id !== "alumni-readiness-2027")
  throw new Error("compare section: " + JSON.stringify(c && c.previous));
const sup = c.changes.find(x => x.thing === "role" && x.name === "support");
if (!sup || !sup.marked || !(sup.diff > 0.1) || !(sup.ci[0] > 0))
  throw new Error("support change: " + JSON.stringify(sup));
if (c.changes[c.largest[0]] !== sup) throw new Error("largest change is not support");
if (c.changes.some(x => x.segment && !j.segments.find(s => s.label === x.segment && s.shown)))
  throw new Error("a change for a group hidden now");
// The offboarding battery is shown only to those who saw a colleague leave
// ([[ShowIf:saw_leave = 1]]): about four in five of the respondents.
const off = j.scales.find(x => x.name === "offboarding");
if (!off.asked || off.asked.label !== "同僚の退職を見聞きした人") throw new Error("offboarding asked: " + JSON.stringify(off.asked));
const share = off.asked.n / j.responses.responded;
if (!(share > 0.7 && share < 0.9)) throw new Error("offboarding asked of " + off.asked.n + " of " + j.responses.responded);
if (!(off.n <= off.asked.n)) throw new Error("offboarding n " + off.n + " above the people asked " + off.asked.n);
' "$t/r/demo.json" || say_fail "the demo story in demo.json"

[ $fail -eq 0 ] && echo "cli demo: all passed"
exit $fail
