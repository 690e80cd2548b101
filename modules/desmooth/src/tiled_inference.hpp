// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_TILED_INFERENCE_HPP
#define OPENCV_DESMOOTH_TILED_INFERENCE_HPP

#include <opencv2/core.hpp>

#include <functional>
#include <vector>

namespace cv {
namespace desmooth {
namespace detail {

//! Pixels two neighbouring tiles share at least: the outer quarter of each side is dropped (the network's
//! border effects), the middle half blends one tile into the next.
constexpr int kTileOverlap = 64;

/** The grid tile windows start on: the network's stride grid (`multiple`, 2^levels) where it is fine next to
 * the overlap, so that a tile's strided layers sample where the whole image's do; 1 for deep networks (a 1/64
 * or 1/256 grid would force windows far larger than the overlap), whose coarsest levels see the whole window
 * anyway. */
CV_EXPORTS int tileGrid(int multiple, int overlap);

/** Windows along one axis of `length` pixels (a multiple of `multiple`): all of `size` <= maxSize pixels (a
 * multiple of `multiple`; maxSize is rounded down to one, and up to the least that fits the overlap),
 * starting on tileGrid(), the last ending at `length`, neighbours sharing at least `overlap` pixels. One
 * window of `length` pixels where length <= maxSize or maxSize is 0. */
struct TileWindows
{
    int size;
    std::vector<int> starts;
};
CV_EXPORTS TileWindows tileWindows(int length, int maxSize, int overlap, int multiple);

/** `forward` (an image of a window's size -> CV_32FC3 of the same size) run on the tiles of `image` and
 * blended into one CV_32FC3 of the image's size: each tile's weight falls from 1 to 0 across the inner half
 * of every overlap and is 0 on its outer quarter (where no neighbour overlaps, 1 to the image's edge). */
CV_EXPORTS Mat forwardTiled(const Mat& image, int maxSize, int overlap, int multiple,
                            const std::function<Mat(const Mat&)>& forward);

} // namespace detail
} // namespace desmooth
} // namespace cv

#endif
