// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "perf_precomp.hpp"

namespace opencv_test {
namespace {

typedef TestBaseWithParam<Size> Recover;

// recover() with the bundled model on an L0-smoothed photo.
PERF_TEST_P(Recover, bundledModel, testing::Values(Size(256, 256), szVGA))
{
    if (!cv::desmooth::haveBundledModel()) throw SkipTestException("this build has no bundled model");
    Mat smoothed;
    cv::desmooth::L0Smooth(perfPhoto(GetParam()), smoothed);
    const Ptr<cv::desmooth::DeSmoother> desmoother = cv::desmooth::DeSmoother::create("");
    Mat recovered;
    desmoother->recover(smoothed, recovered); // the first call sets the network up for this size
    declare.in(smoothed).out(recovered);
    TEST_CYCLE() desmoother->recover(smoothed, recovered);
    SANITY_CHECK_NOTHING();
}

} // namespace
} // namespace opencv_test
