// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_METRICS_INPUT_HPP
#define OPENCV_DESMOOTH_METRICS_INPUT_HPP

#include <opencv2/core.hpp>

namespace cv {
namespace desmooth {
namespace detail {

/** Throws unless the image is what the metrics and smoothers take: non-empty, CV_8U/CV_16U/CV_32F (finite),
 * 1, 3 or 4 channels; `what` names the image in the messages. */
void checkImageInput(const Mat& image, const char* what);
/** The factor that maps a depth's value range onto 0..255 (8U 0..255, 16U 0..65535, 32F 0..1). */
double scaleTo255(int depth);
/** The factor that maps a depth's value range onto 0..1 (the float range the iterations work on). */
double scaleToUnit(int depth);
/** The metrics' common input: 1 or 3 channels (alpha dropped) of CV_32F on the 0..255 scale; `what` names the
 * image in the error messages. */
Mat toColour255(InputArray image, const char* what);
void checkSameShape(const Mat& a, const Mat& b, const char* what);
/** MSE pooled over all pixels and channels. */
double pooledMse(const Mat& a, const Mat& b);

} // namespace detail
} // namespace desmooth
} // namespace cv

#endif
