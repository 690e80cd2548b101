#!/usr/bin/env bash
# The main job of the README: set up, build, L0-smooth a bundled photo and write the result to out/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
mkdir -p "$root/out"
"${DESMOOTH_BUILD_DIR:-$root/build}/bin/example_l0_smooth" \
    --input "$root/data/photos/butterfly.jpg" --output "$root/out/butterfly_l0.png"
