#!/usr/bin/env bash
# What per-rank BatchNorm costs in quality: the bundled model's fidelity recipe for a few iterations with 4 crops
# per step, once normalised over all 4 (one process, batch 4: BatchNorm over the whole step) and once per crop (4
# micro-batches of 1: exactly what 4 ranks with batch 1 compute, see docs/training.md). Prints the held-out PSNR
# and SSIM the trainer measured at each validation. Needs the fetched photos (data/fetch_photos.sh).
#   bench/batchnorm_per_rank.sh [BUILD_DIR] [ITERATIONS] [PHOTOS]   (defaults: build, 1000, ~/.cache/desmooth/photos)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
iterations=${2:-1000}
photos=${3:-$HOME/.cache/desmooth/photos}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
recipe=(--data "$photos" --split-file "$root/data/splits/held_out.txt" --config lite --residual --seed 1
    --min-long-side 256 --smoothers l0,fgs,bilateral,guided --identity-share 0.1 --loss-weight 10000
    --iters "$iterations" --validate-every 250 --checkpoint-every 100000 --sample-every 100000 --threads 1)
nice "$build/bin/desmooth_train" "${recipe[@]}" --out "$work/whole" --batch 4 >/dev/null &
nice "$build/bin/desmooth_train" "${recipe[@]}" --out "$work/per_crop" --batch 1 --micro-batches 4 >/dev/null &
wait
echo "held-out PSNR dB / SSIM (lite, fidelity recipe, 4 crops per step, $iterations iterations)"
echo
echo "| iteration | BatchNorm over the step's 4 crops | BatchNorm per crop (= 4 ranks x 1) |"
echo "|---|---|---|"
validations() { awk -F, 'NR > 1 && $5 != "nan" { printf "%.2f / %.4f\n", $5, $6 }' "$1"; }
paste -d, <(awk -F, 'NR > 1 && $5 != "nan" { print $1 }' "$work/whole/log.csv") <(validations "$work/whole/log.csv") \
    <(validations "$work/per_crop/log.csv") | awk -F, '{ printf "| %s | %s | %s |\n", $1, $2, $3 }'
