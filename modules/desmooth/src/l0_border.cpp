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
    const char* const what = "l0ReplicateBorderScore: the image";
    const Mat image = smoothed.getMat();
    detail::checkImageInput(image, what);
    if (image.rows < kMinSide || image.cols < kMinSide) return 1.0;
    double inward = 0, across = 0;
    for (const bool rows : {true, false}) {
        // The two outer lines at each side, alone on the 0..255 scale (not a copy of the whole image).
        const auto line = [&](int i) {
            return detail::toColour255(rows ? image.row(i) : image.col(i), what);
        };
        const int last = (rows ? image.rows : image.cols) - 1;
        const Mat first = line(0), lastLine = line(last);
        inward += meanStep(first, line(1)) + meanStep(lastLine, line(last - 1));
        across += 2 * meanStep(first, lastLine); // the wrap, counted as often as the two steps
    }
    return (inward / 4 + kStepFloor) / (across / 4 + kStepFloor);
}

int estimateL0Border(InputArray smoothed)
{
    return l0ReplicateBorderScore(smoothed) >= kReplicateThreshold ? L0_BORDER_REPLICATE : L0_BORDER_CIRCULAR;
}

} // namespace desmooth
} // namespace cv
