#!/usr/bin/env bash
# koe backup and koe restore at the command line (docs/ARCHITECTURE.md
# §4.6): a copy never replaces a file and is 0600; --dir names copies by
# time and --keep removes only older copies so named; restore checks the
# copy (damaged or foreign copies restore nothing), writes a new database
# whole, replaces an existing one only with --replace and never while koe
# serve has it open, and leaves it 0600. (Backups under load:
# test_backup_under_load; what a copy reveals: test_db_copy_reveals_no_order.)
set -u
koe=${KOE_BIN:?}
src=${KOE_SRC:?}
export KOE_KDF_MEMLIMIT=8388608
fail=0
t=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$t"' EXIT
cd "$t"
say_fail() { echo "FAIL: $*" >&2; fail=1; }
mode() { stat -c %a "$1" 2>/dev/null; }
surveys() { "$koe" surveys --db "$1" 2>&1; }

{ echo "employee_id,department,tenure"; for i in $(seq 10); do echo "E$i,営業部,1-3年"; done; } >roster.csv
echo "correct horse battery staple" >pass.txt
"$koe" open "$src/surveys/alumni-readiness.txt" --roster roster.csv --base-url https://127.0.0.1 \
	--passphrase-file pass.txt --out links1.csv >/dev/null || { echo "FAIL: open" >&2; exit 1; }
sed 's/^\[\[Survey:.*\]\]$/[[Survey:second-survey-2026]]/' "$src/surveys/alumni-readiness.txt" >second.txt
grep -q 'second-survey-2026' second.txt || { echo "FAIL: no [[Survey]] line to change" >&2; exit 1; }

# A copy: 0600 whatever the umask, one file, never over an existing file.
umask 022
"$koe" backup --out copy.db >out.txt 2>&1 || say_fail "backup: $(cat out.txt)"
[ "$(mode copy.db)" = 600 ] || say_fail "copy mode $(mode copy.db)"
[ ! -e copy.db-wal ] || say_fail "the copy has a WAL"
ls copy.db.tmp-* >/dev/null 2>&1 && say_fail "a temporary file was left"
grep -q "^Wrote 'copy.db' (mode 0600)" out.txt || say_fail "backup said: $(cat out.txt)"
grep -qi "respon\|answer.*[0-9]" out.txt && say_fail "backup printed a count: $(cat out.txt)"
echo "not a database" >taken.db
"$koe" backup --out taken.db 2>err.txt
[ $? = 1 ] && grep -q "'taken.db' exists; a copy never replaces a file" err.txt ||
	say_fail "backup over a file: $(cat err.txt)"
[ "$(cat taken.db)" = "not a database" ] || say_fail "backup replaced a file"
touch stale.db-wal
"$koe" backup --out stale.db 2>err.txt
[ $? = 1 ] && grep -q "'stale.db-wal' exists: a write-ahead log without its database" err.txt ||
	say_fail "backup beside a stale WAL: $(cat err.txt)"
[ ! -e stale.db ] || say_fail "backup wrote beside a stale WAL"
"$koe" backup 2>/dev/null
[ $? = 2 ] || say_fail "backup without --out should be a usage error"
"$koe" backup --out a.db --dir . 2>/dev/null
[ $? = 2 ] || say_fail "--out with --dir should be a usage error"
"$koe" backup --out a.db --keep 2 2>/dev/null
[ $? = 2 ] || say_fail "--keep without --dir should be a usage error"

# --dir and --keep: timestamped names; only older copies so named go.
mkdir copies
touch copies/koe-20200101T000000Z.db copies/koe-20200101T000001Z.db copies/notes.txt \
	copies/koe-20200101T000000Z.db.tmp-abcdef copies/koe-latest.db
"$koe" backup --dir copies --keep 2 >out.txt 2>&1 || say_fail "backup --dir: $(cat out.txt)"
new=$(ls copies | grep -E '^koe-[0-9]{8}T[0-9]{6}Z\.db$' | grep -v '^koe-2020')
[ -n "$new" ] && [ "$(mode "copies/$new")" = 600 ] || say_fail "no timestamped copy: $(ls copies)"
want=$(printf '%s\n' "$new" koe-20200101T000000Z.db.tmp-abcdef koe-20200101T000001Z.db \
	koe-latest.db notes.txt | sort | tr '\n' ' ')
[ "$(ls copies | sort | tr '\n' ' ')" = "$want" ] ||
	say_fail "--keep 2 left: $(ls copies | sort | tr '\n' ' ')"

# The live database moves on: a second survey after the copy.
"$koe" open second.txt --roster roster.csv --base-url https://127.0.0.1 \
	--passphrase-file pass.txt --out links2.csv >/dev/null || say_fail "second open"
surveys koe.db | grep -q second-survey-2026 || say_fail "second survey not listed"

# Restore into a new database.
"$koe" restore copy.db --db new.db >out.txt 2>&1 || say_fail "restore new: $(cat out.txt)"
[ "$(mode new.db)" = 600 ] || say_fail "restored mode $(mode new.db)"
grep -q "alumni-readiness-2026 (open)" out.txt || say_fail "restore said: $(cat out.txt)"
surveys new.db | grep -q second-survey-2026 && say_fail "the restored database has the later survey"

# A damaged copy and a foreign file restore nothing.
cp copy.db damaged.db
size=$(stat -c %s damaged.db)
dd if=/dev/urandom of=damaged.db bs=4096 seek=$((size / 4096 / 2)) count=4 conv=notrunc 2>/dev/null
"$koe" restore damaged.db --db fromdamaged.db 2>err.txt
[ $? = 1 ] && grep -q "damaged\|not a koe database" err.txt || say_fail "damaged copy: $(cat err.txt)"
[ ! -e fromdamaged.db ] || say_fail "a damaged copy was restored"
"$koe" restore taken.db --db fromtext.db 2>err.txt
[ $? = 1 ] && [ ! -e fromtext.db ] || say_fail "a text file was restored: $(cat err.txt)"
"$koe" restore missing.db --db x.db 2>err.txt
[ $? = 1 ] && grep -q "no such file" err.txt || say_fail "missing copy: $(cat err.txt)"
"$koe" restore koe.db --replace 2>err.txt
[ $? = 1 ] && grep -q "is the database itself" err.txt || say_fail "restore onto itself: $(cat err.txt)"

# An existing database: only with --replace, never while koe serve uses it.
"$koe" restore copy.db 2>err.txt
[ $? = 1 ] && grep -q "'koe.db' exists; --replace replaces it" err.txt ||
	say_fail "restore over an existing database without --replace: $(cat err.txt)"
"$koe" serve --listen 127.0.0.1:0 >serve.txt 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q listening serve.txt && break; sleep 0.1; done
"$koe" restore copy.db --replace 2>err.txt
[ $? = 1 ] && grep -q "'koe.db' is in use (is koe serve running on it?); stop it first" err.txt ||
	say_fail "restore over a served database: $(cat err.txt)"
port=$(sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p' serve.txt)
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/surveys/second-survey-2026")" = 200 ] ||
	say_fail "the served database changed under koe serve"
kill "$pid"
wait "$pid"
pid=
surveys koe.db | grep -q second-survey-2026 || say_fail "a refused restore changed the database"
chmod 644 koe.db
"$koe" restore copy.db --replace >out.txt 2>&1 || say_fail "restore --replace: $(cat out.txt)"
surveys koe.db | grep -q second-survey-2026 && say_fail "--replace kept the later survey"
surveys koe.db | grep -q alumni-readiness-2026 || say_fail "--replace lost the survey"
[ "$(mode koe.db)" = 600 ] || say_fail "replaced database mode $(mode koe.db)"
python3 -c 'import sqlite3; c = sqlite3.connect("foreign.db"); c.execute("create table t(x)"); c.commit()'
"$koe" restore copy.db --db foreign.db --replace 2>err.txt
[ $? = 1 ] && grep -q "'foreign.db' is not a koe database; not replaced" err.txt ||
	say_fail "restore over a foreign database: $(cat err.txt)"

[ $fail = 0 ] && echo "backup: copies never replace, restore checks, refuses a served database"
exit $fail
