// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_SMOOTHER_CLASSIFIER_INTERNALS_HPP
#define OPENCV_DESMOOTH_SMOOTHER_CLASSIFIER_INTERNALS_HPP

#include <opencv2/core.hpp>

namespace cv {
namespace desmooth {
namespace detail {

//! The smallest side smootherClassifierFeatures() reads: its features compare neighbouring pixels. Its
//! callers (estimateSmoother(), "auto") check it first, to say what they do instead.
const int kClassifierMinSide = 2;

inline bool tooSmallToClassify(const Mat& image)
{
    return image.cols < kClassifierMinSide || image.rows < kClassifierMinSide;
}

} // namespace detail
} // namespace desmooth
} // namespace cv

#endif
