#!/usr/bin/env bash
# Invitations and reminders sent by koe to a real SMTP server (aiosmtpd on
# the loopback): every roster address gets exactly one message per run, the
# subject and body decode to the Japanese text, the link works against koe
# serve and the replaced one is refused, no link is logged or left in a file
# or the database; refused recipients and an unreachable server are recorded
# as failed and 'koe send' resumes; dry-run .eml files; bad templates.
set -u
koe=${KOE_BIN:?}
src=${KOE_SRC:?}
export KOE_KDF_MEMLIMIT=8388608 KOE_MAIL_BACKOFF_MS=10
py=/usr/bin/python3
fail=0
t=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$t"; }
# KEEP=1 keeps the temporary directory for a look after a failure.
trap cleanup EXIT; [ -n "${KEEP:-}" ] && trap "kill \${pids[*]} 2>/dev/null" EXIT
say_fail() { echo "FAIL: $*" >&2; fail=1; }
$py -c 'import aiosmtpd' 2>/dev/null || { echo "SKIP: python3-aiosmtpd is not installed"; exit 77; }
survey=$src/surveys/alumni-readiness.txt
roster=$src/tests/data/roster-lifecycle/roster.csv
nroster=$(($(wc -l <"$roster") - 1))

# start_sink DIR [--refuse FILE]: sets $sport
start_sink() {
	local dir=$1; shift
	mkdir -p "$dir"
	rm -f "$dir.port"
	$py "$src/tests/cli/smtp_sink.py" "$dir" "$dir.port" "$@" 2>"$dir.log" &
	pids+=($!)
	for _ in $(seq 100); do [ -s "$dir.port" ] && break; sleep 0.1; done
	sport=$(cat "$dir.port" 2>/dev/null)
	[ -n "$sport" ] || say_fail "SMTP sink did not start: $(cat "$dir.log")"
}

# check_messages DIR KIND: prints "addr link" per message; checks the
# headers and that the Japanese text decodes.
check_messages() {
	$py - "$1" "$2" <<'PY'
import email, email.policy, glob, re, sys
d, kind = sys.argv[1], sys.argv[2]
want = {"invitation": "【アンケートのお願い】", "reminder": "【リマインド】"}[kind]
for f in sorted(glob.glob(d + "/*.eml")):
    raw = open(f, "rb").read()
    for line in raw.split(b"\r\n"):
        assert len(line) <= 78, (f, "line longer than 78")
        line.decode("ascii")  # 7-bit clean
    m = email.message_from_bytes(raw, policy=email.policy.default)
    for h in ("Date", "Message-ID", "MIME-Version", "From", "To", "Subject"):
        assert m[h], (f, "no " + h)
    subj = str(m["Subject"])
    assert subj.startswith(want), (f, subj)
    assert "アルムナイ制度導入前" in subj, (f, subj)
    body = m.get_content()
    assert "回答は匿名です" in body and "鍵保管者" in body, (f, "body text")
    assert m["To"].addresses[0].display_name.startswith("山田, 太郎"), (f, str(m["To"]))
    links = re.findall(r"http://127\.0\.0\.1:1/s/[A-Za-z0-9_-]+", body)
    assert len(links) == 1, (f, links)
    print(m["To"].addresses[0].addr_spec, links[0])
PY
}

echo "correct horse battery staple" >"$t/pass.txt"
mkdir "$t/work" && cd "$t/work"

# 1. koe open --smtp: one invitation per roster address, no links file.
start_sink "$t/in1"
"$koe" open "$survey" --roster "$roster" --base-url http://127.0.0.1:1 \
	--passphrase-file "$t/pass.txt" --smtp "smtp://127.0.0.1:$sport" --from hr@example.jp \
	--rate 100000 >"$t/open.out" 2>"$t/open.err" || say_fail "open --smtp: $(cat "$t/open.err")"
grep -q "^$nroster sent, 0 failed" "$t/open.out" || say_fail "open summary: $(tail -3 "$t/open.out")"
[ ! -e links.csv ] || say_fail "open --smtp wrote links.csv"
check_messages "$t/in1" invitation >"$t/inv.txt" || say_fail "invitation messages"
[ "$(wc -l <"$t/inv.txt")" = "$nroster" ] || say_fail "$(wc -l <"$t/inv.txt") invitations for $nroster people"
[ "$(cut -d' ' -f1 "$t/inv.txt" | sort -u | wc -l)" = "$nroster" ] || say_fail "an address got two invitations"
cut -d, -f2 "$roster" | tail -n +2 | sort >"$t/want.txt"
cut -d' ' -f1 "$t/inv.txt" | sort | diff -q - "$t/want.txt" >/dev/null || say_fail "recipients differ from the roster"

# No link anywhere koe writes: output, working directory, database.
no_links_in() { # FILES...: none holds any code of $t/inv.txt (or later lists)
	for f in "$@"; do
		for code in $(sed 's,.*/s/,,' "$t"/inv.txt "$t"/rem.txt 2>/dev/null); do
			grep -aq -- "$code" "$f" && { say_fail "a link is in $f"; return; }
		done
	done
}
no_links_in "$t/open.out" "$t/open.err" koe.db koe.key
grep -q "/s/" "$t/open.out" "$t/open.err" && say_fail "koe printed a link"

# 2. The links work through the HTTP contract.
"$koe" serve --listen 127.0.0.1:0 >"$t/serve.out" 2>"$t/serve.err" &
pids+=($!)
for _ in $(seq 100); do grep -q listening "$t/serve.out" 2>/dev/null && break; sleep 0.1; done
hport=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$t/serve.out")
code_of() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$hport/s/${1##*/s/}"; }
first=$(head -1 "$t/inv.txt" | cut -d' ' -f2)
[ "$(code_of "$first")" = 200 ] || say_fail "a mailed link does not open: $(code_of "$first")"

# 3. koe remind --smtp: everyone unopened gets a reminder with a new link;
# the invitation's link is refused afterwards.
start_sink "$t/in2"
"$koe" remind --smtp "smtp://127.0.0.1:$sport" --from hr@example.jp --rate 100000 \
	>"$t/rem.out" 2>"$t/rem.err" || say_fail "remind --smtp: $(cat "$t/rem.err")"
check_messages "$t/in2" reminder >"$t/rem.txt" || say_fail "reminder messages"
[ "$(wc -l <"$t/rem.txt")" = "$nroster" ] || say_fail "$(wc -l <"$t/rem.txt") reminders"
# The replaced link no longer opens the survey: 410 with a page that says
# a newer e-mail was sent (the issuance API still says 404).
[ "$(code_of "$first")" = 410 ] || say_fail "the replaced link still opens: $(code_of "$first")"
curl -s "http://127.0.0.1:$hport/s/${first##*/s/}" | grep -q 'data-state="replaced"' ||
	say_fail "the replaced link's page does not say it was replaced"
inv_code=${first##*/s/}
api=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
	-d "{\"invite\":\"$inv_code\",\"blinded\":\"4vKuCmq8TnGohKlhxQBRX1jjC2qlgt2NtqZZReCNLXY\"}" \
	"http://127.0.0.1:$hport/api/v1/issue")
[ "$api" = 404 ] || say_fail "issuance with a replaced link: $api, want 404"
newlink=$(grep "^$(head -1 "$t/inv.txt" | cut -d' ' -f1) " "$t/rem.txt" | cut -d' ' -f2)
[ "$(code_of "$newlink")" = 200 ] || say_fail "the reminder's link does not open"
no_links_in "$t/rem.out" "$t/rem.err" koe.db
# koe send after everything went: nothing to do.
"$koe" send --smtp "smtp://127.0.0.1:$sport" --from hr@example.jp --rate 100000 >"$t/s0.out" 2>&1 ||
	say_fail "send with nothing left: $(cat "$t/s0.out")"
grep -q "^0 sent, 0 failed" "$t/s0.out" || say_fail "send sent again: $(cat "$t/s0.out")"
kill "${pids[-1]}" 2>/dev/null

# 4. Refused recipients (550) are failed with the reply; koe send finishes them.
mkdir "$t/w2" && cd "$t/w2"
printf 'user3@example.jp\nuser7@example.jp\nuser9@example.jp\n' >"$t/refuse"
start_sink "$t/in3" --refuse "$t/refuse"
"$koe" open "$survey" --roster "$roster" --base-url http://127.0.0.1:1 \
	--passphrase-file "$t/pass.txt" --smtp "smtp://127.0.0.1:$sport" --from hr@example.jp \
	--rate 100000 >"$t/o3.out" 2>"$t/o3.err"
grep -q "^$((nroster - 3)) sent, 3 failed" "$t/o3.out" || say_fail "550: $(tail -3 "$t/o3.out")"
grep -q "not delivered to .* <user3@example.jp>: 550" "$t/o3.err" || say_fail "550 reply: $(cat "$t/o3.err")"
grep -q "koe send alumni-readiness-2026 --smtp" "$t/o3.out" || say_fail "no resume command"
"$koe" status >"$t/st3.out" 2>&1
grep -q "^E-mail: $((nroster - 3)) sent, 3 failed, 0 not sent yet" "$t/st3.out" ||
	say_fail "status mail line: $(cat "$t/st3.out")"
: >"$t/refuse"
"$koe" send --smtp "smtp://127.0.0.1:$sport" --from hr@example.jp --rate 100000 >"$t/s3.out" 2>&1
grep -q "^3 sent, 0 failed" "$t/s3.out" || say_fail "send after 550: $(cat "$t/s3.out")"
check_messages "$t/in3" invitation >"$t/inv3.txt" || say_fail "messages after 550"
[ "$(cut -d' ' -f1 "$t/inv3.txt" | sort -u | wc -l)" = "$nroster" ] &&
	[ "$(wc -l <"$t/inv3.txt")" = "$nroster" ] || say_fail "after 550 and send: not one message each"

# 5. An unreachable server: failed with the reason, a clean stop, resumed.
mkdir "$t/w3" && cd "$t/w3"
"$koe" open "$survey" --roster "$roster" --base-url http://127.0.0.1:1 \
	--passphrase-file "$t/pass.txt" >/dev/null 2>&1 || say_fail "plain open"
dead=$($py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$koe" send --smtp "smtp://127.0.0.1:$dead" --from hr@example.jp --rate 100000 >"$t/s4.out" 2>"$t/s4.err"
[ $? = 1 ] || say_fail "unreachable server: exit 0"
grep -q "^0 sent, 1 failed" "$t/s4.out" && grep -qi "Stopped:.*connect" "$t/s4.out" ||
	say_fail "unreachable: $(cat "$t/s4.out" "$t/s4.err")"
start_sink "$t/in4"
"$koe" send --smtp "smtp://127.0.0.1:$sport" --from hr@example.jp --rate 100000 >"$t/s5.out" 2>&1
grep -q "^$nroster sent, 0 failed" "$t/s5.out" || say_fail "resume: $(cat "$t/s5.out")"
# The links.csv of the plain open no longer works: every link was replaced.
old=$(sed -n '2p' links.csv | tr -d '\r' | awk -F, '{print $NF}')
check_messages "$t/in4" invitation >"$t/inv4.txt" || say_fail "messages after resume"
grep -q -- "${old##*/s/}" "$t/inv4.txt" && say_fail "the links.csv link was sent again"

# 5b. A 421 is retried (with backoff) and the message goes.
mkdir "$t/w5" && cd "$t/w5"
start_sink "$t/in5" --tempfail 2
"$koe" open "$survey" --roster "$roster" --base-url http://127.0.0.1:1 \
	--passphrase-file "$t/pass.txt" --smtp "smtp://127.0.0.1:$sport" --from hr@example.jp \
	--rate 100000 >"$t/o5.out" 2>"$t/o5.err"
grep -q "^$nroster sent, 0 failed" "$t/o5.out" || say_fail "421 not retried: $(tail -3 "$t/o5.out")"
kill "${pids[-1]}" 2>/dev/null

# 5c. The server drops the connection mid-run: a clean stop after retries,
# then koe send resumes; one message per address over both runs, and every
# delivered link works (the undelivered replacement was taken back).
mkdir "$t/w6" && cd "$t/w6"
start_sink "$t/in6" --drop-after 10
"$koe" open "$survey" --roster "$roster" --base-url http://127.0.0.1:1 \
	--passphrase-file "$t/pass.txt" --smtp "smtp://127.0.0.1:$sport" --from hr@example.jp \
	--rate 100000 >"$t/o6.out" 2>"$t/o6.err"
grep -q "^10 sent, 1 failed, $((nroster - 11)) not attempted" "$t/o6.out" ||
	say_fail "dropped connection: $(tail -4 "$t/o6.out")"
kill "${pids[-1]}" 2>/dev/null
start_sink "$t/in7"
"$koe" send --smtp "smtp://127.0.0.1:$sport" --from hr@example.jp --rate 100000 >"$t/s7.out" 2>&1
grep -q "^$((nroster - 10)) sent, 0 failed" "$t/s7.out" || say_fail "resume after drop: $(cat "$t/s7.out")"
{ check_messages "$t/in6" invitation; check_messages "$t/in7" invitation; } >"$t/inv6.txt" ||
	say_fail "messages around the drop"
[ "$(wc -l <"$t/inv6.txt")" = "$nroster" ] &&
	[ "$(cut -d' ' -f1 "$t/inv6.txt" | sort -u | wc -l)" = "$nroster" ] ||
	say_fail "after the drop and resume: not one message per address"
"$koe" serve --listen 127.0.0.1:0 >"$t/serve6.out" 2>"$t/serve6.err" &
pids+=($!)
for _ in $(seq 100); do grep -q listening "$t/serve6.out" 2>/dev/null && break; sleep 0.1; done
hport=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$t/serve6.out")
while read -r _ link; do
	[ "$(code_of "$link")" = 200 ] || { say_fail "a delivered link does not work after the resume"; break; }
done <"$t/inv6.txt"
kill "${pids[-1]}" 2>/dev/null

# 5d. STARTTLS and AUTH: the certificate is verified (a private CA given by
# file), the password comes from a 0600 file; an untrusted certificate and a
# bad password fail with a clear message and nothing is marked sent.
mkdir "$t/w8" && cd "$t/w8"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
	-keyout "$t/smtp.key" -out "$t/smtp.crt" >/dev/null 2>&1 || say_fail "openssl"
start_sink "$t/in8" --tls "$t/smtp.crt" "$t/smtp.key" --auth "hr-survey:s3cret-pw"
"$koe" open "$survey" --roster "$roster" --base-url http://127.0.0.1:1 \
	--passphrase-file "$t/pass.txt" --out links.csv >/dev/null 2>&1 || say_fail "open for TLS"
printf 's3cret-pw\n' >"$t/pw.ok" && chmod 600 "$t/pw.ok"
printf 'wrong-pw\n' >"$t/pw.bad" && chmod 600 "$t/pw.bad"
"$koe" send --smtp "smtp://127.0.0.1:$sport" --from hr@example.jp --rate 100000 \
	--smtp-user hr-survey --smtp-password-file "$t/pw.ok" >"$t/s8a.out" 2>"$t/s8a.err"
[ $? = 1 ] && grep -q "^0 sent, 1 failed" "$t/s8a.out" && grep -qi "certificate" "$t/s8a.out" ||
	say_fail "untrusted certificate: $(cat "$t/s8a.out" "$t/s8a.err")"
"$koe" send --smtp "smtp://127.0.0.1:$sport" --from hr@example.jp --rate 100000 \
	--smtp-ca-file "$t/smtp.crt" --smtp-user hr-survey --smtp-password-file "$t/pw.bad" \
	>"$t/s8b.out" 2>"$t/s8b.err"
[ $? = 1 ] && grep -q "^0 sent, 1 failed" "$t/s8b.out" && grep -qi "login denied" "$t/s8b.out" ||
	say_fail "bad password: $(cat "$t/s8b.out" "$t/s8b.err")"
[ -z "$(ls "$t/in8")" ] || say_fail "a message went with a bad certificate or password"
"$koe" send --smtp "smtp://127.0.0.1:$sport" --from hr@example.jp --rate 100000 \
	--smtp-ca-file "$t/smtp.crt" --smtp-user hr-survey --smtp-password-file "$t/pw.ok" \
	>"$t/s8c.out" 2>"$t/s8c.err"
grep -q "^$nroster sent, 0 failed" "$t/s8c.out" || say_fail "STARTTLS+AUTH: $(cat "$t/s8c.out" "$t/s8c.err")"
check_messages "$t/in8" invitation >/dev/null || say_fail "messages over STARTTLS"
grep -q "s3cret-pw" "$t"/s8*.out "$t"/s8*.err && say_fail "the password was printed"
kill "${pids[-1]}" 2>/dev/null

# 6. --dry-run: .eml files (0600) that decode, nothing sent.
mkdir -m 700 "$t/eml"
"$koe" remind --dry-run "$t/eml" --from hr@example.jp --rate 100000 >"$t/d.out" 2>&1 ||
	say_fail "dry run: $(cat "$t/d.out")"
check_messages "$t/eml" reminder >"$t/dry.txt" || say_fail "dry-run messages"
[ "$(wc -l <"$t/dry.txt")" = "$nroster" ] || say_fail "dry run: $(wc -l <"$t/dry.txt") files"
[ -z "$(find "$t/eml" -type f ! -perm 0600)" ] || say_fail "an .eml file is not 0600"

# 7. Templates: line:column errors, {link} required; nothing opened.
mkdir "$t/w4" && cd "$t/w4"
printf 'Subject: {title}\n\n{nmae} 様\n  {link} {foo}\n' >bad.txt
"$koe" open "$survey" --roster "$roster" --base-url http://127.0.0.1:1 \
	--passphrase-file "$t/pass.txt" --dry-run "$t/eml" --from hr@example.jp --template bad.txt \
	>"$t/t.out" 2>"$t/t.err" && say_fail "bad template accepted"
grep -q "bad.txt:3:1: error: unknown placeholder {nmae} (known: {name} {link}" "$t/t.err" ||
	say_fail "template diagnostic: $(cat "$t/t.err")"
grep -q "bad.txt:4:10: error: unknown placeholder {foo}" "$t/t.err" || say_fail "second diagnostic"
[ ! -e koe.db ] || say_fail "a bad template opened the survey"
printf 'Subject: x\n\nno link here\n' >nolink.txt
"$koe" open "$survey" --roster "$roster" --base-url http://127.0.0.1:1 \
	--passphrase-file "$t/pass.txt" --dry-run "$t/eml" --from hr@example.jp --template nolink.txt \
	>/dev/null 2>"$t/t2.err" && say_fail "template without {link} accepted"
grep -q "the body has no {link}" "$t/t2.err" || say_fail "no-link diagnostic: $(cat "$t/t2.err")"

# --out and --smtp together: refused (links.csv would hold replaced links).
"$koe" open "$survey" --roster "$roster" --base-url http://127.0.0.1:1 --out l.csv \
	--passphrase-file "$t/pass.txt" --dry-run "$t/eml" --from hr@example.jp >/dev/null 2>"$t/t3.err"
[ $? = 2 ] && grep -q "choose one" "$t/t3.err" || say_fail "--out with --dry-run: $(cat "$t/t3.err")"

# 8. A password file others can read is refused; no password on the command line.
cd "$t/w3"
echo secret >"$t/pw" && chmod 644 "$t/pw"
"$koe" send --smtp "smtp://127.0.0.1:$sport" --from hr@example.jp --smtp-user hr \
	--smtp-password-file "$t/pw" >"$t/p.out" 2>&1 && say_fail "world-readable password accepted"
grep -q "can be read by others" "$t/p.out" || say_fail "password file message: $(cat "$t/p.out")"
grep -q secret "$t/p.out" && say_fail "the password was printed"

exit $fail
