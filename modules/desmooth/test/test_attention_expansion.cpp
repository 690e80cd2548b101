// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "test_precomp.hpp"

#include "layers/full_attention_layer.hpp"

#include <opencv2/dnn/shape_utils.hpp>

namespace opencv_test {
namespace {

using namespace cv;
using namespace cv::desmooth;

struct Inputs
{
    std::vector<float> f, g, h;
};

Inputs randomInputs(int size, double logitScale, uint64 seed, double fScale = 1, double gScale = 1)
{
    RNG rng(seed);
    Inputs in{std::vector<float>(size), std::vector<float>(size), std::vector<float>(size)};
    for (int i = 0; i < size; ++i) {
        in.f[i] = float(rng.gaussian(std::sqrt(logitScale)) * fScale);
        in.g[i] = float(rng.gaussian(std::sqrt(logitScale)) * gScale);
        in.h[i] = float(rng.gaussian(1.0));
    }
    return in;
}

// Max |expansion - exact| divided by the value range of h (1 where h is constant).
double errorAgainstExact(const Inputs& in, bool force = true)
{
    const int size = int(in.f.size());
    std::vector<float> exact(size), fast(size);
    fullAttentionSpatial(in.f.data(), in.g.data(), in.h.data(), size, exact.data());
    EXPECT_TRUE(
        fullAttentionSpatialExpansion(in.f.data(), in.g.data(), in.h.data(), size, fast.data(), force));
    const auto range = std::minmax_element(in.h.begin(), in.h.end());
    const double hRange = *range.second > *range.first ? double(*range.second - *range.first) : 1.0;
    double worst = 0;
    for (int j = 0; j < size; ++j)
        worst = std::max(worst, double(std::abs(fast[j] - exact[j])));
    return worst / hRange;
}

TEST(Desmooth_AttentionExpansion, matches_exact_over_scales_and_sizes)
{
    for (int side : {1, 2, 16, 64, 128})
        for (double logitScale : {0.01, 0.1, 1.0, 5.0, 20.0})
            EXPECT_LE(errorAgainstExact(
                          randomInputs(side * side, logitScale, uint64(side * 100 + logitScale * 10))),
                      1e-5)
                << side << "x" << side << " logit scale " << logitScale;
}

TEST(Desmooth_AttentionExpansion, degenerate_inputs)
{
    const int size = 32 * 32;
    Inputs constantF = randomInputs(size, 1, 1);
    std::fill(constantF.f.begin(), constantF.f.end(), 0.7f);
    EXPECT_LE(errorAgainstExact(constantF), 1e-5) << "constant f";
    Inputs constantG = randomInputs(size, 1, 2);
    std::fill(constantG.g.begin(), constantG.g.end(), -1.3f);
    EXPECT_LE(errorAgainstExact(constantG), 1e-5) << "constant g";
    Inputs zeroG = randomInputs(size, 1, 3);
    std::fill(zeroG.g.begin(), zeroG.g.end(), 0.f);
    EXPECT_LE(errorAgainstExact(zeroG), 1e-5) << "g = 0: uniform weights";
    Inputs equalH = randomInputs(size, 5, 4);
    std::fill(equalH.h.begin(), equalH.h.end(), 2.5f);
    EXPECT_LE(errorAgainstExact(equalH), 1e-5) << "all-equal h";
    EXPECT_LE(errorAgainstExact(randomInputs(size, 1, 5, 1e3, 1e-3)), 1e-5) << "huge f, small g";
    EXPECT_LE(errorAgainstExact(randomInputs(size, 1, 6, 1e-4, 1e-4)), 1e-5) << "tiny logits";
    EXPECT_LE(errorAgainstExact(randomInputs(size, 1, 7, 30, 30)), 1e-5)
        << "logits near 1000: forced expansion";
}

// Where the bins would cost more than the exact sum, the automatic choice declines (the layer then runs
// exact).
TEST(Desmooth_AttentionExpansion, declines_where_exact_is_cheaper)
{
    const Inputs in = randomInputs(16 * 16, 20, 8);
    std::vector<float> out(in.f.size());
    EXPECT_FALSE(
        fullAttentionSpatialExpansion(in.f.data(), in.g.data(), in.h.data(), int(in.f.size()), out.data()));
    const Inputs large = randomInputs(256 * 256, 1, 9);
    std::vector<float> largeOut(large.f.size());
    EXPECT_TRUE(fullAttentionSpatialExpansion(large.f.data(), large.g.data(), large.h.data(),
                                              int(large.f.size()), largeOut.data()));
}

// A wide key range that leaves most bins empty (two tight clusters far apart) costs only its occupied bins:
// the automatic choice takes the expansion, and it stays exact.
TEST(Desmooth_AttentionExpansion, takes_wide_but_sparse_ranges)
{
    const int size = 64 * 64;
    Inputs in = randomInputs(size, 1, 10);
    RNG rng(11);
    for (float& f : in.f)
        f = float((rng.uniform(0, 2) ? 300.0 : -300.0) + rng.gaussian(0.1));
    double gAbs = 0;
    for (float g : in.g)
        gAbs = std::max(gAbs, double(std::abs(g)));
    const double bins = 600.0 / (2.0 / gAbs);
    ASSERT_GT(bins * 8, size) << "the span alone would have declined";
    ASSERT_LT(bins, size);
    EXPECT_LE(errorAgainstExact(in, /*force=*/false), 1e-5);
}

TEST(Desmooth_AttentionExpansion, layer_rejects_nan_and_unknown_algorithm)
{
    RNG rng(10);
    dnn::LayerParams params;
    Mat w1(2, 16, CV_32F), b1(1, 2, CV_32F, Scalar(0)), w2(16, 2, CV_32F), b2(1, 16, CV_32F, Scalar(0));
    rng.fill(w1, RNG::NORMAL, 0, 0.3);
    rng.fill(w2, RNG::NORMAL, 0, 0.3);
    params.blobs = {w1, b1, w2, b2};
    Ptr<dnn::Layer> layer = FullAttentionLayer::create(params);
    const int yShape[4] = {1, 16, 4, 4}, fghShape[4] = {1, 3, 4, 4};
    Mat y(4, yShape, CV_32F, Scalar(0.1)), fgh(4, fghShape, CV_32F, Scalar(0.2)), out(4, yShape, CV_32F);
    fgh.ptr<float>()[5] = std::nanf("");
    std::vector<Mat> inputs{y, fgh}, outputs{out}, internals;
    EXPECT_THROW(layer->forward(inputs, outputs, internals), cv::Exception);
    params.set("algorithm", "quantum");
    EXPECT_THROW(FullAttentionLayer::create(params), cv::Exception);
}

TEST(Desmooth_AttentionExpansion, an_explicit_algorithm_parameter_is_never_overridden_by_the_environment)
{
    dnn::LayerParams params;
    params.blobs = {Mat(2, 4, CV_32F, Scalar(0.1)), Mat(1, 2, CV_32F, Scalar(0)),
                    Mat(4, 2, CV_32F, Scalar(0.1)), Mat(1, 4, CV_32F, Scalar(0))};
    ::setenv("DESMOOTH_FA_ALGORITHM", "quantum", 1); // not an algorithm: used, it would throw
    EXPECT_THROW(FullAttentionLayer::create(params), cv::Exception)
        << "without the parameter, the environment";
    params.set("algorithm", "exact");
    EXPECT_NO_THROW(FullAttentionLayer::create(params)) << "the explicit parameter wins";
    ::unsetenv("DESMOOTH_FA_ALGORITHM");
    params.erase("algorithm");
    EXPECT_NO_THROW(FullAttentionLayer::create(params));
}

} // namespace
} // namespace opencv_test
