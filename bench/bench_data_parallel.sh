#!/usr/bin/env bash
# Data-parallel training against one process, side by side on this machine: desmooth_train (lite, crop 128, the
# committed photos) as 1 process x 2 threads with batch 2, and as 2 processes x 1 thread with batch 1 each (the
# same 2 crops per step, Gloo over loopback). Prints iterations and images per second (the first 5 steps left
# out as warm-up), the time each step spends in all-reduce and the bytes it all-reduces, from the runs' log.csv.
#   bench/bench_data_parallel.sh [BUILD_DIR] [ITERATIONS]        (defaults: build, 60)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
iterations=${2:-60}
train=$build/bin/desmooth_train
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
common=(--data "$root/data/photos" --iters "$iterations" --crop 128 --val-fraction 0.25 --sample-every 100000
    --validate-every 100000 --checkpoint-every 100000)

"$train" "${common[@]}" --out "$work/one" --batch 2 --threads 2 >/dev/null
port=$((29500 + RANDOM % 1000))
for rank in 0 1; do
    RANK=$rank WORLD_SIZE=2 LOCAL_RANK=$rank MASTER_ADDR=127.0.0.1 MASTER_PORT=$port \
        "$train" "${common[@]}" --out "$work/two" --batch 1 --threads 1 >/dev/null &
done
wait

# iterations/s, images/s, ms in all-reduce per step, MB all-reduced per step (per rank), from steps 6..N.
summary() { # log.csv crops-per-step
    awk -F, -v crops="$2" 'NR == 7 { t0 = $7 } NR > 7 { n++; t = $7; ar += $8; mb += $9 }
        END { rate = n / (t - t0); printf "%.2f | %.2f | %.1f | %.1f", rate, rate * crops, 1000 * ar / n, mb / n }' "$1"
}
echo "desmooth_train data parallel, lite, crop 128, 2 crops per step, $iterations iterations, $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
echo "| run | iterations/s | images/s | all-reduce ms/step | MB all-reduced/step/rank |"
echo "|---|---|---|---|---|"
echo "| 1 process x 2 threads, batch 2 | $(summary "$work/one/log.csv" 2) |"
echo "| 2 processes x 1 thread, batch 1 each | $(summary "$work/two/log.csv" 2) |"
