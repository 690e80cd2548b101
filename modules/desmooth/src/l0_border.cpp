// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "metrics_input.hpp"

namespace cv {
namespace desmooth {

namespace {

const int kMinSide = 4;               //!< an edge line, its inner neighbour, and the same at the far side
const double kStepFloor = 0.5;        //!< grey levels added to both means: near-flat borders score about 1
const double kReplicateThreshold = 2; //!< of l0ReplicateBorderScore(), for estimateL0Border()

double meanStep(const Mat& a, const Mat& b)
{
    return cv::norm(a, b, NORM_L1) / double(a.total() * a.channels());
}

} // namespace

double l0ReplicateBorderScore(InputArray smoothed)
{
    const Mat image = detail::toColour255(smoothed, "l0ReplicateBorderScore: the image");
    if (image.rows < kMinSide || image.cols < kMinSide) return 1.0;
    const Mat transposed = image.t();
    double inward = 0, across = 0;
    for (const Mat& lines : {image, transposed}) {
        const int last = lines.rows - 1;
        inward += meanStep(lines.row(0), lines.row(1)) + meanStep(lines.row(last), lines.row(last - 1));
        across += 2 * meanStep(lines.row(0), lines.row(last)); // the wrap, counted as often as the two steps
    }
    return (inward / 4 + kStepFloor) / (across / 4 + kStepFloor);
}

int estimateL0Border(InputArray smoothed)
{
    return l0ReplicateBorderScore(smoothed) >= kReplicateThreshold ? L0_BORDER_REPLICATE : L0_BORDER_CIRCULAR;
}

} // namespace desmooth
} // namespace cv
