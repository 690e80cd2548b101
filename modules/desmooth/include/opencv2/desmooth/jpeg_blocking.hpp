// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_JPEG_BLOCKING_HPP
#define OPENCV_DESMOOTH_JPEG_BLOCKING_HPP

#include <opencv2/core.hpp>

namespace cv {
namespace desmooth {

//! @addtogroup desmooth
//! @{

/** @brief How strongly an image shows the 8x8 block grid that JPEG compression leaves: about 1 without it,
higher with it.

On the gray image (0..255 scale), at every column boundary x|x+1 where the steps two pixels either side are
all small (at most 3 grey levels: flat and gently sloping areas, where blocking shows and texture does not
hide it), the step across it against the mean step beside it; averaged per position in the 8-pixel period, the
ratio of the strongest position to the largest of the other seven (the grid's position is x = 7 mod 8 where the
image is as the decoder wrote it, anchored at the top-left corner; any other where it was cropped since). The
same over rows; the score is the smaller of the two. An image with too few flat boundaries scores 1 (no
evidence). Compressed images that were resized afterwards have lost the 8-pixel period and score about 1.

@param image CV_8U/CV_16U/CV_32F (0..255, 0..65535, 0..1), 1, 3 or 4 channels (alpha ignored).
@return the score, >= 0.
 */
CV_EXPORTS_W double jpegBlockingScore(InputArray image);

/** @brief Whether jpegBlockingScore() finds JPEG's block grid: a score of at least 1.5.

The threshold was chosen on training photos (docs/results.md): it finds most inputs saved at quality 80 or
below and few lossless ones. recover(src, dst, "auto") uses blind recovery on such inputs: its consistency
steps assume the input is exactly what a smoother returned, and amplify compression's errors.
 */
CV_EXPORTS_W bool showsJpegBlocking(InputArray image);

//! @}

} // namespace desmooth
} // namespace cv

#endif
