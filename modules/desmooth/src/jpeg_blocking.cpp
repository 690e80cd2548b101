// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "metrics_input.hpp"

#include <algorithm>
#include <array>

namespace cv {
namespace desmooth {

namespace {

const int kBlock = 8;               //!< JPEG's block side
const float kFlatStep = 3.f;        //!< grey levels: the largest step beside a boundary that counts as flat
const double kStepFloor = 0.05;     //!< grey levels added to both means: exactly flat areas give 1, not 0/0
const int kMinFlatBoundaries = 100; //!< per position in the period; fewer: no evidence
const double kBlockingThreshold = 1.5; //!< of jpegBlockingScore(), for showsJpegBlocking()

/** The score along rows of a CV_32F gray image (steps between horizontal neighbours). */
double blockingAlongRows(const Mat& gray)
{
    std::array<double, kBlock> across{}, beside{};
    std::array<int, kBlock> count{};
    const int steps = gray.cols - 1; // step x is |I(x + 1) - I(x)|
    std::vector<float> step(std::max(steps, 0));
    for (int r = 0; r < gray.rows; ++r) {
        const float* row = gray.ptr<float>(r);
        for (int x = 0; x < steps; ++x)
            step[x] = std::abs(row[x + 1] - row[x]);
        for (int x = 2; x + 2 < steps; ++x) {
            const float a = step[x - 2], b = step[x - 1], c = step[x + 1], d = step[x + 2];
            if (std::max(std::max(a, b), std::max(c, d)) > kFlatStep) continue;
            const int phase = x % kBlock;
            across[phase] += step[x];
            beside[phase] += (a + b + c + d) / 4;
            ++count[phase];
        }
    }
    std::array<double, kBlock> ratio{};
    for (int p = 0; p < kBlock; ++p) {
        if (count[p] < kMinFlatBoundaries) return 1.0;
        ratio[p] = (across[p] / count[p] + kStepFloor) / (beside[p] / count[p] + kStepFloor);
    }
    // The grid's boundaries are one position of the period: between columns 7 and 8 of each block where the
    // image is as the decoder wrote it, another where it was cropped since. The strongest position against
    // the largest of the others: about 1 where no position stands out.
    const auto strongest = std::max_element(ratio.begin(), ratio.end());
    double others = 0;
    for (auto it = ratio.begin(); it != ratio.end(); ++it)
        if (it != strongest) others = std::max(others, *it);
    return *strongest / others;
}

} // namespace

double jpegBlockingScore(InputArray image)
{
    const Mat colour = detail::toColour255(image, "jpegBlockingScore: the image");
    Mat gray, transposed;
    if (colour.channels() == 3)
        cvtColor(colour, gray, COLOR_BGR2GRAY);
    else
        gray = colour;
    transpose(gray, transposed);
    return std::min(blockingAlongRows(gray), blockingAlongRows(transposed));
}

bool showsJpegBlocking(InputArray image)
{
    return jpegBlockingScore(image) >= kBlockingThreshold;
}

} // namespace desmooth
} // namespace cv
