// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "perf_precomp.hpp"

#ifdef HAVE_OPENCV_XIMGPROC
#include <opencv2/ximgproc.hpp>
#endif

namespace opencv_test {
namespace {

typedef TestBaseWithParam<Size> L0Smooth;

PERF_TEST_P(L0Smooth, desmooth, testing::Values(szVGA, sz720p))
{
    const Mat src = perfPhoto(GetParam());
    Mat dst(src.size(), src.type());
    declare.in(src).out(dst);
    TEST_CYCLE()
    cv::desmooth::L0Smooth(src, dst, cv::desmooth::L0_DEFAULT_LAMBDA, cv::desmooth::L0_DEFAULT_KAPPA);
    SANITY_CHECK_NOTHING();
}

#ifdef HAVE_OPENCV_XIMGPROC
// The anchor: ximgproc's L0 smoothing on the same inputs.
PERF_TEST_P(L0Smooth, ximgproc, testing::Values(szVGA, sz720p))
{
    const Mat src = perfPhoto(GetParam());
    Mat dst(src.size(), src.type());
    declare.in(src).out(dst);
    TEST_CYCLE()
    cv::ximgproc::l0Smooth(src, dst, cv::desmooth::L0_DEFAULT_LAMBDA, cv::desmooth::L0_DEFAULT_KAPPA);
    SANITY_CHECK_NOTHING();
}
#endif

} // namespace
} // namespace opencv_test
