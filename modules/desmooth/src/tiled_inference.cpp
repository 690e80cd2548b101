// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "tiled_inference.hpp"

#include <algorithm>
#include <cmath>

namespace cv {
namespace desmooth {
namespace detail {

int tileGrid(int multiple, int overlap)
{
    return multiple <= overlap / 4 ? multiple : 1;
}

TileWindows tileWindows(int length, int maxSize, int overlap, int multiple)
{
    CV_Assert(length > 0 && maxSize >= 0 && overlap >= 0 && multiple > 0 && length % multiple == 0);
    if (maxSize == 0) return {length, {0}};
    // Rounding the starts to the grid may move each by up to `grid`: plan for that much more overlap, in
    // windows a multiple of the network's and wider than that.
    const int grid = tileGrid(multiple, overlap), planned = overlap + grid;
    maxSize = std::max(maxSize / multiple, planned / multiple + 1) * multiple;
    if (length <= maxSize) return {length, {0}};
    const int count = int(std::ceil(double(length - planned) / (maxSize - planned)));
    const int size = std::min(
        maxSize,
        int(std::ceil(std::ceil(double(length + (count - 1) * planned) / count) / multiple)) * multiple);
    TileWindows windows{size, {}};
    for (int i = 0; i < count; ++i) {
        const double exact = double(i) * (length - size) / (count - 1);
        windows.starts.push_back(i == count - 1 ? length - size : int(std::lround(exact / grid)) * grid);
    }
    return windows;
}

namespace {

// A tile's weight along one axis: 0 on the outer quarter of an overlap, rising to 1 across its middle half;
// 1 up to the image's own edge.
std::vector<float> axisWeights(int start, int size, int length, int overlap)
{
    std::vector<float> weights(size_t(size), 1.f);
    const double dropped = overlap / 4.0, ramp = overlap / 2.0;
    for (int d = 0; d < size; ++d) {
        // A tiny floor keeps every pixel covered by some weight even where a tile's neighbour is far.
        const auto rise = [&](int distance) {
            return float(std::min(1.0, std::max(1e-4, (distance + 0.5 - dropped) / ramp)));
        };
        if (start > 0) weights[size_t(d)] = std::min(weights[size_t(d)], rise(d));
        if (start + size < length) weights[size_t(d)] = std::min(weights[size_t(d)], rise(size - 1 - d));
    }
    return weights;
}

} // namespace

Mat forwardTiled(const Mat& image, int maxSize, int overlap, int multiple,
                 const std::function<Mat(const Mat&)>& forward)
{
    const TileWindows columns = tileWindows(image.cols, maxSize, overlap, multiple);
    const TileWindows rows = tileWindows(image.rows, maxSize, overlap, multiple);
    if (columns.starts.size() == 1 && rows.starts.size() == 1) return forward(image);

    std::vector<std::vector<float>> columnWeights;
    for (int left : columns.starts)
        columnWeights.push_back(axisWeights(left, columns.size, image.cols, overlap));
    Mat sum(image.size(), CV_32FC3, Scalar::all(0)), weightSum(image.size(), CV_32F, Scalar::all(0));
    for (int top : rows.starts) {
        const std::vector<float> wy = axisWeights(top, rows.size, image.rows, overlap);
        for (size_t column = 0; column < columns.starts.size(); ++column) {
            const std::vector<float>& wx = columnWeights[column];
            const Rect window(columns.starts[column], top, columns.size, rows.size);
            const Mat tile = forward(image(window));
            CV_Assert(tile.type() == CV_32FC3 && tile.size() == window.size());
            Mat tileSum = sum(window), tileWeight = weightSum(window);
            for (int y = 0; y < window.height; ++y) {
                const Vec3f* in = tile.ptr<Vec3f>(y);
                Vec3f* out = tileSum.ptr<Vec3f>(y);
                float* weightOut = tileWeight.ptr<float>(y);
                for (int x = 0; x < window.width; ++x) {
                    const float w = wy[size_t(y)] * wx[size_t(x)];
                    out[x] += in[x] * w;
                    weightOut[x] += w;
                }
            }
        }
    }
    Mat weight3;
    merge(std::vector<Mat>{weightSum, weightSum, weightSum}, weight3);
    Mat blended;
    divide(sum, weight3, blended);
    return blended;
}

} // namespace detail
} // namespace desmooth
} // namespace cv
