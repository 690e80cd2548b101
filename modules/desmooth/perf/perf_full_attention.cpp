// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "perf_precomp.hpp"

#include "layers/full_attention_layer.hpp"

namespace opencv_test {
namespace {

typedef TestBaseWithParam<int> FullAttentionSpatial;

// f, g, h of one sample with side x side pixels, as the 1x1 convolutions give them (values of order one).
void attentionInputs(int side, std::vector<float>& f, std::vector<float>& g, std::vector<float>& h)
{
    const int size = side * side;
    RNG rng(side);
    for (std::vector<float>* v : {&f, &g, &h}) {
        v->resize(size);
        for (float& x : *v)
            x = rng.uniform(-1.f, 1.f);
    }
}

// The exact streaming sum: O(size^2).
PERF_TEST_P(FullAttentionSpatial, exact, testing::Values(32, 64))
{
    std::vector<float> f, g, h, out(GetParam() * GetParam());
    attentionInputs(GetParam(), f, g, h);
    TEST_CYCLE() cv::desmooth::fullAttentionSpatial(f.data(), g.data(), h.data(), int(f.size()), out.data());
    SANITY_CHECK_NOTHING();
}

// The series expansion, forced: near-linear in size.
PERF_TEST_P(FullAttentionSpatial, expansion, testing::Values(32, 64, 128))
{
    std::vector<float> f, g, h, out(GetParam() * GetParam());
    attentionInputs(GetParam(), f, g, h);
    TEST_CYCLE()
    cv::desmooth::fullAttentionSpatialExpansion(f.data(), g.data(), h.data(), int(f.size()), out.data(),
                                                true);
    SANITY_CHECK_NOTHING();
}

} // namespace
} // namespace opencv_test
