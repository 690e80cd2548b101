#!/usr/bin/env bash
# Installs the Debian 12 packages desmooth needs. Idempotent: when everything is present it only checks
# (about a second) and touches nothing. Waits for another apt/dpkg instead of failing on its lock.
set -euo pipefail

packages=(
    build-essential cmake pkg-config git
    python3                               # scripts/summarize_results.py (the results tables)
    libopencv-dev libopencv-contrib-dev   # core, imgproc, dnn, ximgproc (the l0Smooth anchor), quality, photo
    opencv-data                           # BRISQUE's LIVE model files (the brisque score)
    libtorch-dev                          # the trainer (training/) only
    libopenblas0-pthread                  # without it LibTorch falls back to the reference BLAS (27x slower)
    libboost-program-options-dev          # command-line parsing of every program
    libgtest-dev libgmock-dev             # opencv_test_desmooth (Debian has no opencv_ts; GTest's CMake config needs gmock)
    zlib1g-dev                            # the model-file reader (gzip)
    libfftw3-dev                          # fast FFT for L0Smooth (GPL: see README; optional at build time)
)

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
