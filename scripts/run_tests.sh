#!/usr/bin/env bash
# The test command of the README: set up, build, run every test through ctest, then the in-tree check.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
cd "${DESMOOTH_BUILD_DIR:-$root/build}"
ctest --output-on-failure --timeout 900 -j "$(nproc)"
# The module inside OpenCV's own tree, with its tests there and cv2.desmooth from Python (a cold machine compiles
# OpenCV once; docs/testing.md). DESMOOTH_SKIP_OPENCV_TREE=1 leaves it out.
if [ "${DESMOOTH_SKIP_OPENCV_TREE:-0}" != 1 ]; then
    "$root/scripts/check_in_opencv_tree.sh"
fi
