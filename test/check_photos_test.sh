#!/usr/bin/env bash
# data/check_photos.sh must pass a sound folder and catch each fault: too few photos, a content twice, a held-out
# photo whose bytes are also a training photo's, a source without a held-out photo, a listed file missing.
set -euo pipefail
check=${1:?usage: check_photos_test.sh CHECK_SCRIPT PHOTO}
photo=${2:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
make_folder() { # three sources of two photos each, every file different
    rm -rf "$work/photos"
    mkdir -p "$work/photos/a" "$work/photos/b" "$work/photos/c"
    local i=0
    for f in a/1.png a/2.png b/1.png b/2.png c/1.png c/2.png; do
        cp "$photo" "$work/photos/$f"
        printf 'x%.0s' $(seq 0 $i) >>"$work/photos/$f" # trailing bytes: a distinct content, still a PNG
        i=$((i + 1))
    done
    printf 'a/1.png\nb/1.png\nc/1.png\n' >"$work/split.txt"
}
expect() { # expect PASS|FAIL WHAT MIN
    local want=$1 what=$2 min=$3
    if bash "$check" "$work/photos" "$work/split.txt" "$min" >"$work/out" 2>&1; then got=PASS; else got=FAIL; fi
    if [ "$got" != "$want" ]; then
        echo "check_photos_test: $what: expected $want, got $got"; cat "$work/out"; exit 1
    fi
    echo "ok: $what ($got)"
}
make_folder; expect PASS "a sound folder" 6
make_folder; expect FAIL "fewer photos than the minimum" 7
make_folder; cp "$work/photos/a/2.png" "$work/photos/b/3.png"; expect FAIL "one content twice" 6
make_folder; cp "$work/photos/a/1.png" "$work/photos/a/2.png"; expect FAIL "held-out bytes also in training" 6
make_folder; printf 'a/1.png\nb/1.png\n' >"$work/split.txt"; expect FAIL "a source without a held-out photo" 6
make_folder; echo 'c/9.png' >>"$work/split.txt"; expect FAIL "a listed held-out file missing" 6
