#!/usr/bin/env bash
# Every file koe creates holds names, addresses, links, keys or answers, so
# every one is private to its owner (mode 0600) from the moment it exists,
# whatever the umask: the database with its -wal and -shm files (watched
# while 'koe open' and 'koe serve' hold them open), the master key, the
# links file, the reminder list and the report's PDF and JSON. The shell
# runs with the usual umask 022, which would give 0644.
set -u
koe=${KOE_BIN:?}
src=${KOE_SRC:?}
export KOE_KDF_MEMLIMIT=8388608
export SOURCE_DATE_EPOCH=1796083200
umask 022
fail=0
t=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$t"' EXIT
mkdir "$t/in" "$t/work"
cd "$t/work"
say_fail() { echo "FAIL: $*" >&2; fail=1; }
expect_exit() { # expect_exit WANT DESCRIPTION -- command...
	local want=$1 what=$2; shift 3
	"$@" >"$t/out" 2>"$t/err"
	local got=$?
	[ "$got" = "$want" ] || { say_fail "$what: exit $got, want $want"; cat "$t/err" >&2; }
}
# every_file_private WHEN NAME...: each named file exists, and every file
# in the working directory (koe's only) has mode 600.
every_file_private() {
	local when=$1 f; shift
	for f in "$@"; do
		[ -e "$f" ] || say_fail "$when: $f was not created"
	done
	for f in * .[!.]*; do
		[ -f "$f" ] || continue
		[ "$(stat -c %a "$f")" = 600 ] || say_fail "$when: $f has mode $(stat -c %a "$f"), want 600"
	done
}
survey=$src/surveys/alumni-readiness.txt
roster=$src/tests/data/roster-lifecycle/roster.csv
echo "correct horse battery staple" >"$t/in/pass.txt"

# koe open, caught while it waits for the passphrase: the database, its
# write-ahead log and shared memory and the key exist already.
mkfifo "$t/in/pass.fifo"
"$koe" open "$survey" --roster "$roster" --base-url http://127.0.0.1:8080 \
	--passphrase-file "$t/in/pass.fifo" >"$t/open.out" 2>"$t/open.err" &
pid=$!
for _ in $(seq 100); do [ -e koe.db-shm ] && [ -e koe.key ] && break; sleep 0.1; done
every_file_private "during koe open" koe.db koe.db-wal koe.db-shm koe.key
timeout 20 bash -c 'cat "$1" >"$2"' _ "$t/in/pass.txt" "$t/in/pass.fifo" ||
	say_fail "koe open did not read its passphrase file"
wait "$pid"
st=$?
pid=
[ "$st" = 0 ] || { say_fail "open: exit $st"; cat "$t/open.err" >&2; }
every_file_private "after koe open" koe.db koe.key links.csv

# koe serve holds the database (and so its -wal and -shm) open.
"$koe" serve --listen 127.0.0.1:0 >"$t/serve.out" 2>"$t/serve.err" &
pid=$!
for _ in $(seq 100); do grep -q listening "$t/serve.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$t/serve.out")
[ -n "$port" ] || say_fail "serve did not start: $(cat "$t/serve.err")"
curl -s -o /dev/null "http://127.0.0.1:$port/api/v1/surveys/alumni-readiness-2026" ||
	say_fail "serve did not answer"
every_file_private "during koe serve" koe.db koe.db-wal koe.db-shm
kill -TERM "$pid"
wait "$pid"
pid=

# The reminder list, with and without links; a reissued link.
expect_exit 0 "remind --out" -- "$koe" remind --out reminder.csv
expect_exit 0 "remind --links --out" -- "$koe" remind --links links.csv --out reminder-links.csv
expect_exit 0 "reissue" -- "$koe" reissue E000
every_file_private "after remind and reissue" reminder.csv reminder-links.csv

# The report, interim and final, PDF and JSON, into a directory of its own.
mkdir -m 700 reports
expect_exit 0 "interim report" -- "$koe" report --interim --out reports/interim.pdf \
	--json reports/interim.json --passphrase-file "$t/in/pass.txt"
expect_exit 0 "close" -- "$koe" close --yes
expect_exit 0 "final report" -- "$koe" report --out reports/final.pdf \
	--json reports/final.json --passphrase-file "$t/in/pass.txt"
(cd reports && every_file_private "reports" interim.pdf interim.json final.pdf final.json)
every_file_private "after close and report" koe.db

[ $fail -eq 0 ] && echo "cli file modes: all passed"
exit $fail
