// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_EVAL_COMPARISON_GRID_HPP
#define DESMOOTH_EVAL_COMPARISON_GRID_HPP

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace cv {
namespace desmooth {
namespace apps {

/** The paper's Fig. 7 layout: top row the smoothed input, each method's recovery and the photo; bottom row
 * each image's per-pixel error against the photo (|difference| averaged over channels, x4, inferno colour
 * map), every tile labelled and scaled to `tileHeight`. */
cv::Mat comparisonGrid(const cv::Mat& smoothed,
                       const std::vector<std::pair<std::string, cv::Mat>>& recoveries, const cv::Mat& photo,
                       int tileHeight = 256);

} // namespace apps
} // namespace desmooth
} // namespace cv

#endif
