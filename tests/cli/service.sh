#!/usr/bin/env bash
# The service as IT installs it (README, "Installing the service"): `cmake
# --install` into a temporary prefix puts the program, the units naming it,
# the sysusers.d and tmpfiles.d files in place; the units pass `systemd-analyze
# verify` without a word; `systemd-analyze security` rates koe.service at
# the exposure level the README states, with the sandbox the issue asks for;
# the user and directories are made by systemd-sysusers and systemd-tmpfiles
# in a scratch root; and the unit's own ExecStart line, given a socket the
# way koe.socket gives it and the TLS files the way LoadCredential does,
# serves HTTPS from a network namespace of its own as an unprivileged user. There is no systemd as PID 1 here, so nothing is started
# through systemctl.
set -u
koe=${KOE_BIN:?}
src=${KOE_SRC:?}
command -v systemd-analyze >/dev/null ||
	{ echo "SKIP: systemd-analyze is not installed (Debian package systemd)"; exit 77; }
export KOE_KDF_MEMLIMIT=8388608
fail=0
t=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$t"' EXIT
say_fail() { echo "FAIL: $*" >&2; fail=1; }

# 1. cmake --install into a temporary prefix.
prefix=$t/prefix
cmake --install "$(dirname "$koe")" --prefix "$prefix" >"$t/install.txt" 2>&1 ||
	{ cat "$t/install.txt" >&2; echo "FAIL: cmake --install" >&2; exit 1; }
units=$prefix/lib/systemd/system
for f in bin/koe lib/systemd/system/koe.service lib/systemd/system/koe.socket \
	lib/systemd/system/koe-backup.service lib/systemd/system/koe-backup.timer \
	lib/sysusers.d/koe.conf lib/tmpfiles.d/koe.conf; do
	[ -f "$prefix/$f" ] || say_fail "cmake --install did not install $f"
done
[ -x "$prefix/bin/koe" ] || say_fail "bin/koe is not executable"
for u in koe.service koe-backup.service; do
	grep -q "^ExecStart=$prefix/bin/koe " "$units/$u" ||
		say_fail "$u does not run the installed program: $(grep ExecStart "$units/$u")"
done

# 2. systemd-analyze verify: no error and no warning. A unit with a typo
# must fail the same check, or the check proves nothing.
(cd "$units" && systemd-analyze verify koe.socket koe.service koe-backup.service \
	koe-backup.timer) >"$t/verify.txt" 2>&1
rc=$?
[ $rc = 0 ] && [ ! -s "$t/verify.txt" ] ||
	say_fail "systemd-analyze verify (exit $rc): $(cat "$t/verify.txt")"
sed 's/^ProtectSystem=strict/ProtectSytem=strict/' "$units/koe.service" >"$t/typo.service"
(cd "$t" && systemd-analyze verify typo.service) >"$t/verify2.txt" 2>&1
grep -q "Unknown key" "$t/verify2.txt" || say_fail "verify did not notice a typo"

# 3. The security exposure, as the README states it, and the sandbox.
systemd-analyze security --offline=true "$units/koe.service" >"$t/security.txt" 2>&1 ||
	say_fail "systemd-analyze security: $(tail -3 "$t/security.txt")"
level=$(sed -n 's/.*Overall exposure level for koe.service: \([0-9.]*\).*/\1/p' "$t/security.txt")
echo "exposure level of koe.service: $level"
[ -n "$level" ] || say_fail "no exposure level: $(tail -3 "$t/security.txt")"
grep -q "exposure level $level " "$src/README.md" ||
	say_fail "README does not state the exposure level $level"
systemd-analyze security --offline=true --threshold=10 "$units/koe.service" >/dev/null 2>&1 ||
	say_fail "exposure above 1.0"
for want in NoNewPrivileges= PrivateTmp= PrivateNetwork= PrivateDevices= ProtectHome= \
	'CapabilityBoundingSet=~CAP_SYS_ADMIN' 'RestrictAddressFamilies=~AF_(INET|INET6)' \
	ProtectKernelTunables= MemoryDenyWriteExecute= 'SystemCallFilter=~@privileged' User=/DynamicUser=; do
	grep -q "^✓ $want" "$t/security.txt" || say_fail "security: $want is not ✓"
done
for want in 'ProtectSystem=strict' 'StateDirectory=koe' 'User=koe' 'UMask=0077' \
	'LoadCredential=tls-key:/etc/koe/tls/key.pem'; do
	grep -qx "$want" "$units/koe.service" || say_fail "koe.service lacks $want"
done
grep -qx 'ListenStream=443' "$units/koe.socket" || say_fail "koe.socket does not listen on 443"

# 4. The user and the directories, in a scratch root.
root=$t/root
mkdir -p "$root/etc"
systemd-sysusers --root="$root" "$prefix/lib/sysusers.d/koe.conf" >/dev/null 2>&1 ||
	say_fail "systemd-sysusers failed"
grep -q '^koe:x:[0-9]*:[0-9]*:.*:/var/lib/koe:/usr/sbin/nologin$' "$root/etc/passwd" ||
	say_fail "no system user koe: $(cat "$root/etc/passwd" 2>/dev/null)"
systemd-tmpfiles --root="$root" --create "$prefix/lib/tmpfiles.d/koe.conf" >/dev/null 2>&1 ||
	say_fail "systemd-tmpfiles failed"
for d in var/lib/koe var/backups/koe; do
	[ "$(stat -c %a "$root/$d" 2>/dev/null)" = 700 ] || say_fail "/$d is not 0700"
done

# 5. The unit's ExecStart, as systemd would run it: the database in the
# state directory, the TLS files in the credentials directory (%d), the
# socket as fd 3, no network of its own, an unprivileged user.
state=$root/var/lib/koe
creds=$t/credentials
mkdir -p "$creds"
{ echo "employee_id,department,tenure"; for i in $(seq 10); do echo "E$i,営業部,1-3年"; done; } >"$t/roster.csv"
echo "correct horse battery staple" >"$t/pass.txt"
"$prefix/bin/koe" open "$src/surveys/alumni-readiness.txt" --roster "$t/roster.csv" \
	--base-url https://127.0.0.1 --passphrase-file "$t/pass.txt" --db "$state/koe.db" \
	--out "$t/links.csv" >/dev/null || say_fail "koe open into the state directory"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
	-keyout "$creds/tls-key" -out "$creds/tls-cert" 2>/dev/null || say_fail "openssl"
exec_start=$(sed -n 's/^ExecStart=//p' "$units/koe.service" | sed "s|%d|$creds|g; s|/var/lib/koe|$state|g")
# As much of the sandbox as works without systemd: a network namespace of
# its own (PrivateNetwork=yes: the handed-over socket is its only way out),
# an unprivileged user with no capability and no new privileges (User=,
# CapabilityBoundingSet=, NoNewPrivileges=), owning only the state and
# credentials directories, as systemd arranges them.
sandbox=()
if unshare -n true 2>/dev/null && command -v setpriv >/dev/null &&
	setpriv --reuid=65534 --regid=65534 --clear-groups --no-new-privs --bounding-set=-all true 2>/dev/null; then
	chmod 0711 "$t"
	chown -R 65534:65534 "$state" "$creds"
	chmod 0500 "$creds"
	chmod 0400 "$creds"/*
	sandbox=(unshare -n setpriv --reuid=65534 --regid=65534 --clear-groups --no-new-privs
		--bounding-set=-all)
else
	echo "note: unshare -n or setpriv cannot run here; ExecStart runs without them"
fi
# shellcheck disable=SC2086 # the unit's words, split as systemd splits them
python3 "$src/tests/cli/socket_activate.py" 127.0.0.1 "${sandbox[@]}" $exec_start \
	>"$t/out.txt" 2>"$t/err.txt" &
pid=$!
for _ in $(seq 100); do [ "$(wc -l <"$t/out.txt")" -ge 2 ] && break; sleep 0.1; done
port=$(head -1 "$t/out.txt")
grep -qx "koe serve: listening on https://127.0.0.1:$port (socket from systemd)" "$t/out.txt" ||
	say_fail "serve on the handed-over socket: $(cat "$t/out.txt" "$t/err.txt")"
if [ ${#sandbox[@]} -gt 0 ]; then
	st=/proc/$pid/status
	[ "$(readlink "/proc/$pid/ns/net")" != "$(readlink /proc/self/ns/net)" ] ||
		say_fail "koe serve shares the host's network namespace"
	grep -q '^Uid:[[:space:]]*65534[[:space:]]' "$st" || say_fail "not unprivileged: $(grep Uid "$st")"
	grep -q '^NoNewPrivs:[[:space:]]*1' "$st" || say_fail "new privileges allowed"
	grep -q '^CapBnd:[[:space:]]*0*$' "$st" || say_fail "capabilities left: $(grep CapBnd "$st")"
fi
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$creds/tls-cert" \
	"https://127.0.0.1:$port/api/v1/surveys/alumni-readiness-2026")
[ "$code" = 200 ] || say_fail "HTTPS on the handed-over socket answered $code"
kill "$pid"
wait "$pid"
rc=$?
pid=
[ $rc = 0 ] || say_fail "SIGTERM: exit $rc"
# --listen beside a socket from systemd is a mistake said plainly.
python3 "$src/tests/cli/socket_activate.py" 127.0.0.1 "$prefix/bin/koe" serve \
	--db "$state/koe.db" --listen 127.0.0.1:0 >/dev/null 2>"$t/err.txt"
[ $? = 2 ] && grep -q "leave out --listen" "$t/err.txt" ||
	say_fail "--listen with a socket from systemd: $(cat "$t/err.txt")"

[ $fail = 0 ] && echo "service: installed, verified, exposure $level, serves on its socket"
exit $fail
