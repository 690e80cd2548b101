#!/usr/bin/env bash
# Builds OpenCV from Debian's source package with this repository's modules/ as an extra module path (the way
# OpenCV users add an opencv_contrib module), then runs opencv_test_desmooth, opencv_perf_desmooth (sanity mode)
# and the Python tests of cv2.desmooth, printing each step's time.
#
#   bash scripts/check_in_opencv_tree.sh              # the check
#   bash scripts/check_in_opencv_tree.sh --static     # also a static opencv_test_desmooth (see docs/testing.md)
#
# Everything lives in a persistent folder (DESMOOTH_OPENCV_TREE_DIR, default ~/.cache/desmooth/opencv-tree): the
# source, the build and ccache's cache. A cold machine compiles OpenCV once (about 20 minutes on 2 cores); later
# runs rebuild only what changed. The machine's apt configuration is not touched: the deb-src entry lives in a
# private apt configuration inside that folder.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${DESMOOTH_OPENCV_TREE_DIR:-$HOME/.cache/desmooth/opencv-tree}
static=0
for arg in "$@"; do
    case "$arg" in
    --static) static=1 ;;
    *)
        echo "check_in_opencv_tree: unknown argument '$arg' (known: --static)" >&2
        exit 2
        ;;
    esac
done

"$root/scripts/setup.sh" opencv-tree
mkdir -p "$work"
timings=()
step_start=0
begin() {
    step_start=$(date +%s)
    echo "== $1"
}
end() { timings+=("$(printf '%-34s %5d s' "$1" $(($(date +%s) - step_start)))"); }

# The same OpenCV as the installed packages, so that both builds test against one version.
version=$(dpkg-query -W -f='${Version}' libopencv-dev)
src="$work/opencv-${version//[:+~]/_}"
begin "fetch OpenCV $version source"
if [ ! -f "$src/CMakeLists.txt" ]; then
    apt_dir="$work/apt"
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/download"
    . /etc/os-release
    echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian" \
        "$VERSION_CODENAME main" >"$apt_dir/sources.list"
    apt_private=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
        -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
        -o "Dir::Cache::archives=$apt_dir/archives" -o Acquire::Retries=3)
    apt-get "${apt_private[@]}" -q update
    (cd "$apt_dir/download" && apt-get "${apt_private[@]}" -q source --download-only "opencv=$version")
    rm -rf "$src.partial"
    dpkg-source -x "$apt_dir/download/opencv_${version#*:}.dsc" "$src.partial" >/dev/null
    mv "$src.partial" "$src"
    rm -rf "$apt_dir/download" "$work"/opencv_*.orig*.tar.* # dpkg-source leaves copies of the tarballs beside it
fi
end "fetch OpenCV source"

export CCACHE_DIR="$work/ccache" CCACHE_BASEDIR="$work" CCACHE_MAXSIZE=5G
ccache -z >/dev/null
# The build reaches this checkout through one fixed link inside CCACHE_BASEDIR, so that the module's objects
# compiled from another clone are cache hits, not new compilations. Ninja then sees the same paths for every
# clone: where the link named another one, the module's outputs (and cv2's, made from its headers) go, and are
# rebuilt from this clone's sources (mostly from the cache), never kept from another clone's.
checkout="$work/checkout"
if [ "$(readlink "$checkout" 2>/dev/null || true)" != "$root" ]; then
    for built in "$work/build" "$work/build-static"; do
        rm -rf "$built/modules/desmooth" "$built/modules/python3" "$built/modules/python_bindings_generator"
    done
    ln -sfn "$root" "$checkout"
fi
modules="core,imgproc,imgcodecs,videoio,highgui,dnn,ximgproc,quality,photo,desmooth,python3,ts"
# CPU_DISPATCH is empty: the extra SIMD variants (AVX2, AVX-512, ...) would double the compile time of a check.
# The build folder is shared by every clone that runs the check: whatever names this clone (the module path, the
# bundled model) is passed each time, so that no cached value from another clone stays.
configure() { # build-folder, extra cmake arguments...
    local build=$1
    shift
    cmake -S "$src" -B "$build" -G Ninja -Wno-dev -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
        -DOPENCV_EXTRA_MODULES_PATH="$src/contrib/modules;$checkout/modules" -DBUILD_LIST="$modules" \
        -DOPENCV_BUILD_TEST_MODULES_LIST=desmooth -DOPENCV_BUILD_PERF_TEST_MODULES_LIST=desmooth \
        -DBUILD_TESTS=ON -DBUILD_PERF_TESTS=ON -DBUILD_EXAMPLES=OFF -DBUILD_DOCS=OFF -DBUILD_opencv_apps=OFF \
        -DBUILD_JAVA=OFF -DBUILD_PROTOBUF=OFF -DPROTOBUF_UPDATE_FILES=ON -DOPENCV_DOWNLOAD_TRIES_LIST= \
        -DWITH_IPP=OFF -DWITH_ITT=OFF -DWITH_ADE=OFF -DWITH_QUIRC=OFF -DWITH_CAROTENE=OFF -DWITH_OPENCL=OFF \
        -DWITH_FFMPEG=OFF -DWITH_GSTREAMER=OFF -DWITH_GTK=OFF -DWITH_QT=OFF -DWITH_VTK=OFF -DWITH_OPENEXR=OFF \
        -DWITH_JASPER=OFF -DWITH_OPENJPEG=OFF -DWITH_TIFF=OFF -DWITH_WEBP=OFF -DWITH_1394=OFF \
        -DCPU_DISPATCH= -DWITH_CUDA=OFF -DDESMOOTH_WITH_CUDA=OFF -DPYTHON3_EXECUTABLE=/usr/bin/python3 \
        -DDESMOOTH_BUNDLED_MODEL="$checkout/data/models/desmooth_restore.yml.gz" "$@" >"$build.configure.log" ||
        { tail -40 "$build.configure.log"; return 1; }
    grep -E "desmooth|To be built" "$build.configure.log" || true
}

build="$work/build"
begin "configure (shared libraries)"
configure "$build"
end "configure"

begin "build"
cmake --build "$build" --target opencv_test_desmooth opencv_perf_desmooth opencv_python3 -j "$(nproc)" \
    >"$build.build.log" || { grep -B2 -A12 -E "error|FAILED" "$build.build.log" | sed -n 1,80p; exit 1; }
end "build"
ccache -s | grep -E "Hits|Misses|hit rate" || true

begin "opencv_test_desmooth"
"$build/bin/opencv_test_desmooth" >"$build.test.log" 2>&1 || { grep -E "FAILED|Failure" -A5 "$build.test.log" | sed -n 1,60p; exit 1; }
grep -E "^\[( SKIPSTAT |==========|  PASSED  )\]" "$build.test.log"
end "opencv_test_desmooth"

begin "opencv_perf_desmooth (sanity)"
"$build/bin/opencv_perf_desmooth" --perf_min_samples=1 --perf_force_samples=1 --perf_verify_sanity \
    >"$build.perf.log" 2>&1 || { tail -30 "$build.perf.log"; exit 1; }
grep -E "^\[  (PASSED|FAILED) " "$build.perf.log"
end "opencv_perf_desmooth"

begin "python tests (cv2.desmooth)"
# OpenCV's runner (modules/python/test/test.py), pointed at this module's tests only, with the Python cv2 was
# built for (Debian's, with python3-numpy; not whatever python3 comes first on PATH).
python_run="$work/python-run"
rm -rf "$python_run"
mkdir -p "$python_run"
echo "$root/modules/desmooth/misc/python/test" >"$python_run/opencv_python_tests.cfg"
(cd "$python_run" && PYTHONPATH="$build/python_loader" OPENCV_PYTEST_FILTER=test_desmooth \
    /usr/bin/python3 "$src/modules/python/test/test.py" --repo "$src" -v) >"$build.python.log" 2>&1 ||
    { tail -40 "$build.python.log"; exit 1; }
grep -E "^(Ran|OK|FAILED)" "$build.python.log"
# The Python sample, as a user runs it: the committed L0-smoothed photo in, the recovery out.
PYTHONPATH="$build/python_loader" /usr/bin/python3 "$root/samples/python/desmooth.py" \
    "$root/data/smoothed/butterfly_l0.png" "$python_run/butterfly_recovered.png" --photo "$root/data/photos/butterfly.jpg"
PYTHONPATH="$build/python_loader" /usr/bin/python3 "$root/samples/python/desmooth.py" \
    "$root/data/smoothed/butterfly_l0.png" "$python_run/butterfly_recovered_known.png" \
    --photo "$root/data/photos/butterfly.jpg" --smoother l0:lambda=0.02,kappa=2
end "python tests"

if [ "$static" = 1 ]; then
    # A statically linked opencv_test_desmooth and opencv_perf_desmooth, with the layers' CUDA kernels where nvcc
    # is found (not OpenCV's CUDA parts): programs that run alone on a GPU machine with no OpenCV
    # (scripts/device_check.sh). Copied to build-device/ in the repository, where the device tool can carry them
    # (build-device/bundle.tar.xz holds all of it compressed).
    begin "static test programs"
    cuda=OFF
    if command -v nvcc >/dev/null || [ -x /usr/local/cuda/bin/nvcc ]; then cuda=ON; fi
    configure "$work/build-static" -DBUILD_SHARED_LIBS=OFF -DBUILD_opencv_python3=OFF \
        -DBUILD_LIST=core,imgproc,imgcodecs,videoio,highgui,dnn,ximgproc,quality,photo,desmooth,ts \
        -DDESMOOTH_WITH_CUDA=$cuda -DCMAKE_CUDA_COMPILER="$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)"
    cmake --build "$work/build-static" --target opencv_test_desmooth opencv_perf_desmooth -j "$(nproc)" \
        >"$work/build-static.build.log" || { grep -B2 -A12 -E "error|FAILED" "$work/build-static.build.log" | sed -n 1,80p; exit 1; }
    # The programs, the shared libraries they still need beyond libc and libstdc++ (a GPU machine need not have
    # libjpeg, libpng, protobuf or FFTW), and one compressed bundle of both that fits the device tool's carry.
    device="$root/build-device"
    rm -rf "$device"
    mkdir -p "$device/lib"
    for program in opencv_test_desmooth opencv_perf_desmooth; do
        cp "$work/build-static/bin/$program" "$device/"
        strip "$device/$program"
    done
    ldd "$device/opencv_test_desmooth" "$device/opencv_perf_desmooth" | awk '$3 ~ /^\// { print $3 }' | sort -u |
        grep -vE '/(libc|libm|libstdc\+\+|libgcc_s|ld-linux[^/]*)\.so' | xargs -r cp -L -t "$device/lib"
    tar -C "$device" -cJf "$work/device_bundle.tar.xz" opencv_test_desmooth opencv_perf_desmooth lib
    mv "$work/device_bundle.tar.xz" "$device/bundle.tar.xz"
    echo "CUDA kernels: $cuda"
    ls -l "$device" "$device/lib"
    "$device/opencv_test_desmooth" --gtest_filter='Desmooth_DeSmoother.cuda*' | grep -E "^\[ *(OK|SKIP|PASSED|FAILED)"
    end "static test programs"
fi

echo "== timings"
printf '%s\n' "${timings[@]}"
echo "check_in_opencv_tree: passed"
