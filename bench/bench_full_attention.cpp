// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// Benchmark: full attention's spatial relation, streaming (the DesmoothFullAttention layer: O(HW) memory)
// against a naive implementation that stores the HW x HW softmax matrix, side by side on the same random f,
// g, h.
//   desmooth_bench_full_attention [--sizes 32,64,128] [--repeats N]

#include "command_line.hpp"
#include "layers/full_attention_layer.hpp"
#include "peak_memory.hpp"

#include <opencv2/core.hpp>
#include <opencv2/core/hal/hal.hpp>
#include <opencv2/core/utility.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <sstream>
#include <vector>

namespace {

// Stores M[j][i] = exp(f[i] g[j] - max) for every query j, then normalises and multiplies by h: the textbook
// way.
void naiveAttention(const std::vector<float>& f, const std::vector<float>& g, const std::vector<float>& h,
                    std::vector<float>& out)
{
    const int n = int(f.size());
    std::vector<float> matrix(size_t(n) * n);
    cv::parallel_for_(cv::Range(0, n), [&](const cv::Range& r) {
        for (int j = r.start; j < r.end; ++j) {
            float* row = matrix.data() + size_t(j) * n;
            float largest = -INFINITY;
            for (int i = 0; i < n; ++i) {
                row[i] = f[i] * g[j];
                largest = std::max(largest, row[i]);
            }
            for (int i = 0; i < n; ++i)
                row[i] -= largest;
            cv::hal::exp32f(row, row, n);
        }
    });
    cv::parallel_for_(cv::Range(0, n), [&](const cv::Range& r) {
        for (int j = r.start; j < r.end; ++j) {
            const float* row = matrix.data() + size_t(j) * n;
            double normaliser = 0, weighted = 0;
            for (int i = 0; i < n; ++i) {
                normaliser += row[i];
                weighted += double(row[i]) * h[i];
            }
            out[j] = float(weighted / normaliser);
        }
    });
}

struct Measurement
{
    double ms, extraMiB;
};

Measurement measure(const std::function<void()>& run, int repeats)
{
    std::vector<double> times;
    const double before = perf::residentMiB();
    perf::resetPeak();
    for (int r = 0; r < repeats; ++r) {
        const int64 start = cv::getTickCount();
        run();
        times.push_back(1000.0 * double(cv::getTickCount() - start) / cv::getTickFrequency());
    }
    std::sort(times.begin(), times.end());
    return {times[times.size() / 2], perf::peakResidentMiB() - before};
}

} // namespace

int main(int argc, char** argv)
{
    namespace po = boost::program_options;
    std::string sizes = "32,64,128,256,512";
    std::vector<int> sides;
    int repeats = 3;
    po::options_description options(
        "desmooth_bench_full_attention: full attention's spatial relation, three ways");
    po::options_description_easy_init add = options.add_options();
    add("help,h", "show this help");
    add("sizes", po::value(&sizes)->default_value(sizes), "feature-map sides, comma-separated");
    add("repeats", po::value(&repeats)->default_value(repeats), "runs per measurement (median)");
    const auto code = cv::desmooth::apps::parseCommandLine(
        argc, argv, "desmooth_bench_full_attention", options, [&](const po::variables_map&) {
            sides = cv::desmooth::apps::parseIntList(sizes, "sizes", 1, 4096, "16,32,64");
            if (repeats < 1) throw po::error("--repeats must be >= 1");
        });
    if (code) return *code;
    std::printf("Full attention, spatial relation: naive (HW x HW matrix) vs streaming exact vs expansion, "
                "%d threads, "
                "median of %d (1 run at 256x256 and up)\n",
                cv::getNumThreads(), repeats);
    std::printf(
        "| feature map | naive ms | naive extra MiB | streaming ms | streaming extra MiB | naive / streaming "
        "| "
        "expansion ms | expansion extra MiB | streaming / expansion | max diff (expansion - streaming) |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    cv::RNG rng(1);
    for (int side : sides) {
        const int n = side * side;
        std::vector<float> f(n), g(n), h(n), exact(n), naive(n), expansion(n);
        for (int i = 0; i < n; ++i) {
            f[i] = float(rng.gaussian(1.5));
            g[i] = float(rng.gaussian(1.5));
            h[i] = float(rng.gaussian(1.0));
        }
        const int runs = side >= 256 ? 1 : repeats;
        const Measurement binned = measure(
            [&] {
                cv::desmooth::fullAttentionSpatialExpansion(f.data(), g.data(), h.data(), n, expansion.data(),
                                                            true);
            },
            repeats);
        const Measurement streaming = measure(
            [&] { cv::desmooth::fullAttentionSpatial(f.data(), g.data(), h.data(), n, exact.data()); }, runs);
        double difference = 0;
        for (int i = 0; i < n; ++i)
            difference = std::max(difference, double(std::abs(expansion[i] - exact[i])));
        if (side <= 128) { // the naive matrix takes 1 GiB at 128x128, 16 GiB at 256x256
            const Measurement textbook = measure([&] { naiveAttention(f, g, h, naive); }, runs);
            std::printf("| %dx%d | %.1f | %.1f | %.1f | %.1f | %.2fx |", side, side, textbook.ms,
                        textbook.extraMiB, streaming.ms, streaming.extraMiB, textbook.ms / streaming.ms);
        } else {
            std::printf("| %dx%d | not run | (%.0f needed) | %.1f | %.1f | - |", side, side,
                        double(n) * n * sizeof(float) / (1 << 20), streaming.ms, streaming.extraMiB);
        }
        std::printf(" %.2f | %.1f | %.0fx | %.1e |\n", binned.ms, binned.extraMiB, streaming.ms / binned.ms,
                    difference);
        std::fflush(stdout);
    }
    return 0;
}
