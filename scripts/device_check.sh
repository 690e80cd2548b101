#!/usr/bin/env bash
# The CUDA path on a GPU machine that has no OpenCV: runs the statically linked programs that
# `scripts/check_in_opencv_tree.sh --static` put in build-device/ (carry that folder to the machine):
#  - the CUDA-target cases of opencv_test_desmooth (the custom layers' kernels inside a cv::dnn::Net against the
#    CPU's results; they skip, saying so, without a usable device),
#  - recover() with the bundled model at 1920x1080 on the CPU and with the CUDA target (opencv_perf_desmooth).
# Carry either build-device/ or only build-device/bundle.tar.xz (it holds the programs and their libraries).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/build-device
if [ ! -x "$bin/opencv_test_desmooth" ] && [ -f "$bin/bundle.tar.xz" ]; then tar -C "$bin" -xJf "$bin/bundle.tar.xz"; fi
export LD_LIBRARY_PATH="$bin/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
[ -x "$bin/opencv_test_desmooth" ] || { echo "device_check: no $bin/opencv_test_desmooth (make it with scripts/check_in_opencv_tree.sh --static)" >&2; exit 2; }
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
export DESMOOTH_TEST_DATA_DIR=$root/data
"$bin/opencv_test_desmooth" --gtest_filter='Desmooth_DeSmoother.cuda*'
"$bin/opencv_perf_desmooth" --gtest_filter='RecoverFullHD*' --perf_min_samples=5 --perf_force_samples=5
