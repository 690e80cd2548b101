#!/usr/bin/env bash
# Configures and builds desmooth into build/ (Release). Extra arguments go to cmake's configure step.
# Where ccache is installed and its cache folder writable, it compiles through it (DESMOOTH_CCACHE=0: not): the
# cache (~/.cache/desmooth/ccache-standalone) outlives build folders, and with this checkout as its base directory
# the same sources in another clone (a fresh clone's test run) are hits, not new compilations.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${DESMOOTH_BUILD_DIR:-$root/build}
jobs=$(nproc)
launcher=""
cache=${HOME:-/nonexistent}/.cache/desmooth/ccache-standalone
if [ "${DESMOOTH_CCACHE:-1}" != 0 ] && command -v ccache >/dev/null && mkdir -p "$cache" 2>/dev/null &&
    [ -w "$cache" ]; then
    # The settings go into the launcher itself, so a later plain `cmake --build build` uses them too.
    launcher="env;CCACHE_DIR=$cache;CCACHE_BASEDIR=$root;CCACHE_MAXSIZE=3G;ccache"
fi
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER_LAUNCHER="$launcher" \
    -DCMAKE_CXX_COMPILER_LAUNCHER="$launcher" "$@" >/dev/null
cmake --build "$build" -j "$jobs"
