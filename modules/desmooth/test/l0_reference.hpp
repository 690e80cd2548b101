// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_TEST_L0_REFERENCE_HPP
#define OPENCV_DESMOOTH_TEST_L0_REFERENCE_HPP

#include <opencv2/core.hpp>

namespace opencv_test {

/** Plain L0 smoothing from Xu et al.'s equations, in double precision with a dense linear solve instead of
FFTs: for small images only. `image` is CV_64FC(n), values 0..1, all channels smoothed together. */
cv::Mat referenceL0Smooth(const cv::Mat& image, double lambda, double kappa, int border);

} // namespace opencv_test

#endif
