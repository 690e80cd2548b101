// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "../precomp.hpp"

#include "full_attention_layer.hpp"

#include "cuda_dispatch.hpp"
#ifdef DESMOOTH_HAVE_CUDA
#include "desmooth_cuda.hpp"
#endif

#include <opencv2/core/hal/hal.hpp>

namespace cv {
namespace desmooth {

namespace {

const int kKeyChunk = 1024; // keys per vectorised block: the logits and their exponentials stay in L1

double sigmoid(double x)
{
    return 1.0 / (1.0 + std::exp(-x));
}

} // namespace

void fullAttentionSpatial(const float* f, const float* g, const float* h, int size, float* out)
{
    float fMin = f[0], fMax = f[0];
    for (int i = 1; i < size; ++i) {
        fMin = std::min(fMin, f[i]);
        fMax = std::max(fMax, f[i]);
    }
    parallel_for_(Range(0, size), [&](const Range& r) {
        float logits[kKeyChunk], weights[kKeyChunk];
        for (int j = r.start; j < r.end; ++j) {
            const float query = g[j];
            const float largest =
                query >= 0 ? query * fMax : query * fMin; // the softmax's max, known up front
            double normaliser = 0, weighted = 0;
            for (int begin = 0; begin < size; begin += kKeyChunk) {
                const int count = std::min(kKeyChunk, size - begin);
                for (int i = 0; i < count; ++i)
                    logits[i] = f[begin + i] * query - largest;
                hal::exp32f(logits, weights, count);
                float chunkNormaliser = 0, chunkWeighted = 0;
                for (int i = 0; i < count; ++i) {
                    chunkNormaliser += weights[i];
                    chunkWeighted += weights[i] * h[begin + i];
                }
                normaliser += chunkNormaliser;
                weighted += chunkWeighted;
            }
            out[j] = float(weighted / normaliser);
        }
    });
}

FullAttentionLayer::FullAttentionLayer(const dnn::LayerParams& params)
    : Layer(params), useCuda_(params.get<bool>("use_cuda", false))
{
    CV_CheckEQ(blobs.size(), size_t(4), "DesmoothFullAttention needs the MLP's W1, b1, W2, b2 as blobs");
    const int hidden = blobs[0].rows, channels = blobs[0].cols;
    if (blobs[1].total() != size_t(hidden) || blobs[2].rows != channels || blobs[2].cols != hidden ||
        blobs[3].total() != size_t(channels))
        CV_Error(Error::StsBadSize,
                 "DesmoothFullAttention: MLP blobs must be hidden x C, hidden, C x hidden, C");
    for (const Mat& blob : blobs)
        CV_CheckTypeEQ(blob.type(), CV_32F, "DesmoothFullAttention: float32 blobs");
}

bool FullAttentionLayer::getMemoryShapes(const std::vector<dnn::MatShape>& inputs, int,
                                         std::vector<dnn::MatShape>& outputs,
                                         std::vector<dnn::MatShape>&) const
{
    CV_CheckEQ(inputs.size(), size_t(2), "DesmoothFullAttention takes the features and the stacked f, g, h");
    const dnn::MatShape& y = inputs[0];
    const dnn::MatShape& fgh = inputs[1];
    CV_CheckEQ(y.size(), size_t(4), "DesmoothFullAttention: features must be N x C x H x W");
    if (y[1] != blobs[0].cols)
        CV_Error(Error::StsBadSize, "DesmoothFullAttention: channels differ from the MLP's");
    if (fgh.size() != 4 || fgh[0] != y[0] || fgh[1] != 3 || fgh[2] != y[2] || fgh[3] != y[3])
        CV_Error(Error::StsBadSize, "DesmoothFullAttention: f, g, h must be N x 3 x H x W");
    outputs.assign(1, y);
    return false;
}

void FullAttentionLayer::forward(InputArrayOfArrays inputsArray, OutputArrayOfArrays outputsArray,
                                 OutputArrayOfArrays)
{
    std::vector<Mat> inputs, outputs;
    inputsArray.getMatVector(inputs);
    outputsArray.getMatVector(outputs);
    const Mat& y = inputs[0];
    CV_CheckTypeEQ(y.type(), CV_32F, "DesmoothFullAttention runs in float32");
    const int batch = y.size[0], channels = y.size[1], size = y.size[2] * y.size[3];
    const Mat &w1 = blobs[0], &b1 = blobs[1], &w2 = blobs[2], &b2 = blobs[3];
    const int hidden = w1.rows;
    std::vector<float> spatial(size);
    for (int n = 0; n < batch; ++n) {
        const float* fgh = inputs[1].ptr<float>(n);
#ifdef DESMOOTH_HAVE_CUDA
        if (useCudaKernels(useCuda_))
            desmooth_cuda::fullAttentionSpatial(fgh, fgh + size, fgh + 2 * size, size, spatial.data());
        else
#else
        useCudaKernels(useCuda_);
#endif
            fullAttentionSpatial(fgh, fgh + size, fgh + 2 * size, size, spatial.data());

        // Channel relation on y' = y + y_sr: global max and mean per channel, one shared MLP, sigmoid.
        const float* in = y.ptr<float>(n);
        std::vector<double> maxPool(channels), avgPool(channels);
        parallel_for_(Range(0, channels), [&](const Range& r) {
            for (int c = r.start; c < r.end; ++c) {
                const float* plane = in + size_t(c) * size;
                double largest = -std::numeric_limits<double>::infinity(), sum = 0;
                for (int i = 0; i < size; ++i) {
                    const double value = double(plane[i]) + spatial[i];
                    largest = std::max(largest, value);
                    sum += value;
                }
                maxPool[c] = largest;
                avgPool[c] = sum / size;
            }
        });
        const auto mlp = [&](const std::vector<double>& pooled) {
            std::vector<double> hiddenUnits(hidden), result(channels);
            for (int k = 0; k < hidden; ++k) {
                double sum = b1.at<float>(k);
                for (int c = 0; c < channels; ++c)
                    sum += double(w1.at<float>(k, c)) * pooled[c];
                hiddenUnits[k] = std::max(0.0, sum);
            }
            for (int c = 0; c < channels; ++c) {
                double sum = b2.at<float>(c);
                for (int k = 0; k < hidden; ++k)
                    sum += double(w2.at<float>(c, k)) * hiddenUnits[k];
                result[c] = sigmoid(sum);
            }
            return result;
        };
        const std::vector<double> maxWeight = mlp(maxPool), avgWeight = mlp(avgPool);

        float* out = outputs[0].ptr<float>(n);
        parallel_for_(Range(0, channels), [&](const Range& r) {
            for (int c = r.start; c < r.end; ++c) {
                const float scale = float(maxWeight[c] + avgWeight[c]);
                const float* plane = in + size_t(c) * size;
                float* result = out + size_t(c) * size;
                for (int i = 0; i < size; ++i)
                    result[i] = scale * (plane[i] + spatial[i]) + plane[i];
            }
        });
    }
}

} // namespace desmooth
} // namespace cv
