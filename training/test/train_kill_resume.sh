#!/usr/bin/env bash
# desmooth_train killed with SIGKILL mid-run resumes from its last checkpoint and finishes.
#   train_kill_resume.sh PROGRAM DATA WORK_DIR
set -euo pipefail
program=$1 data=$2 work=$3
rm -rf "$work"
common=(--data "$data" --out "$work" --config lite --batch 1 --crop 128 --val-fraction 0.25 --threads 2
        --checkpoint-every 2 --sample-every 1000 --validate-every 1000)
"$program" "${common[@]}" --iters 100000 > "$work.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do # until at least two checkpoints were written, then kill without warning
    if [ -f "$work/checkpoint.pt" ] && [ "$(grep -c '^[0-9]' "$work/log.csv" 2>/dev/null || echo 0)" -ge 5 ]; then break; fi
    sleep 0.2
done
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
done_before=$(grep -c '^[0-9]' "$work/log.csv")
out=$("$program" "${common[@]}" --iters $((done_before + 3)) --resume)
grep -q "resumed at iteration" <<<"$out" || { echo "no resume after SIGKILL: $out"; exit 1; }
resumed_at=$(echo "$out" | sed -n 's/.*resumed at iteration \([0-9]*\).*/\1/p')
# A checkpoint every 2 iterations: at most the last interval is lost.
[ $((done_before - resumed_at)) -le 2 ] || { echo "resumed at $resumed_at after $done_before iterations"; exit 1; }
[ -f "$work/model.yml.gz" ] || { echo "the resumed run wrote no model"; exit 1; }
echo "killed after $done_before iterations, resumed at $resumed_at, finished"
