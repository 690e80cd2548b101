// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "../precomp.hpp"

#include "full_attention_layer.hpp"

#include "../configuration.hpp"

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

namespace {

const int kTerms = 12; // Taylor terms per bin: remainder <= e/12! < 6e-9 relative, far below float precision
const int kQueryBlock = 8; // queries evaluated together: independent Horner chains the compiler vectorises

AttentionAlgorithm parseAlgorithm(const String& name)
{
    if (name == "auto") return AttentionAlgorithm::Auto;
    if (name == "exact") return AttentionAlgorithm::Exact;
    if (name == "expansion") return AttentionAlgorithm::Expansion;
    CV_Error(Error::StsBadArg,
             "DesmoothFullAttention: algorithm must be auto, exact or expansion, not '" + name + "'");
}

} // namespace

namespace {

// The binned Taylor moments of one sample's keys (see fullAttentionSpatialExpansion).
struct AttentionMoments
{
    bool uniform = false; // g == 0: every weight equal, the output is mean(h)
    double uniformValue = 0, fMin = 0, width = 0;
    std::vector<double> weighted, plain; // bin-major, kTerms per bin
    std::vector<int> used;               // occupied bins, ascending
};

// Occupied bins whose evaluation would cost more than the exact sum. Measured (1 thread, sizes 4096 to
// 65536): a query costs 7-10 ns per occupied bin, the exact sum 1-2.5 ns per key, so the expansion wins below
// about size/8 occupied bins.
constexpr int kKeysPerBinAtBreakEven = 8;

// False (unless `force`) where the occupied bins would cost more than the exact sum, or the bins' dense
// moments would take more memory than the keys' own 192 bytes each; always false where the range is absurd.
bool computeAttentionMoments(const float* f, const float* g, const float* h, int size, bool force,
                             AttentionMoments& m)
{
    double fMin = f[0], fMax = f[0], gAbs = 0;
    for (int i = 0; i < size; ++i) {
        fMin = std::min(fMin, double(f[i]));
        fMax = std::max(fMax, double(f[i]));
        gAbs = std::max(gAbs, std::abs(double(g[i])));
    }
    if (gAbs == 0) {
        double mean = 0;
        for (int i = 0; i < size; ++i)
            mean += h[i];
        m.uniform = true;
        m.uniformValue = mean / size;
        return true;
    }
    const double width = 2.0 / gAbs;
    const double binsNeeded = std::max(1.0, std::ceil((fMax - fMin) / width));
    if (binsNeeded > 1e7) return false; // absurd logit ranges: only the exact path is safe
    const int bins = int(binsNeeded);
    if (!force && bins > size) return false; // dense moments would outweigh the keys
    // Only occupied bins cost anything, and wide ranges often leave most empty (the w/o-SFT models' large
    // maps: 634 of 847 occupied for 66560 keys), so the choice counts them.
    std::vector<int> binOf(size);
    std::vector<char> occupied(bins, 0);
    for (int i = 0; i < size; ++i) {
        binOf[i] = std::min(bins - 1, int((double(f[i]) - fMin) / width));
        occupied[binOf[i]] = 1;
    }
    for (int b = 0; b < bins; ++b)
        if (occupied[b]) m.used.push_back(b);
    if (!force && m.used.size() * kKeysPerBinAtBreakEven > size_t(size)) return false;
    m.fMin = fMin;
    m.width = width;
    m.weighted.assign(size_t(bins) * kTerms, 0.0);
    m.plain.assign(size_t(bins) * kTerms, 0.0);
    for (int i = 0; i < size; ++i) {
        const int bin = binOf[i];
        const double offset = double(f[i]) - (fMin + (bin + 0.5) * width);
        double term = 1;
        double* a = m.weighted.data() + size_t(bin) * kTerms;
        double* z = m.plain.data() + size_t(bin) * kTerms;
        for (int n = 0; n < kTerms; ++n) {
            z[n] += term;
            a[n] += term * h[i];
            term *= offset / (n + 1);
        }
    }
    return true;
}

void evaluateAttentionMoments(const AttentionMoments& m, const float* g, int size, float* out)
{
    if (m.uniform) {
        std::fill(out, out + size, float(m.uniformValue));
        return;
    }
    const double lowCentre = m.fMin + (m.used.front() + 0.5) * m.width;
    const double highCentre = m.fMin + (m.used.back() + 0.5) * m.width;
    const int blocks = (size + kQueryBlock - 1) / kQueryBlock;
    parallel_for_(Range(0, blocks), [&](const Range& r) {
        double s[kQueryBlock], top[kQueryBlock], numerator[kQueryBlock], denominator[kQueryBlock];
        double pa[kQueryBlock], pz[kQueryBlock];
        for (int block = r.start; block < r.end; ++block) {
            const int first = block * kQueryBlock, count = std::min(kQueryBlock, size - first);
            for (int q = 0; q < kQueryBlock; ++q) {
                s[q] = q < count ? double(g[first + q]) : 0.0;
                // exp(s f) = exp(s c) exp(s (f - c)); the largest s c is subtracted for stability.
                top[q] = s[q] >= 0 ? s[q] * highCentre : s[q] * lowCentre;
                numerator[q] = denominator[q] = 0;
            }
            for (int b : m.used) {
                const double* a = m.weighted.data() + size_t(b) * kTerms;
                const double* z = m.plain.data() + size_t(b) * kTerms;
                const double centre = m.fMin + (b + 0.5) * m.width;
                for (int q = 0; q < kQueryBlock; ++q) {
                    pa[q] = a[kTerms - 1];
                    pz[q] = z[kTerms - 1];
                }
                for (int n = kTerms - 2; n >= 0; --n)
                    for (int q = 0; q < kQueryBlock; ++q) {
                        pa[q] = pa[q] * s[q] + a[n];
                        pz[q] = pz[q] * s[q] + z[n];
                    }
                for (int q = 0; q < kQueryBlock; ++q) {
                    const double scale = std::exp(s[q] * centre - top[q]);
                    numerator[q] += scale * pa[q];
                    denominator[q] += scale * pz[q];
                }
            }
            for (int q = 0; q < count; ++q)
                out[first + q] = float(numerator[q] / denominator[q]);
        }
    });
}

} // namespace

bool fullAttentionSpatialExpansion(const float* f, const float* g, const float* h, int size, float* out,
                                   bool force)
{
    AttentionMoments moments;
    if (!computeAttentionMoments(f, g, h, size, force, moments)) return false;
    evaluateAttentionMoments(moments, g, size, out);
    return true;
}

FullAttentionLayer::FullAttentionLayer(const dnn::LayerParams& params)
    : Layer(params), useCuda_(params.get<bool>("use_cuda", false)),
      // An explicit layer parameter wins; the configuration parameter only fills in where none is given.
      algorithm_(parseAlgorithm(params.has("algorithm") ? params.get<String>("algorithm")
                                                        : cv::utils::getConfigurationParameterString(
                                                              "DESMOOTH_FA_ALGORITHM", "auto")))
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
        if (!checkRange(Mat(1, 3 * size, CV_32F, const_cast<float*>(fgh)), true))
            CV_Error(Error::StsBadArg, "DesmoothFullAttention: f, g or h contains NaN or Inf");
        const float *f = fgh, *g = fgh + size, *h = fgh + 2 * size;
        const bool cuda = useCudaKernels(useCuda_);
#ifndef DESMOOTH_HAVE_CUDA
        (void)cuda;
#endif
        AttentionMoments moments;
        if (algorithm_ != AttentionAlgorithm::Exact &&
            computeAttentionMoments(f, g, h, size, algorithm_ == AttentionAlgorithm::Expansion, moments)) {
#ifdef DESMOOTH_HAVE_CUDA
            if (cuda && !moments.uniform)
                cv::desmooth::cuda::fullAttentionExpansion(
                    moments.weighted.data(), moments.plain.data(), moments.used.data(),
                    int(moments.used.size()), kTerms, moments.fMin, moments.width, g, size, spatial.data());
            else
#endif
                evaluateAttentionMoments(moments, g, size, spatial.data());
        } else {
#ifdef DESMOOTH_HAVE_CUDA
            if (cuda)
                cv::desmooth::cuda::fullAttentionSpatial(f, g, h, size, spatial.data());
            else
#endif
                fullAttentionSpatial(f, g, h, size, spatial.data());
        }

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
