// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "jpeg_quality_internals.hpp"

#include <array>
#include <map>

namespace cv {
namespace desmooth {
namespace detail {

namespace {

const int kBlock = 8;
//! The luminance quantisation table of the JPEG standard (ITU T.81, Annex K.1), row by row: what libjpeg
//! scales by the quality.
const int kLuminanceTable[kBlock * kBlock] = {
    16, 11, 10, 16, 24,  40,  51,  61,  12, 12, 14, 19, 26,  58,  60,  55, //
    14, 13, 16, 24, 40,  57,  69,  56,  14, 17, 22, 29, 51,  87,  80,  62, //
    18, 22, 37, 56, 68,  109, 103, 77,  24, 35, 55, 64, 81,  104, 113, 92, //
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};
//! The lowest frequencies in zig-zag order (row * 8 + column): the largest steps and the most coefficients
//! off zero.
const std::array<int, 10> kLowFrequencies = {0, 1, 8, 16, 9, 2, 3, 10, 17, 24};
const int kFewestCoefficients = 50;     //!< fewer tell nothing
const double kFlatBlockDeviation = 0.5; //!< a block this flat carries nothing but its mean

//! libjpeg's jpeg_quality_scaling and jpeg_add_quant_table (baseline: steps at most 255).
int quantisationStep(int base, int quality)
{
    const int scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
    return std::min(255, std::max(1, (base * scale + 50) / 100));
}

//! The steps of `quality`'s table at kLowFrequencies.
std::array<int, kLowFrequencies.size()> lowFrequencySteps(int quality)
{
    std::array<int, kLowFrequencies.size()> steps;
    for (size_t k = 0; k < steps.size(); ++k)
        steps[k] = quantisationStep(kLuminanceTable[kLowFrequencies[k]], quality);
    return steps;
}

} // namespace

std::pair<int, int> jpegQualitiesAlike(int quality)
{
    CV_CheckGE(quality, kJpegLowestQuality, "jpegQualitiesAlike: the quality");
    CV_CheckLE(quality, kJpegHighestQuality, "jpegQualitiesAlike: the quality");
    const auto steps = lowFrequencySteps(quality);
    int lowest = quality, highest = quality;
    while (lowest > kJpegLowestQuality && lowFrequencySteps(lowest - 1) == steps)
        --lowest;
    while (highest < kJpegHighestQuality && lowFrequencySteps(highest + 1) == steps)
        ++highest;
    return {lowest, highest};
}

JpegQuantisation jpegQuantisation(const Mat& image)
{
    CV_Assert(image.depth() == CV_8U && (image.channels() == 1 || image.channels() == 3));
    Mat luminance;
    if (image.channels() == 3)
        cvtColor(image, luminance, COLOR_BGR2GRAY); // the encoder's Y weights: 0.299, 0.587, 0.114
    else
        luminance = image;
    Mat levelShifted;
    luminance.convertTo(levelShifted, CV_32F, 1.0, -128.0);
    std::vector<std::array<float, kLowFrequencies.size()>> coefficients; // of the blocks that are not flat
    Mat block, transformed;
    for (int y = 0; y + kBlock <= levelShifted.rows; y += kBlock)
        for (int x = 0; x + kBlock <= levelShifted.cols; x += kBlock) {
            levelShifted(Rect(x, y, kBlock, kBlock)).copyTo(block);
            Scalar mean, deviation;
            meanStdDev(block, mean, deviation);
            if (deviation[0] < kFlatBlockDeviation) continue;
            dct(block, transformed); // orthonormal, as JPEG's forward DCT
            std::array<float, kLowFrequencies.size()> low;
            for (size_t k = 0; k < low.size(); ++k)
                low[k] = transformed.at<float>(kLowFrequencies[k] / kBlock, kLowFrequencies[k] % kBlock);
            coefficients.push_back(low);
        }
    // Many qualities share a step at a frequency: each (frequency, step) is summed once.
    std::map<std::pair<size_t, int>, std::pair<double, int>> sums;
    const auto periodicity = [&](size_t k, int step) {
        auto found = sums.find({k, step});
        if (found != sums.end()) return found->second;
        std::pair<double, int> sum(0.0, 0);
        for (const auto& low : coefficients) {
            // An AC coefficient in the zero bin says nothing: smooth lossless areas put many there too.
            if (k > 0 && std::abs(low[k]) < 0.5 * step) continue;
            sum.first += std::cos(2.0 * CV_PI * low[k] / step);
            ++sum.second;
        }
        return sums[{k, step}] = sum;
    };
    // Qualities whose steps are the same at every low frequency (49 and 50, 50 and 51) score the same: the
    // lowest of them is taken (encodings tell them apart: estimateJpegQuality()).
    JpegQuantisation best;
    for (int quality = kJpegLowestQuality; quality <= kJpegHighestQuality; ++quality) {
        double sum = 0.0;
        int count = 0;
        for (size_t k = 0; k < kLowFrequencies.size(); ++k) {
            const int step = quantisationStep(kLuminanceTable[kLowFrequencies[k]], quality);
            if (step < 2) continue; // every value is a multiple of 1 after the rounding
            const std::pair<double, int> part = periodicity(k, step);
            sum += part.first;
            count += part.second;
        }
        if (count < kFewestCoefficients) {
            best.untold = true;
        } else if (sum / count > best.score) {
            best.score = sum / count;
            best.quality = quality;
        }
    }
    return best;
}

} // namespace detail
} // namespace desmooth
} // namespace cv
