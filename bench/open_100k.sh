#!/usr/bin/env bash
# Times `koe open` on a generated roster of 100,000 employees (40
# departments × 5 tenure bands) with the default Argon2id cost, then
# `koe status`, `koe backup` and `koe restore` (into a new file) and `koe
# close` on it. Usage: bench/open_100k.sh [build/koe]
set -euo pipefail
koe=$(realpath "${1:-build/koe}")
src=$(cd "$(dirname "$0")/.." && pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
cd "$t"
awk 'BEGIN { srand(3); print "employee_id,email,name,department,tenure";
  split("1年未満 1-3年 3-5年 5-10年 10年以上", b, " ");
  for (i = 0; i < 100000; i++)
    printf "E%06d,e%d@example.jp,社員%d,部署%02d,%s\n", i, i, i, int(rand() * 40), b[int(rand() * 5) + 1] }' >roster.csv
echo "correct horse battery staple" >pass.txt
t0=$(date +%s.%N)
"$koe" open "$src/surveys/alumni-readiness.txt" --roster roster.csv \
	--base-url https://survey.example.jp --passphrase-file pass.txt >/dev/null
t1=$(date +%s.%N)
"$koe" status >/dev/null
t2=$(date +%s.%N)
"$koe" backup --out copy.db >/dev/null
tb=$(date +%s.%N)
sizes="$(stat -c %s copy.db) $(stat -c %s koe.db)"
"$koe" restore copy.db --db restored.db >/dev/null
tr=$(date +%s.%N)
t2b=$(date +%s.%N)
"$koe" close --yes >/dev/null
t3=$(date +%s.%N)
printf 'koe open, 100,000 invitations: %.2f s (Argon2id included)\n' "$(awk "BEGIN{print $t1 - $t0}")"
printf 'koe status: %.3f s\n' "$(awk "BEGIN{print $t2 - $t1}")"
# shellcheck disable=SC2086 # two numbers
printf 'koe backup: %.2f s, %d bytes (the database: %d bytes)\n' "$(awk "BEGIN{print $tb - $t2}")" $sizes
printf 'koe restore into a new file: %.2f s\n' "$(awk "BEGIN{print $tr - $tb}")"
printf 'koe close (delete, checkpoint, vacuum): %.2f s\n' "$(awk "BEGIN{print $t3 - $t2b}")"
