// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "generator.hpp"

#include "rank_one_attention.hpp"

#include <stdexcept>

namespace cv {
namespace desmooth {
namespace training {

namespace F = torch::nn::functional;

bool encoderHasNorm(const cv::desmooth::ModelConfig& config, int level)
{
    return level > 0 && level < config.depth - 1;
}

bool decoderHasNorm(const cv::desmooth::ModelConfig& config, int block)
{
    return block < config.depth - 1;
}

SFTImpl::SFTImpl(int64_t channels, int64_t hidden)
    : shared(SNConv2d(3, hidden, 3, 1, 1)), gamma(SNConv2d(hidden, channels, 3, 1, 1)),
      beta(SNConv2d(hidden, channels, 3, 1, 1))
{
    register_module("shared", shared);
    register_module("gamma", gamma);
    register_module("beta", beta);
}

torch::Tensor resizeBilinear(const torch::Tensor& image, const torch::Tensor& like)
{
    return F::interpolate(image, F::InterpolateFuncOptions()
                                     .size(std::vector<int64_t>{like.size(2), like.size(3)})
                                     .mode(torch::kBilinear)
                                     .align_corners(false));
}

torch::Tensor SFTImpl::forward(const torch::Tensor& x, const torch::Tensor& smoothed)
{
    const torch::Tensor hidden = torch::relu(shared(resizeBilinear(smoothed, x)));
    return gamma(hidden) * x + beta(hidden);
}

FullAttentionImpl::FullAttentionImpl(int64_t channels, int64_t mlpRatio)
    : f(SNConv2d(channels, 1, 1, 1, 0)), g(SNConv2d(channels, 1, 1, 1, 0)), h(SNConv2d(channels, 1, 1, 1, 0)),
      mlp1(torch::nn::LinearOptions(channels, std::max<int64_t>(1, channels / mlpRatio))),
      mlp2(torch::nn::LinearOptions(std::max<int64_t>(1, channels / mlpRatio), channels))
{
    register_module("f", f);
    register_module("g", g);
    register_module("h", h);
    register_module("mlp1", mlp1);
    register_module("mlp2", mlp2);
}

torch::Tensor FullAttentionImpl::forward(const torch::Tensor& y)
{
    return fullAttention(y, f(y), g(y), h(y), mlp1, mlp2);
}

torch::Tensor fullAttention(const torch::Tensor& y, const torch::Tensor& f, const torch::Tensor& g,
                            const torch::Tensor& h, torch::nn::Linear& mlp1, torch::nn::Linear& mlp2)
{
    const int64_t n = y.size(0), c = y.size(1), size = y.size(2) * y.size(3);
    const torch::Tensor spatial =
        rankOneAttention(f.reshape({n, size}), g.reshape({n, size}), h.reshape({n, size}))
            .view({n, 1, y.size(2), y.size(3)});
    const torch::Tensor yPrime = y + spatial;
    const auto mlp = [&](const torch::Tensor& pooled) {
        return torch::sigmoid(mlp2(torch::relu(mlp1(pooled)))).view({n, c, 1, 1});
    };
    const torch::Tensor maxPool = std::get<0>(yPrime.view({n, c, size}).max(2));
    const torch::Tensor avgPool = yPrime.view({n, c, size}).mean(2);
    return mlp(maxPool) * yPrime + mlp(avgPool) * yPrime + y;
}

GeneratorImpl::GeneratorImpl(const cv::desmooth::ModelConfig& c, bool restoreBatchNorm) : config(c)
{
    if (c.isRestore()) {
        restore = register_module("restore", RestoreGenerator(c, restoreBatchNorm));
        return;
    }
    if (restoreBatchNorm)
        throw std::invalid_argument("BatchNorm can be put back into the restore architecture only");
    for (int level = 0; level < c.depth; ++level) {
        const int in = level == 0 ? 3 : c.encoderChannels(level - 1), out = c.encoderChannels(level);
        encoder.push_back(register_module("enc" + std::to_string(level),
                                          SNConv2d(in, out, 4, 2, 1, !encoderHasNorm(c, level))));
        encoderNorm.push_back(
            encoderHasNorm(c, level)
                ? register_module("enc" + std::to_string(level) + "_bn", torch::nn::BatchNorm2d(out))
                : torch::nn::BatchNorm2d(nullptr));
    }
    for (int block = 0; block < c.depth; ++block) {
        const std::string name = "dec" + std::to_string(block);
        const int skip = c.encoderChannels(c.depth - 1 - block);
        const int in = block == 0 ? skip : 2 * skip, out = c.decoderChannels(block);
        decoder.push_back(
            register_module(name, SNConvTranspose2d(in, out, 4, 2, 1, !decoderHasNorm(c, block))));
        decoderNorm.push_back(decoderHasNorm(c, block)
                                  ? register_module(name + "_bn", torch::nn::BatchNorm2d(out))
                                  : torch::nn::BatchNorm2d(nullptr));
        sft.push_back(c.hasSFT(block) ? register_module(name + "_sft", SFT(out, c.sftHidden)) : SFT(nullptr));
        attention.push_back(c.hasFA(block) ? register_module(name + "_fa", FullAttention(out, c.mlpRatio))
                                           : FullAttention(nullptr));
    }
}

torch::Tensor GeneratorImpl::forward(const torch::Tensor& smoothed)
{
    if (restore) return restore->forward(smoothed);
    std::vector<torch::Tensor> features;
    torch::Tensor x = smoothed;
    for (int level = 0; level < config.depth; ++level) {
        x = encoder[level](level == 0 ? x : F::leaky_relu(x, F::LeakyReLUFuncOptions().negative_slope(0.2)));
        if (encoderNorm[level]) x = encoderNorm[level](x);
        features.push_back(x);
    }
    for (int block = 0; block < config.depth; ++block) {
        if (block > 0)
            x = torch::cat({features[config.depth - 1 - block], x}, 1); // pix2pix: cat([x, sub(x)])
        x = decoder[block](torch::relu(x));
        if (decoderNorm[block]) x = decoderNorm[block](x);
        if (sft[block]) x = sft[block](x, smoothed);
        if (attention[block]) x = attention[block](x);
    }
    if (config.residual) return torch::clamp(smoothed + torch::tanh(x), -1.0, 1.0);
    return torch::tanh(x);
}

} // namespace training
} // namespace desmooth
} // namespace cv
