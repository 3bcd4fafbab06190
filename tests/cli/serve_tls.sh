#!/usr/bin/env bash
# koe serve over HTTPS with a certificate, and what it prints: the address it
# listens on and nothing about clients; SIGTERM ends it with status 0.
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

{ echo "employee_id,department,tenure"; for i in $(seq 10); do echo "E$i,営業部,1-3年"; done; } >roster.csv
echo "correct horse battery staple" >pass.txt
"$koe" open "$src/surveys/alumni-readiness.txt" --roster roster.csv --base-url https://127.0.0.1 \
	--passphrase-file pass.txt >/dev/null || { echo "FAIL: open" >&2; exit 1; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
	-keyout tls.key -out tls.crt 2>/dev/null || { echo "FAIL: openssl" >&2; exit 1; }

# No database: said plainly, nothing created.
"$koe" serve --db none.db --listen 127.0.0.1:0 2>err.txt
[ $? = 1 ] || say_fail "serve without a database should fail"
grep -qx "koe serve: no database at 'none.db' (open a survey first with 'koe open', or give --db FILE)" err.txt ||
	say_fail "no database message: $(cat err.txt)"
[ ! -e none.db ] || say_fail "serve created a database"
# A TLS file that cannot be read is named.
"$koe" serve --listen 127.0.0.1:0 --tls-cert tls.crt --tls-key missing.key 2>err.txt
[ $? = 1 ] || say_fail "missing TLS key should fail"
grep -qx "koe serve: cannot read 'missing.key': No such file or directory" err.txt ||
	say_fail "missing TLS key message: $(cat err.txt)"

# Only one TLS file is a usage error.
"$koe" serve --tls-cert tls.crt 2>/dev/null
[ $? = 2 ] || say_fail "--tls-cert alone should be a usage error"

"$koe" serve --listen 127.0.0.1:0 --tls-cert tls.crt --tls-key tls.key >out.txt 2>err.txt &
pid=$!
for _ in $(seq 100); do grep -q listening out.txt 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' out.txt)
grep -q "listening on https://127.0.0.1:$port" out.txt || say_fail "listening line: $(cat out.txt)"

code=$(curl -s -o manifest.json -w '%{http_code}' --cacert tls.crt \
	"https://127.0.0.1:$port/api/v1/surveys/alumni-readiness-2026")
[ "$code" = 200 ] || say_fail "manifest over TLS: $code"
grep -q '"key_id"' manifest.json || say_fail "manifest body"
hsts=$(curl -s -D - -o /dev/null --cacert tls.crt "https://127.0.0.1:$port/api/v1/surveys/alumni-readiness-2026" | tr -d '\r' | grep -i '^strict-transport-security')
[ -n "$hsts" ] || say_fail "HSTS header over TLS"
# Plain HTTP on the TLS port gets no page.
curl -s -m 5 "http://127.0.0.1:$port/api/v1/surveys/alumni-readiness-2026" | grep -q key_id &&
	say_fail "plain http answered on the TLS port"
# A certificate the client does not trust is refused by the client.
curl -s -m 5 "https://127.0.0.1:$port/" >/dev/null && say_fail "untrusted certificate accepted"

kill -TERM "$pid"
wait "$pid"
st=$?
pid=
[ "$st" = 0 ] || say_fail "exit status after SIGTERM: $st"
# Nothing about clients in the logs: no addresses, no user agents, no paths.
grep -E "127\.0\.0\.1:[0-9]+[^0-9]|curl|/api/|/s/" err.txt && say_fail "the log mentions a client: $(cat err.txt)"
grep -q "curl" out.txt && say_fail "stdout mentions a client"

[ $fail -eq 0 ] && echo "serve tls: all passed"
exit $fail
