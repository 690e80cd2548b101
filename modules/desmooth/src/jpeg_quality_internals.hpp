// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_JPEG_QUALITY_INTERNALS_HPP
#define OPENCV_DESMOOTH_JPEG_QUALITY_INTERNALS_HPP

#include <opencv2/core.hpp>

#include <utility>

namespace cv {
namespace desmooth {
namespace detail {

// estimateJpegQuality()'s parts, for its tests and its benchmark (which times the search against the whole);
// exported for them (OpenCV's tree hides what a module does not export).

/** estimateJpegQuality(image) > 0, without the encodings where the DCT coefficients already show a quality:
 * for a caller that needs only to know whether the image was saved as JPEG ("auto"). */
bool savedAsJpeg(const Mat& image);

//! The qualities it answers; above 95 most of the tables' steps are 1 or 2.
const int kJpegLowestQuality = 10, kJpegHighestQuality = 95;

/** What estimateJpegQuality() looks at: the top-left crop of at most 256x256 in whole 16-pixel blocks (JPEG's
 * largest, chroma subsampled 2x2: the decoder's grid starts there), without an alpha plane (a JPEG file holds
 * BGR or gray). Empty where the image is smaller than one block. `image` is CV_8U with 1, 3 or 4 channels. */
CV_EXPORTS Mat jpegQualityCrop(const Mat& image);

/** The search on such a crop: every quality lowest - 1..highest + 1 through OpenCV's encoder; the quality
 * lowest..highest of the least change where that change is under a quarter of both neighbouring qualities',
 * else 0 (highest - lowest + 3 encodings: 88 for the whole range). */
CV_EXPORTS int jpegQualitySearch(const Mat& crop, int lowest = kJpegLowestQuality,
                                 int highest = kJpegHighestQuality);

/** How closely the luminance DCT coefficients of an image's 8x8 blocks sit on an IJG quality's steps. */
struct JpegQuantisation
{
    double score = -1; //!< the mean of cos(2 pi c / q) at `quality`, the highest of any quality that tells
    //! where it is highest (the lowest of qualities with the same low-frequency steps); 0 where no quality
    //! has enough coefficients to tell
    int quality = 0;
    bool untold = false; //!< some quality has too few coefficients to tell (flat images)
};

/** How closely the luminance DCT coefficients of an 8-bit BGR or gray image's 8x8 blocks (the grid from its
 * top-left corner) sit on multiples of the steps of each IJG quality's table
 * (kJpegLowestQuality..kJpegHighestQuality): the mean of cos(2 pi c / q) over the lowest coefficients, and
 * the quality where it is highest. Near 1 for a decoded JPEG image at the quality it was saved at (its
 * coefficients were quantised to those steps; the colour conversion's rounding moves them a little), near 0
 * for a lossless one. One DCT per block (1024 on a 256x256 crop) and no encoding. */
CV_EXPORTS JpegQuantisation jpegQuantisation(const Mat& image);

/** The qualities lowest..highest (kJpegLowestQuality..kJpegHighestQuality) whose steps at the frequencies
 * jpegQuantisation() reads are all `quality`'s: it cannot tell them apart (49..51, for one). */
CV_EXPORTS std::pair<int, int> jpegQualitiesAlike(int quality);

/** Below it at every quality that tells (and none untold), jpegQuantisation() says the image was never a
 * decoded IJG JPEG: estimateJpegQuality() answers 0 without encoding (docs/design.md). */
const double kJpegQuantisationThreshold = 0.3;

/** At or above it, jpegQuantisation()'s quality is the answer where the search finds none: above every
 * lossless smoothed input's score on the step-choosing photos (docs/design.md). */
const double kJpegQuantisationFound = 0.6;

} // namespace detail
} // namespace desmooth
} // namespace cv

#endif
