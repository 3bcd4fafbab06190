#!/usr/bin/env bash
# Times sending 10,000 invitations to a local SMTP server (the aiosmtpd sink
# of tests/cli/smtp_sink.py on the loopback, writing every message to disk):
# `koe open --smtp` with no rate limit, then checks one message per address.
# Usage: bench/send_10k.sh [build/koe]
set -euo pipefail
koe=$(realpath "${1:-build/koe}")
src=$(cd "$(dirname "$0")/.." && pwd)
t=$(mktemp -d)
sink=
trap '[ -n "$sink" ] && kill "$sink"; rm -rf "$t"' EXIT
cd "$t"
awk 'BEGIN { srand(3); print "employee_id,email,name,department,tenure";
  split("1年未満 1-3年 3-5年 5-10年 10年以上", b, " ");
  for (i = 0; i < 10000; i++)
    printf "E%06d,e%d@example.jp,社員%d,部署%02d,%s\n", i, i, i, int(rand() * 20), b[int(rand() * 5) + 1] }' >roster.csv
echo "correct horse battery staple" >pass.txt
mkdir in
/usr/bin/python3 "$src/tests/cli/smtp_sink.py" in port 2>sink.log &
sink=$!
for _ in $(seq 100); do [ -s port ] && break; sleep 0.1; done
t0=$(date +%s.%N)
"$koe" open "$src/surveys/alumni-readiness.txt" --roster roster.csv \
	--base-url https://survey.example.jp --passphrase-file pass.txt \
	--smtp "smtp://127.0.0.1:$(cat port)" --from hr@example.jp --rate 100000 | tail -1
t1=$(date +%s.%N)
n=$(ls in | wc -l)
printf 'koe open --smtp, %d messages: %.1f s (%.0f per second; Argon2id and open included)\n' \
	"$n" "$(awk "BEGIN{print $t1 - $t0}")" "$(awk "BEGIN{print $n / ($t1 - $t0)}")"
