#!/usr/bin/env bash
# Frames per second of samples/desmooth_webcam at 640x480 on a video file, headless, per model configuration, with
# the time split (capture, smoothing, recovery, drawing, output). Untrained (random-weight) models, and the bundled
# restore model's file (a trained network costs what a random one does). The anchor is the target of 10 fps for
# `lite` without --smooth-first; the last column is the ratio. The bundled model's last row is the lighter setting,
# --scale=0.5 (each frame recovered at half its size, what the network added upscaled onto it). A second table: the
# bundled model with --smooth-first at both sizes, blind and with 2 consistency steps, and the PSNR it keeps.
#   bench/webcam_fps.sh [BUILD_DIR] [FRAMES]        (defaults: build, 60; `paper` runs a sixth of the frames)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
frames=${2:-60}
bin=$build/bin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin/desmooth_make_test_video" --photo "$root/data/photos/path.jpg" --out "$work/input.avi" --frames "$frames" \
    --width 640 --height 480 >/dev/null
"$bin/desmooth_write_random_model" --config lite --out "$work/lite.yml.gz" >/dev/null
"$bin/desmooth_write_random_model" --config lite --fa-levels 6 --out "$work/lite_fa_all.yml.gz" >/dev/null
"$bin/desmooth_write_random_model" --config paper --out "$work/paper.yml.gz" >/dev/null
"$bin/desmooth_write_random_model" --config restore --out "$work/restore.yml.gz" >/dev/null
"$bin/desmooth_write_random_model" --config restore --fa-levels 0 --out "$work/restore_no_fa.yml.gz" >/dev/null

echo "desmooth_webcam, 640x480 video, headless, $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
echo "| model | --smooth-first | capture | smoothing | recovery | drawing | output | ms/frame | fps | fps / 10 |"
echo "|---|---|---|---|---|---|---|---|---|---|"
run() { # label model smooth-first(0/1) frames [more desmooth_webcam flags]
    local extra=("${@:5}")
    [ "$3" = 1 ] && extra+=(--smooth-first)
    local line
    line=$("$bin/desmooth_webcam" --video="$work/input.avi" --model="$2" --no-window --frames="$4" "${extra[@]}" |
        grep '^ms per frame')
    # "ms per frame: capture A, smoothing B, recovery C, drawing D, output E; total F -> G fps"
    echo "$line" | awk -v label="$1" -v smooth="$([ "$3" = 1 ] && echo yes || echo no)" '{
        gsub(/[,;]/, ""); printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %.2f |\n",
        label, smooth, $5, $7, $9, $11, $13, $15, $17, $17 / 10 }'
}
run "lite (FA at 4 levels)" "$work/lite.yml.gz" 0 "$frames"
run "lite (FA at 4 levels)" "$work/lite.yml.gz" 1 "$frames"
run "lite, FA at every level (6)" "$work/lite_fa_all.yml.gz" 0 "$frames"
bundled=$root/data/models/desmooth_restore.yml.gz
run "restore, bundled (depth 4, capped at 48, FA at 2 levels)" "$bundled" 0 "$frames"
run "restore, depth 3 (FA at the coarsest level)" "$work/restore.yml.gz" 0 "$frames"
run "restore, depth 3 without FA" "$work/restore_no_fa.yml.gz" 0 "$frames"
run "paper" "$work/paper.yml.gz" 0 "$(( (frames + 5) / 6 ))"
run "restore, bundled, --scale=0.5" "$bundled" 0 "$frames" --scale=0.5

# What the lighter setting costs: with --smooth-first the frame is the photo recovery aims at, and the sample prints
# the mean PSNR to it of the L0-smoothed input and of the recovery (the bundled model, blind and with 2 steps).
echo
echo "| bundled model, --smooth-first | fps | PSNR of the L0-smoothed frames | PSNR of the recovery | gain |"
echo "|---|---|---|---|---|"
for scale in 1 0.5; do
    for steps in 0 2; do
        "$bin/desmooth_webcam" --video="$work/input.avi" --model="$bundled" --no-window --frames="$frames" \
            --smooth-first --consistency=$steps --scale=$scale |
            awk -v label="--scale=$scale --consistency=$steps" '
                /^ms per frame/ { fps = $(NF - 1) }
                /^PSNR to the frames/ { gsub(/,/, ""); input = $6; recovered = $9 }
                END { printf "| %s | %s | %s | %s | %+.2f |\n", label, fps, input, recovered, recovered - input }'
    done
done
