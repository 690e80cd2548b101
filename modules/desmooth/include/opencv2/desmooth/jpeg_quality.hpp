// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_JPEG_QUALITY_HPP
#define OPENCV_DESMOOTH_JPEG_QUALITY_HPP

#include <opencv2/core.hpp>

namespace cv {
namespace desmooth {

//! @addtogroup desmooth
//! @{

/** @brief The quality (10..95) at which an 8-bit image was last saved as JPEG with the IJG tables (libjpeg's,
which OpenCV, Pillow and most tools write), or 0 where it shows none.

Saving a decoded JPEG image again at the quality it was saved with changes it almost nowhere; at any other
quality it changes it far more (the "JPEG ghost"). On the top-left crop of at most 256x256 (whole 16-pixel
blocks, where the decoder's grid starts), qualities are tried through OpenCV's encoder; the answer is the
quality of the least change where that change is under a quarter of both neighbouring qualities'. Before that,
a test without encoding: the luminance DCT coefficients of a decoded image's 8x8 blocks sit on multiples of its
quality's steps. Where they sit on no quality's, the answer is 0 at once (most lossless images); where they sit
closely on one quality's, the qualities within 3 of it are tried first (they find most decoded images');
otherwise, or where those find nothing, every quality 9..96 is. Where the encodings find nothing (often above
quality 90 and on smooth images, where neighbouring qualities' tables differ little) but the coefficients sit
closely on one quality's steps, that quality is the answer; among qualities with the same steps at the lowest
frequencies (49, 50 and 51, for one), the one whose encoding changes the crop least. 0 for lossless images and
for images cropped off the grid or resized after decoding; other encoders' tables are found only where their
steps are close to an IJG quality's.
DeSmoother::recover() with a given smoother uses it to tell how far the input can be from any image the
smoother returns (docs/design.md). Cost: the crop's block DCTs; where they pass the test, encodings and
decodings of the crop: 9 where they show a quality and those find it, else 88 in all (each quality is encoded
at most once) (desmooth_bench_jpeg_quality times the estimate against the 88, docs/benchmarks.md).

@param image CV_8U, 1, 3 or 4 channels (alpha ignored); another depth returns 0 (JPEG files hold 8 bits);
empty is a cv::Exception.
 */
CV_EXPORTS_W int estimateJpegQuality(InputArray image);

//! @}

} // namespace desmooth
} // namespace cv

#endif
