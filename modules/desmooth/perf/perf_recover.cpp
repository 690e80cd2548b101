// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "perf_precomp.hpp"

#include <opencv2/dnn.hpp>

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

typedef TestBaseWithParam<bool> RecoverFullHD;

// recover() with the bundled model at 1920x1080 on the CPU and with the CUDA target (the custom layers'
// kernels; OpenCV's own layers stay on the CPU unless OpenCV has a CUDA backend). Skipped without a usable
// device.
PERF_TEST_P(RecoverFullHD, target, testing::Values(false, true))
{
    if (!cv::desmooth::haveBundledModel()) throw SkipTestException("this build has no bundled model");
    const bool cuda = GetParam();
    if (cuda && !cv::desmooth::haveCUDA())
        throw SkipTestException("no usable CUDA device or no CUDA kernels");
    Mat smoothed;
    cv::desmooth::L0Smooth(perfPhoto(Size(1920, 1080)), smoothed);
    const Ptr<cv::desmooth::DeSmoother> desmoother = cv::desmooth::DeSmoother::create("");
    if (cuda) desmoother->setPreferableTarget(cv::dnn::DNN_TARGET_CUDA);
    Mat recovered;
    desmoother->recover(smoothed, recovered);
    declare.in(smoothed).out(recovered);
    TEST_CYCLE() desmoother->recover(smoothed, recovered);
    SANITY_CHECK_NOTHING();
}

} // namespace
} // namespace opencv_test
