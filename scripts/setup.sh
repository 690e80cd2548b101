#!/usr/bin/env bash
# Installs the Debian 12 packages desmooth needs. Idempotent: when everything is present it only checks
# (about a second) and touches nothing. Waits for another apt/dpkg instead of failing on its lock.
# `setup.sh opencv-tree` adds what building OpenCV from source with the module needs
# (scripts/check_in_opencv_tree.sh).
set -euo pipefail

packages=(
    build-essential cmake pkg-config git
    ccache                                # compiled objects kept across builds and clones (scripts/build.sh)
    python3                               # scripts/summarize_results.py (the results tables)
    libopencv-dev libopencv-contrib-dev   # core, imgproc, dnn, ximgproc (the l0Smooth anchor), quality, photo
    opencv-data                           # BRISQUE's LIVE model files (the brisque score)
    libtorch-dev                          # the trainer (training/) only
    libgloo-dev                           # headers of LibTorch's Gloo process group (data-parallel training)
    libopenblas0-pthread                  # without it LibTorch falls back to the reference BLAS (27x slower)
    libboost-program-options-dev          # command-line parsing of every program
    libgtest-dev libgmock-dev             # opencv_test_desmooth (Debian has no opencv_ts; GTest's CMake config needs gmock)
    zlib1g-dev                            # the model-file reader (gzip)
    libfftw3-dev                          # fast FFT for L0Smooth (GPL: see README; optional at build time)
)
if [ "${1:-}" = "opencv-tree" ]; then
    packages+=(
        dpkg-dev                          # apt-get source unpacks OpenCV's source package with dpkg-source
        ninja-build                       # the OpenCV build (ccache, above, keeps it across runs)
        python3-dev python3-numpy         # cv2 (the python3 module of OpenCV)
        libprotobuf-dev protobuf-compiler # OpenCV's dnn (Debian's source carries no 3rdparty/)
        libjpeg-dev libpng-dev            # OpenCV's imgcodecs
    )
elif [ -n "${1:-}" ]; then
    echo "setup: unknown package group '$1' (known: opencv-tree)" >&2
    exit 2
fi

missing=()
for p in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
    [[ "$status" == ii* ]] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "setup: all ${#packages[@]} packages present"
    exit 0
fi

echo "setup: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
apt_opts=(-o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get "${apt_opts[@]}" update -q
$sudo apt-get "${apt_opts[@]}" install -y -q --no-install-recommends "${missing[@]}"
echo "setup: done"
