#!/usr/bin/env bash
# The HR lifecycle end to end through the real command line: open, status,
# remind, reissue, close; and every refusal changes nothing.
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
sum() { cat "$@" 2>/dev/null | sha256sum; }
survey=$src/surveys/alumni-readiness.txt
roster=$src/tests/data/roster-lifecycle/roster.csv
echo "correct horse battery staple" >pass.txt

# A roster with errors: diagnostics with line numbers, nothing created.
printf 'employee_id,department,tenure\nE1,営業部,1-3年\nE1,営業部,1-3年\n' >bad.csv
expect_exit 1 "bad roster" -- "$koe" open "$survey" --roster bad.csv --base-url http://127.0.0.1:1 --passphrase-file pass.txt
grep -q "bad.csv:3:1: error: duplicate employee_id 'E1'" "$t/err" || say_fail "roster diagnostic: $(cat "$t/err")"
[ ! -e koe.db ] && [ ! -e links.csv ] && [ ! -e koe.key ] || say_fail "bad roster created files"

# A roster smaller than k.
printf 'employee_id,department,tenure\nE1,a,b\nE2,a,b\n' >tiny.csv
expect_exit 1 "tiny roster" -- "$koe" open "$survey" --roster tiny.csv --base-url http://127.0.0.1:1 --passphrase-file pass.txt
grep -q "the roster has 2 people; a survey needs at least 5" "$t/err" || say_fail "tiny roster message"

# A short passphrase is refused before anything is written.
echo "short" >short.txt
expect_exit 1 "short passphrase" -- "$koe" open "$survey" --roster "$roster" --base-url http://127.0.0.1:1 --passphrase-file short.txt
grep -q "at least 10 characters" "$t/err" || say_fail "short passphrase message"
[ ! -e links.csv ] || say_fail "short passphrase left links.csv"

# No terminal and no passphrase file: a clear message.
expect_exit 1 "no tty" -- setsid "$koe" open "$survey" --roster "$roster" --base-url http://127.0.0.1:1 </dev/null
grep -q "passphrase-file" "$t/err" || say_fail "no tty message: $(cat "$t/err")"

# Open.
expect_exit 0 "open" -- "$koe" open "$survey" --roster "$roster" --base-url http://127.0.0.1:8080/ --passphrase-file pass.txt
# (The path koe was started by: KOE_BIN itself, or what a wrapper such as
# valgrind execs, so any path that ends in koe.)
grep -Eq "Next: start the service with '(/[^ ]*/)?koe serve' and send the links." "$t/out" ||
	say_fail "open names the next command"
grep -q "Survey 'alumni-readiness-2026' is open: 49 invitations" "$t/out" || say_fail "open summary: $(head -3 "$t/out")"
grep -q "法務部" "$t/out" && say_fail "a department of one is shown as its own group"
[ "$(stat -c %a koe.key)" = 600 ] || say_fail "key file mode"
[ "$(stat -c %a links.csv)" = 600 ] || say_fail "links file mode"
[ "$(head -c 3 links.csv | od -An -tx1 | tr -d ' ')" = efbbbf ] || say_fail "links.csv BOM"
[ "$(grep -c '/s/' links.csv)" = 49 ] || say_fail "links count"
grep -q '"山田, 太郎0"' links.csv || say_fail "CSV quoting of names"
# The fingerprint in groups of four, eight to a line, as the page shows it.
grep -A2 'fingerprint' "$t/out" | tail -2 | grep -Eqx '  ([0-9a-f]{4} ){7}[0-9a-f]{4}' ||
	say_fail "fingerprint grouping: $(grep -A2 'fingerprint' "$t/out")"
fp=$(grep -A2 'fingerprint' "$t/out" | tail -2 | tr -d ' \n')
[ ${#fp} = 64 ] || say_fail "fingerprint printed"

# Invite codes never reach the database.
code=$(sed -n 2p links.csv | sed 's#.*/s/##' | tr -d '\r')
[ ${#code} = 22 ] || say_fail "invite code length"
grep -qa -- "$code" koe.db koe.db-wal 2>/dev/null && say_fail "invite code stored in the database"

# A second open of the same survey refuses and changes nothing.
mv links.csv links-first.csv
before=$(sum koe.db koe.db-wal)
expect_exit 1 "second open" -- "$koe" open "$survey" --roster "$roster" --base-url http://127.0.0.1:8080 --passphrase-file pass.txt
grep -q "already open" "$t/err" || say_fail "second open message: $(cat "$t/err")"
[ "$before" = "$(sum koe.db koe.db-wal)" ] || say_fail "second open changed the database"
[ ! -e links.csv ] || say_fail "second open wrote links"
mv links-first.csv links.csv

# An existing links file is never overwritten.
expect_exit 1 "links exists" -- "$koe" open "$src/tests/data/qualtrics-plain.txt" --roster "$roster" --base-url http://127.0.0.1:8080 --passphrase-file pass.txt
grep -q "already exists" "$t/err" || say_fail "links exists message"

# Status, surveys, remind.
expect_exit 0 "status" -- "$koe" status
grep -q "Invited 49, opened 0" "$t/out" || say_fail "status counts: $(cat "$t/out")"
expect_exit 0 "surveys" -- "$koe" surveys
grep -q "alumni-readiness-2026 *open *49" "$t/out" || say_fail "surveys list"
expect_exit 0 "remind" -- "$koe" remind
[ "$(grep -c '^E' "$t/out")" = 49 ] || say_fail "remind lists everyone"
expect_exit 0 "remind with links" -- "$koe" remind --links links.csv
grep -q "/s/$code" "$t/out" || say_fail "remind --links carries links"

# Reissue: the old link is revoked, a new one printed, the count kept.
expect_exit 0 "reissue" -- "$koe" reissue E000
newcode=$(grep '/s/' "$t/out" | sed 's#.*/s/##')
[ ${#newcode} = 22 ] && [ "$newcode" != "$code" ] || say_fail "reissue prints a new link"
expect_exit 1 "reissue unknown" -- "$koe" reissue E999
grep -q "no employee 'E999'" "$t/err" || say_fail "reissue unknown message"
expect_exit 0 "status after reissue" -- "$koe" status
grep -q "reissued links 1" "$t/out" || say_fail "reissue counted"
expect_exit 0 "remind after reissue" -- "$koe" remind --links links.csv
grep -q "/s/$code" "$t/out" && say_fail "revoked link still offered by remind"
# ...but HR is told who is left out and why: E000's new link is unopened.
grep -q "note: 1 employee has not opened the new link 'koe reissue' gave, which links.csv does not hold, so the list leaves out: E000\." "$t/err" ||
	say_fail "remind names the reissued employee it leaves out: $(cat "$t/err")"
grep -q "^48 employees have not opened their link yet, listed with it\.$" "$t/err" ||
	say_fail "remind count after reissue: $(cat "$t/err")"

# A missing key file: a clear message, nothing changed.
mv koe.key koe.key.bak
before=$(sum koe.db koe.db-wal)
expect_exit 1 "missing key" -- "$koe" reissue E001
grep -qi "koe.key" "$t/err" || say_fail "missing key message: $(cat "$t/err")"
[ "$before" = "$(sum koe.db koe.db-wal)" ] || say_fail "missing key changed the database"
mv koe.key.bak koe.key

# A world-readable key file is refused.
chmod 644 koe.key
expect_exit 1 "readable key" -- "$koe" reissue E001
chmod 600 koe.key

# A corrupt database: a clear message, the file untouched.
head -c 8192 /dev/urandom >corrupt.db
before=$(sum corrupt.db)
expect_exit 1 "corrupt db" -- "$koe" status --db corrupt.db
grep -q "not a koe database or is damaged" "$t/err" || say_fail "corrupt db message: $(cat "$t/err")"
[ "$before" = "$(sum corrupt.db)" ] || say_fail "corrupt db changed"
expect_exit 1 "missing db" -- "$koe" status --db nowhere.db
[ ! -e nowhere.db ] || say_fail "status created a database"

# Close: refuses without confirmation, then deletes every employee trace.
expect_exit 1 "close without --yes" -- setsid "$koe" close </dev/null
expect_exit 0 "close" -- "$koe" close --yes
# The next step names koe as it was started, so it can be pasted.
grep -Eq "Next: (/[^ ]*/)?koe report alumni-readiness-2026 --out reports/alumni-readiness-2026.pdf" "$t/out" ||
	say_fail "close names the next command: $(cat "$t/out")"
grep -q "Survey 'alumni-readiness-2026' is closed" "$t/out" || say_fail "close message"
grep -q "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" "$t/out" || say_fail "empty receipt digest"
for f in koe.db koe.db-wal; do
	[ -e "$f" ] || continue
	grep -qa -e "E000" -e "E012" -e "user1@example.jp" -e "山田" "$f" && say_fail "$f still holds employee data after close"
done
grep -qa "営業部" koe.db || say_fail "segment labels should remain after close"
expect_exit 0 "status after close" -- "$koe" status
grep -q "State: closed" "$t/out" || say_fail "closed state"
expect_exit 1 "close twice" -- "$koe" close --yes
grep -q "already closed" "$t/err" || say_fail "close twice message"
expect_exit 1 "reissue after close" -- "$koe" reissue E001
expect_exit 1 "remind after close" -- "$koe" remind

# A plain Qualtrics file (no [[Survey]]: the id comes from the file name)
# goes through open, status and close as well; status reads the stored
# questionnaire, which has no file name any more.
expect_exit 0 "open plain" -- "$koe" open "$src/tests/data/qualtrics-plain.txt" --roster "$roster" --base-url http://127.0.0.1:8080 --passphrase-file pass.txt --db plain.db --out plain-links.csv
expect_exit 0 "status plain" -- "$koe" status --db plain.db
grep -q "Survey qualtrics-plain" "$t/out" || say_fail "plain survey status"
grep -q "State: open" "$t/out" || say_fail "plain survey state"
expect_exit 0 "interim report of plain" -- "$koe" report --interim --db plain.db --out plain.pdf --passphrase-file pass.txt
[ -s plain.pdf ] || say_fail "plain survey report written"

[ $fail -eq 0 ] && echo "cli lifecycle: all passed"
exit $fail
