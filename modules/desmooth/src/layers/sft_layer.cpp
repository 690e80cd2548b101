// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "../precomp.hpp"

#include "sft_layer.hpp"

#include "cuda_dispatch.hpp"
#ifdef DESMOOTH_HAVE_CUDA
#include "desmooth_cuda.hpp"
#endif

namespace cv {
namespace desmooth {

void sftModulate(const float* x, const float* gammaBeta, int batch, int channels, size_t size, float* y)
{
    parallel_for_(Range(0, batch * channels), [&](const Range& r) {
        for (int plane = r.start; plane < r.end; ++plane) {
            const int n = plane / channels, c = plane % channels;
            const float* in = x + size_t(plane) * size;
            const float* gamma = gammaBeta + (size_t(n) * 2 * channels + c) * size;
            const float* beta = gamma + size_t(channels) * size;
            float* out = y + size_t(plane) * size;
            for (size_t i = 0; i < size; ++i)
                out[i] = gamma[i] * in[i] + beta[i];
        }
    });
}

bool SFTLayer::getMemoryShapes(const std::vector<dnn::MatShape>& inputs, int,
                               std::vector<dnn::MatShape>& outputs, std::vector<dnn::MatShape>&) const
{
    CV_CheckEQ(inputs.size(), size_t(2), "DesmoothSFT takes the features and the stacked gamma/beta");
    CV_CheckEQ(inputs[0].size(), size_t(4), "DesmoothSFT: features must be N x C x H x W");
    const dnn::MatShape& x = inputs[0];
    const dnn::MatShape& gammaBeta = inputs[1];
    if (gammaBeta.size() != 4 || gammaBeta[0] != x[0] || gammaBeta[1] != 2 * x[1] || gammaBeta[2] != x[2] ||
        gammaBeta[3] != x[3])
        CV_Error(Error::StsBadSize,
                 "DesmoothSFT: gamma/beta must be N x 2C x H x W for features N x C x H x W");
    outputs.assign(1, x);
    return false;
}

void SFTLayer::forward(InputArrayOfArrays inputsArray, OutputArrayOfArrays outputsArray, OutputArrayOfArrays)
{
    std::vector<Mat> inputs, outputs;
    inputsArray.getMatVector(inputs);
    outputsArray.getMatVector(outputs);
    const Mat& x = inputs[0];
    CV_CheckTypeEQ(x.type(), CV_32F, "DesmoothSFT runs in float32");
    const size_t size = size_t(x.size[2]) * x.size[3];
#ifdef DESMOOTH_HAVE_CUDA
    if (useCudaKernels(useCuda_)) {
        cv::desmooth::cuda::sftModulate(x.ptr<float>(), inputs[1].ptr<float>(), x.size[0], x.size[1], size,
                                        outputs[0].ptr<float>());
        return;
    }
#else
    useCudaKernels(useCuda_);
#endif
    sftModulate(x.ptr<float>(), inputs[1].ptr<float>(), x.size[0], x.size[1], size, outputs[0].ptr<float>());
}

} // namespace desmooth
} // namespace cv
