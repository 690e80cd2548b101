#!/usr/bin/env bash
# Fuzzes the model-file reader with libFuzzer (clang, AddressSanitizer, UBSan) for a fixed number of executions.
#   fuzz/run_model_fuzzer.sh [RUNS]   (default 200000). Needs clang and libclang-rt-14-dev (Debian).
# Builds the project first (for the seed writer), then build/fuzz/model_file_fuzzer from the reader's sources.
# Findings (crash-*, leak-*, timeout-*) are left in build/fuzz/; the exit status is non-zero when there is one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-200000}
out=$root/build/fuzz
command -v clang++ >/dev/null || { echo "run_model_fuzzer: needs clang++ (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
"$root/scripts/build.sh"
mkdir -p "$out/corpus"
src=$root/modules/desmooth/src
opencv_flags=$(pkg-config --cflags --libs opencv4)
# shellcheck disable=SC2086
clang++ -g -O1 -std=c++17 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I"$root/modules/desmooth/include" -I"$src" "$root/fuzz/model_file_fuzzer.cpp" "$src/model_file.cpp" \
    "$src/model_validation.cpp" "$src/model_config.cpp" $opencv_flags -lz -o "$out/model_file_fuzzer"
# shellcheck disable=SC2086
g++ -O1 -std=c++17 -I"$root/modules/desmooth/include" -I"$root/modules/desmooth/test" \
    "$root/fuzz/write_seed_models.cpp" "$root/modules/desmooth/test/random_model.cpp" \
    -L"$root/build/lib" -Wl,-rpath,"$root/build/lib" -lopencv_desmooth $opencv_flags -o "$out/write_seed_models"
"$out/write_seed_models" "$out/corpus"
cd "$out"
./model_file_fuzzer -runs="$runs" -max_len=16384 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 corpus
