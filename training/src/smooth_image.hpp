// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.
#ifndef DESMOOTH_TRAINING_SMOOTH_IMAGE_HPP
#define DESMOOTH_TRAINING_SMOOTH_IMAGE_HPP

#include <opencv2/core.hpp>

#include <cstdint>

namespace cv {
namespace desmooth {
namespace training {

/** A synthetic image with no texture (8-bit BGR, side x side): per channel a random plane (a level and a
slope of up to 1.5 grey levels a pixel in a random direction) plus a low-frequency field (a 4x4 grid of random
values, bicubically enlarged), quantised to 8 bits. Smoothers leave such an image almost as it is, so as a
training pair (smoothed, itself) it teaches the network to leave smooth areas alone, with no tint and no
pattern. The same seed gives the same image. */
cv::Mat drawSmoothImage(int side, uint64_t seed);

} // namespace training
} // namespace desmooth
} // namespace cv

#endif
