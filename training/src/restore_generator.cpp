// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "restore_generator.hpp"

#include "generator.hpp"

namespace cv {
namespace desmooth {
namespace training {

namespace F = torch::nn::functional;

namespace {

torch::nn::Conv2d conv(int64_t in, int64_t out, int64_t kernel, int64_t stride = 1)
{
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2));
}

// Shrinks a layer's initial weights: residual branches and corrections then start near zero, so the network
// starts near the identity (EDSR's residual scaling, ESRGAN's 0.1 initialisation).
void shrink(torch::nn::Conv2d& layer, double factor)
{
    torch::NoGradGuard noGrad;
    layer->weight.mul_(factor);
    layer->bias.mul_(factor);
}

} // namespace

ResidualBlockImpl::ResidualBlockImpl(int64_t channels, bool batchNorm)
    : conv1(register_module("conv1", conv(channels, channels, 3))),
      conv2(register_module("conv2", conv(channels, channels, 3)))
{
    shrink(conv2, 0.1);
    if (!batchNorm) return;
    norm1 = register_module("norm1", torch::nn::BatchNorm2d(channels));
    norm2 = register_module("norm2", torch::nn::BatchNorm2d(channels));
    torch::NoGradGuard noGrad;
    norm2->weight.fill_(0.1); // the normalised branch starts small too
}

torch::Tensor ResidualBlockImpl::forward(const torch::Tensor& x)
{
    torch::Tensor y = conv1(x);
    if (norm1) y = norm1(y);
    y = conv2(torch::relu(y));
    if (norm2) y = norm2(y);
    return x + y;
}

PlainSFTImpl::PlainSFTImpl(int64_t channels, int64_t hidden)
    : shared(register_module("shared", conv(3, hidden, 3))),
      gamma(register_module("gamma", conv(hidden, channels, 3))),
      beta(register_module("beta", conv(hidden, channels, 3)))
{
    shrink(gamma, 0.1);
    shrink(beta, 0.1);
    torch::NoGradGuard noGrad;
    gamma->bias.add_(1.0);
}

torch::Tensor PlainSFTImpl::forward(const torch::Tensor& x, const torch::Tensor& smoothed)
{
    const torch::Tensor hidden = torch::relu(shared(resizeBilinear(smoothed, x)));
    return gamma(hidden) * x + beta(hidden);
}

PlainFullAttentionImpl::PlainFullAttentionImpl(int64_t channels, int64_t mlpRatio)
    : f(register_module("f", conv(channels, 1, 1))), g(register_module("g", conv(channels, 1, 1))),
      h(register_module("h", conv(channels, 1, 1))),
      mlp1(register_module("mlp1", torch::nn::Linear(channels, std::max<int64_t>(1, channels / mlpRatio)))),
      mlp2(register_module("mlp2", torch::nn::Linear(std::max<int64_t>(1, channels / mlpRatio), channels)))
{
}

torch::Tensor PlainFullAttentionImpl::forward(const torch::Tensor& y)
{
    return fullAttention(y, f(y), g(y), h(y), mlp1, mlp2);
}

RestoreGeneratorImpl::RestoreGeneratorImpl(const cv::desmooth::ModelConfig& c, bool batchNorm) : config(c)
{
    TORCH_CHECK(c.isRestore(), "RestoreGenerator: the configuration is not the restore architecture");
    head = register_module("head", conv(3, c.encoderChannels(0), 3));
    tail = register_module("tail", conv(c.encoderChannels(0), 3, 3));
    shrink(tail, 0.1);
    for (int level = 1; level < c.depth; ++level) {
        const std::string name = "enc" + std::to_string(level);
        down.push_back(register_module(name + "_down",
                                       conv(c.encoderChannels(level - 1), c.encoderChannels(level), 3, 2)));
        downNorm.push_back(
            batchNorm ? register_module(name + "_down_bn", torch::nn::BatchNorm2d(c.encoderChannels(level)))
                      : torch::nn::BatchNorm2d(nullptr));
        encoderBlocks.emplace_back();
        for (int j = 0; j < c.blocks; ++j)
            encoderBlocks.back().push_back(register_module(
                name + "_res" + std::to_string(j), ResidualBlock(c.encoderChannels(level), batchNorm)));
    }
    for (int block = 0; block < c.depth; ++block) {
        const std::string name = "dec" + std::to_string(block);
        const int level = c.depth - 1 - block, channels = c.encoderChannels(level);
        sft.push_back(c.hasSFT(block) ? register_module(name + "_sft", PlainSFT(channels, c.sftHidden))
                                      : PlainSFT(nullptr));
        attention.push_back(c.hasFA(block)
                                ? register_module(name + "_fa", PlainFullAttention(channels, c.mlpRatio))
                                : PlainFullAttention(nullptr));
        decoderBlocks.emplace_back();
        for (int j = 0; j < (level > 0 ? c.blocks : c.fullResBlocks); ++j)
            decoderBlocks.back().push_back(register_module(name + "_res" + std::to_string(j),
                                                           ResidualBlock(channels, batchNorm && level > 0)));
        if (level == 0) continue;
        up.push_back(register_module(name + "_up", conv(channels, c.encoderChannels(level - 1), 3)));
        upNorm.push_back(
            batchNorm ? register_module(name + "_up_bn", torch::nn::BatchNorm2d(c.encoderChannels(level - 1)))
                      : torch::nn::BatchNorm2d(nullptr));
    }
}

torch::Tensor RestoreGeneratorImpl::forward(const torch::Tensor& smoothed)
{
    std::vector<torch::Tensor> encoder{head(smoothed)};
    for (int level = 1; level < config.depth; ++level) {
        torch::Tensor x = down[level - 1](encoder.back());
        if (downNorm[level - 1]) x = downNorm[level - 1](x);
        for (ResidualBlock& block : encoderBlocks[level - 1])
            x = block(x);
        encoder.push_back(x);
    }
    torch::Tensor x = encoder.back();
    for (int block = 0; block < config.depth; ++block) {
        const int level = config.depth - 1 - block;
        // The module's order: the 3x3 convolution at the coarser level, then bilinear upsampling.
        if (block > 0) {
            torch::Tensor reduced = up[block - 1](x);
            if (upNorm[block - 1]) reduced = upNorm[block - 1](reduced);
            x = resizeBilinear(reduced, encoder[level]) + encoder[level];
        }
        if (sft[block]) x = sft[block](x, smoothed);
        if (attention[block]) x = attention[block](x);
        for (ResidualBlock& residual : decoderBlocks[block])
            x = residual(x);
    }
    const torch::Tensor output = smoothed + tail(x);
    return is_training() ? output : torch::clamp(output, -1.0, 1.0);
}

} // namespace training
} // namespace desmooth
} // namespace cv
