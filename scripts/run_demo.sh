#!/usr/bin/env bash
# The main job of the README: set up, build, recover the bundled L0-smoothed photo data/smoothed/butterfly_l0.png
# with the bundled model (cv::desmooth::recover, the one-line call), and again with the smoother that made it
# known (L0Smooth's defaults), and write the recovery and input | recovered | recovered, smoother known | photo
# to out/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
mkdir -p "$root/out"
"${DESMOOTH_BUILD_DIR:-$root/build}/bin/example_recover" \
    "$root/data/smoothed/butterfly_l0.png" "$root/out/butterfly_recovered.png" \
    --photo="$root/data/photos/butterfly.jpg" --comparison="$root/out/butterfly_comparison.png" \
    --smoother=l0:lambda=0.02,kappa=2
