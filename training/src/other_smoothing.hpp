// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_TRAINING_OTHER_SMOOTHING_HPP
#define DESMOOTH_TRAINING_OTHER_SMOOTHING_HPP

#include <opencv2/core.hpp>

#include <random>
#include <string>
#include <vector>

namespace cv {
namespace desmooth {
namespace training {

/** The kinds otherSmoothing() draws from: smoothing that none of defaultSmootherCandidates() makes, and none
 * of `desmooth_eval --smoother untrained` either (those stay the test of kinds nobody trained on): a box
 * blur, downscaling and upscaling back, OpenCV's adaptive manifold filter, anisotropic diffusion, non-local
 * means, mean-shift filtering and ximgproc's edge-preserving filter. */
const std::vector<std::string>& otherSmoothingKinds();

/** `image` (CV_8UC3) smoothed by a kind of otherSmoothingKinds() at a strength drawn from its span (every
 * parameter log-uniform); returns what was applied, e.g. "box:ksize=5". The smoother classifier learns these
 * as "none of the candidates", so that "auto" recovers them blind rather than enforcing a smoother that was
 * never applied. */
std::string otherSmoothing(const cv::Mat& image, cv::Mat& smoothed, std::mt19937_64& rng);

} // namespace training
} // namespace desmooth
} // namespace cv

#endif
