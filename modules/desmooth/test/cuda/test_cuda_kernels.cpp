// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// The CUDA kernels against plain CPU references, on seeded random inputs. No OpenCV: this program runs on any
// machine with the CUDA runtime; without a device every case skips and says so.

#include "desmooth_cuda.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace opencv_test {
namespace {

// GTEST_SKIP returns from the function it is written in, so it must stand in the test body itself.
#define REQUIRE_CUDA_DEVICE()                                                                                \
    if (!cv::desmooth::cuda::deviceAvailable()) GTEST_SKIP() << "no CUDA device (or driver) on this machine"

std::vector<float> randomVector(size_t n, float scale, unsigned seed)
{
    std::mt19937 engine(seed);
    std::normal_distribution<float> normal(0.f, scale);
    std::vector<float> v(n);
    for (float& x : v)
        x = normal(engine);
    return v;
}

TEST(Desmooth_CudaKernels, sft_matches_cpu)
{
    REQUIRE_CUDA_DEVICE();
    const int batch = 2, channels = 5;
    const size_t size = 37 * 41;
    const std::vector<float> x = randomVector(batch * channels * size, 1.f, 1),
                             gammaBeta = randomVector(2 * batch * channels * size, 1.f, 2);
    std::vector<float> y(x.size());
    cv::desmooth::cuda::sftModulate(x.data(), gammaBeta.data(), batch, channels, size, y.data());
    for (int n = 0; n < batch; ++n)
        for (int c = 0; c < channels; ++c)
            for (size_t i = 0; i < size; ++i) {
                const size_t at = (size_t(n) * channels + c) * size + i;
                const float gamma = gammaBeta[(size_t(n) * 2 * channels + c) * size + i];
                const float beta = gammaBeta[(size_t(n) * 2 * channels + channels + c) * size + i];
                ASSERT_NEAR(y[at], gamma * x[at] + beta, 1e-5f);
            }
}

TEST(Desmooth_CudaKernels, full_attention_matches_direct_softmax)
{
    REQUIRE_CUDA_DEVICE();
    for (int size : {1, 3, 256, 1000, 4096})
        for (float logitScale : {0.01f, 1.f, 20.f}) {
            const std::vector<float> f = randomVector(size, std::sqrt(logitScale), 3),
                                     g = randomVector(size, std::sqrt(logitScale), 4),
                                     h = randomVector(size, 1.f, 5);
            std::vector<float> out(size);
            cv::desmooth::cuda::fullAttentionSpatial(f.data(), g.data(), h.data(), size, out.data());
            double scale = 1, worst = 0;
            for (int j = 0; j < size; ++j) {
                double largest = -INFINITY;
                for (int i = 0; i < size; ++i)
                    largest = std::max(largest, double(f[i]) * g[j]);
                double normaliser = 0, weighted = 0;
                for (int i = 0; i < size; ++i) {
                    const double e = std::exp(double(f[i]) * g[j] - largest);
                    normaliser += e;
                    weighted += e * h[i];
                }
                const double expected = weighted / normaliser;
                scale = std::max(scale, std::abs(expected));
                worst = std::max(worst, std::abs(out[j] - expected));
            }
            EXPECT_LE(worst / scale, 1e-5) << "size " << size << " logit scale " << logitScale;
        }
}

// The expansion's evaluation kernel, given moments built here from their definition, against the direct
// softmax.
TEST(Desmooth_CudaKernels, attention_expansion_matches_direct_softmax)
{
    REQUIRE_CUDA_DEVICE();
    const int size = 4096, terms = 12;
    const std::vector<float> f = randomVector(size, 1.5f, 6), g = randomVector(size, 1.5f, 7),
                             h = randomVector(size, 1.f, 8);
    double fMin = f[0], fMax = f[0], gAbs = 0;
    for (int i = 0; i < size; ++i) {
        fMin = std::min(fMin, double(f[i]));
        fMax = std::max(fMax, double(f[i]));
        gAbs = std::max(gAbs, std::abs(double(g[i])));
    }
    const double width = 2.0 / gAbs;
    const int bins = std::max(1, int(std::ceil((fMax - fMin) / width)));
    std::vector<double> weighted(size_t(bins) * terms, 0.0), plain(size_t(bins) * terms, 0.0);
    std::vector<int> occupied(bins, 0), used;
    for (int i = 0; i < size; ++i) {
        const int b = std::min(bins - 1, int((f[i] - fMin) / width));
        const double offset = f[i] - (fMin + (b + 0.5) * width);
        double term = 1;
        for (int n = 0; n < terms; ++n, term *= offset / n) {
            plain[size_t(b) * terms + n] += term;
            weighted[size_t(b) * terms + n] += term * h[i];
        }
        occupied[b] = 1;
    }
    for (int b = 0; b < bins; ++b)
        if (occupied[b]) used.push_back(b);
    std::vector<float> out(size);
    cv::desmooth::cuda::fullAttentionExpansion(weighted.data(), plain.data(), used.data(), int(used.size()),
                                               terms, fMin, width, g.data(), size, out.data());
    double worst = 0;
    for (int j = 0; j < size; ++j) {
        double largest = -INFINITY, normaliser = 0, sum = 0;
        for (int i = 0; i < size; ++i)
            largest = std::max(largest, double(f[i]) * g[j]);
        for (int i = 0; i < size; ++i) {
            const double e = std::exp(double(f[i]) * g[j] - largest);
            normaliser += e;
            sum += e * h[i];
        }
        worst = std::max(worst, std::abs(out[j] - sum / normaliser));
    }
    EXPECT_LE(worst, 1e-5);
}

} // namespace
} // namespace opencv_test
