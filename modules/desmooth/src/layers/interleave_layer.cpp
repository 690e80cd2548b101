// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "../precomp.hpp"

#include "interleave_layer.hpp"

namespace cv {
namespace desmooth {

bool InterleaveLayer::getMemoryShapes(const std::vector<dnn::MatShape>& inputs, int,
                                      std::vector<dnn::MatShape>& outputs, std::vector<dnn::MatShape>&) const
{
    CV_CheckEQ(inputs.size(), size_t(1), "DesmoothInterleave takes the stacked parity convolutions");
    dnn::MatShape out = inputs[0];
    if (out.size() != 4 || out[1] % 4 != 0 || out[2] < 2 || out[3] < 2)
        CV_Error(Error::StsBadSize, "DesmoothInterleave: input must be N x 4C x (H+1) x (W+1)");
    out[1] /= 4;
    out[2] = 2 * (out[2] - 1);
    out[3] = 2 * (out[3] - 1);
    outputs.assign(1, out);
    return false;
}

void InterleaveLayer::forward(InputArrayOfArrays inputsArray, OutputArrayOfArrays outputsArray,
                              OutputArrayOfArrays)
{
    std::vector<Mat> inputs, outputs;
    inputsArray.getMatVector(inputs);
    outputsArray.getMatVector(outputs);
    const Mat& in = inputs[0];
    const int batch = in.size[0], channels = in.size[1] / 4;
    const int rows = in.size[2] - 1, cols = in.size[3] - 1, inputCols = cols + 1;
    const size_t inputPlane = size_t(rows + 1) * inputCols;
    parallel_for_(Range(0, batch * channels * rows), [&](const Range& r) {
        for (int job = r.start; job < r.end; ++job) {
            const int n = job / (channels * rows), c = (job / rows) % channels, m = job % rows;
            for (int py = 0; py < 2; ++py) {
                float* out = outputs[0].ptr<float>(n, c) + size_t(2 * m + py) * 2 * cols;
                const float* sample = in.ptr<float>(n);
                const size_t row = size_t(m + py) * inputCols;
                const float* even = sample + (size_t(2 * py) * channels + c) * inputPlane + row; // px = 0
                const float* odd =
                    sample + (size_t(2 * py + 1) * channels + c) * inputPlane + row + 1; // px = 1
                for (int x = 0; x < cols; ++x) {
                    out[2 * x] = even[x];
                    out[2 * x + 1] = odd[x];
                }
            }
        }
    });
}

} // namespace desmooth
} // namespace cv
