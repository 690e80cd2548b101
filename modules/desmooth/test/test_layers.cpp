// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "test_precomp.hpp"

#include "generator_reference.hpp"
#include "layers/full_attention_layer.hpp"
#include "layers/sft_layer.hpp"

#include <opencv2/dnn.hpp>
#include <opencv2/dnn/shape_utils.hpp>

#include <thread>

namespace opencv_test {
namespace {

using namespace cv;

Mat randomBlob(const std::vector<int>& shape, RNG& rng, double scale)
{
    Mat blob(int(shape.size()), shape.data(), CV_32F);
    rng.fill(blob, RNG::NORMAL, 0, scale);
    return blob;
}

Mat runLayer(const Ptr<dnn::Layer>& layer, const std::vector<Mat>& inputs)
{
    std::vector<dnn::MatShape> inputShapes, outputShapes, internals;
    for (const Mat& input : inputs)
        inputShapes.push_back(dnn::shape(input));
    layer->getMemoryShapes(inputShapes, 1, outputShapes, internals);
    std::vector<Mat> outputs{Mat(outputShapes[0], CV_32F)}, scratch;
    std::vector<Mat> in = inputs;
    layer->forward(in, outputs, scratch);
    return outputs[0];
}

std::vector<double> plane(const Mat& blob, int n, int c)
{
    const int size = blob.size[2] * blob.size[3];
    const float* p = blob.ptr<float>(n, c);
    return std::vector<double>(p, p + size);
}

// Max |a - b| relative to max(1, max |b|).
double relativeError(const std::vector<double>& actual, const std::vector<double>& expected)
{
    double worst = 0, scale = 1;
    for (double e : expected)
        scale = std::max(scale, std::abs(e));
    for (size_t i = 0; i < actual.size(); ++i)
        worst = std::max(worst, std::abs(actual[i] - expected[i]));
    return worst / scale;
}

TEST(Desmooth_Layers, sft_matches_reference)
{
    RNG rng(1);
    for (const std::vector<int>& shape : {std::vector<int>{1, 3, 5, 7}, {2, 16, 8, 8}, {1, 32, 33, 17}}) {
        const Mat x = randomBlob(shape, rng, 1.0);
        const Mat gammaBeta = randomBlob({shape[0], 2 * shape[1], shape[2], shape[3]}, rng, 1.0);
        dnn::LayerParams params;
        const Mat y = runLayer(desmooth::SFTLayer::create(params), {x, gammaBeta});
        for (int n = 0; n < shape[0]; ++n)
            for (int c = 0; c < shape[1]; ++c) {
                const std::vector<double> in = plane(x, n, c), gamma = plane(gammaBeta, n, c),
                                          beta = plane(gammaBeta, n, shape[1] + c);
                std::vector<double> expected(in.size());
                for (size_t i = 0; i < in.size(); ++i)
                    expected[i] = gamma[i] * in[i] + beta[i];
                EXPECT_LE(relativeError(plane(y, n, c), expected), 1e-6);
            }
    }
}

// The streaming spatial relation against the direct softmax, over sizes and logit scales (scale: the typical
// |f g|).
TEST(Desmooth_Layers, full_attention_spatial_matches_direct_softmax)
{
    RNG rng(2);
    for (int size : {1, 2, 7, 64, 1000, 4096})
        for (double logitScale : {0.01, 1.0, 5.0, 20.0}) {
            std::vector<double> f(size), g(size), h(size);
            std::vector<float> ff(size), gf(size), hf(size), out(size);
            for (int i = 0; i < size; ++i) {
                ff[i] = float(rng.gaussian(std::sqrt(logitScale)));
                gf[i] = float(rng.gaussian(std::sqrt(logitScale)));
                hf[i] = float(rng.gaussian(1.0));
                f[i] = ff[i], g[i] = gf[i], h[i] = hf[i];
            }
            desmooth::fullAttentionSpatial(ff.data(), gf.data(), hf.data(), size, out.data());
            const std::vector<double> expected = referenceAttentionSpatial(f, g, h);
            EXPECT_LE(relativeError(std::vector<double>(out.begin(), out.end()), expected), 1e-5)
                << "size " << size << " logit scale " << logitScale;
        }
}

TEST(Desmooth_Layers, full_attention_layer_matches_reference)
{
    RNG rng(3);
    for (const std::vector<int>& shape :
         {std::vector<int>{1, 8, 1, 1}, {1, 16, 4, 6}, {2, 16, 16, 16}, {1, 32, 32, 32}}) {
        const int channels = shape[1], hidden = std::max(1, channels / 8);
        const Mat y = randomBlob(shape, rng, 1.0);
        const Mat fgh = randomBlob({shape[0], 3, shape[2], shape[3]}, rng, 1.5);
        dnn::LayerParams params;
        params.blobs = {randomBlob({hidden, channels}, rng, 0.3), randomBlob({1, hidden}, rng, 0.1),
                        randomBlob({channels, hidden}, rng, 0.3), randomBlob({1, channels}, rng, 0.1)};
        const Mat z = runLayer(desmooth::FullAttentionLayer::create(params), {y, fgh});
        for (int n = 0; n < shape[0]; ++n) {
            Tensor input(channels, shape[2], shape[3]);
            for (int c = 0; c < channels; ++c) {
                const std::vector<double> p = plane(y, n, c);
                std::copy(p.begin(), p.end(), input.data.begin() + size_t(c) * p.size());
            }
            const Tensor expected =
                referenceFullAttention(input, plane(fgh, n, 0), plane(fgh, n, 1), plane(fgh, n, 2),
                                       params.blobs[0], params.blobs[1], params.blobs[2], params.blobs[3]);
            std::vector<double> actual;
            for (int c = 0; c < channels; ++c) {
                const std::vector<double> p = plane(z, n, c);
                actual.insert(actual.end(), p.begin(), p.end());
            }
            EXPECT_LE(relativeError(actual, expected.data), 1e-5) << dnn::toString(dnn::shape(y));
        }
    }
}

TEST(Desmooth_Layers, full_attention_rejects_mismatched_inputs)
{
    RNG rng(4);
    dnn::LayerParams params;
    params.blobs = {randomBlob({2, 16}, rng, 0.3), randomBlob({1, 2}, rng, 0.1),
                    randomBlob({16, 2}, rng, 0.3), randomBlob({1, 16}, rng, 0.1)};
    Ptr<dnn::Layer> layer = desmooth::FullAttentionLayer::create(params);
    std::vector<dnn::MatShape> outputs, internals;
    EXPECT_THROW(layer->getMemoryShapes({{1, 8, 4, 4}, {1, 3, 4, 4}}, 1, outputs, internals), cv::Exception);
    EXPECT_THROW(layer->getMemoryShapes({{1, 16, 4, 4}, {1, 2, 4, 4}}, 1, outputs, internals), cv::Exception);
    params.blobs.pop_back();
    EXPECT_THROW(desmooth::FullAttentionLayer::create(params), cv::Exception);
}

// Registration is idempotent and safe from several threads at once; the types then exist in OpenCV's factory.
TEST(Desmooth_Layers, register_layers_is_idempotent_and_thread_safe)
{
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([] { desmooth::registerLayers(); });
    for (std::thread& t : threads)
        t.join();
    desmooth::registerLayers();
    dnn::LayerParams params;
    params.type = "DesmoothSFT";
    EXPECT_FALSE(dnn::LayerFactory::createLayerInstance("DesmoothSFT", params).empty());
}

} // namespace
} // namespace opencv_test
