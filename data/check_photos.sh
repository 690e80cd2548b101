#!/usr/bin/env bash
# Checks a folder made by data/fetch_photos.sh against what training needs: at least MIN photographs, no content
# twice, and the held-out split (data/splits/held_out.txt) present, covering every source folder, and disjoint
# from the training photos by content (SHA-256), not only by name.
# Usage: data/check_photos.sh FOLDER [SPLIT] [MIN]   Exit 0 when all holds; otherwise each failure on stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
folder=${1:?usage: check_photos.sh FOLDER [SPLIT] [MIN]}
split=${2:-$here/splits/held_out.txt}
min=${3:-400}
failures=0
fail() { echo "check_photos: $*" >&2; failures=$((failures + 1)); }

hashes=$(mktemp)
trap 'rm -f "$hashes"' EXIT
(cd "$folder" && find . -type f \( -name '*.jpg' -o -name '*.png' \) -printf '%P\0' | sort -z | xargs -0 sha256sum) >"$hashes"
count=$(wc -l <"$hashes")
[ "$count" -ge "$min" ] || fail "$count photos, fewer than $min"
duplicates=$(awk '{print $1}' "$hashes" | sort | uniq -d | wc -l)
[ "$duplicates" -eq 0 ] || fail "$duplicates contents appear more than once"

held=$(grep -v -e '^#' -e '^$' "$split")
for name in $held; do
    [ -f "$folder/$name" ] || fail "held-out file '$name' is not in $folder"
done
for source in $(cd "$folder" && find . -mindepth 1 -maxdepth 1 -type d -printf '%P\n' | sort); do
    grep -q "^$source/" <<<"$held" || fail "no held-out photo from '$source'"
done
# Disjoint by content: no training file has the bytes of a held-out one.
held_hashes=$(for name in $held; do grep -F "  $name" "$hashes" | awk -v n="$name" '$2 == n {print $1}'; done | sort -u)
training_hashes=$(awk 'NR==FNR {held[$0]=1; next} !($2 in held) {print $1}' <(echo "$held") "$hashes" | sort -u)
shared=$(comm -12 <(echo "$held_hashes") <(echo "$training_hashes") | grep -c . || true)
[ "$shared" -eq 0 ] || fail "$shared held-out contents are also training photos"

if [ "$failures" -gt 0 ]; then exit 1; fi
echo "check_photos: $count photos, no duplicates, $(echo "$held" | wc -l) held out over" \
     "$(cd "$folder" && find . -mindepth 1 -maxdepth 1 -type d | wc -l) sources, disjoint by content"
