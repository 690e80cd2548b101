// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_TEST_RANDOM_MODEL_HPP
#define OPENCV_DESMOOTH_TEST_RANDOM_MODEL_HPP

#include "tiny_config.hpp"

#include <opencv2/desmooth.hpp>

namespace opencv_test {

/** A model with seeded random weights (Gaussian, scaled by 1/sqrt(fan-in) so activations stay of order one
through the U-Net; small random biases). For tests and benchmarks: an untrained network costs what a trained
one does. */
cv::desmooth::Model randomModel(const cv::desmooth::ModelConfig& config, uint64_t seed);

} // namespace opencv_test

#endif
