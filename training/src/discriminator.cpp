// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "discriminator.hpp"

namespace cv {
namespace desmooth {
namespace training {

namespace {

torch::nn::Conv2d conv(int64_t in, int64_t out, int64_t stride, bool bias)
{
    return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 4).stride(stride).padding(1).bias(bias));
}

torch::nn::LeakyReLU leaky()
{
    return torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(0.2));
}

} // namespace

DiscriminatorImpl::DiscriminatorImpl(int64_t ndf)
{
    layers->push_back(conv(6, ndf, 2, true));
    layers->push_back(leaky());
    int64_t channels = ndf;
    for (int64_t multiplier : {2, 4, 8}) {
        const int64_t stride =
            multiplier == 8 ? 1 : 2; // the last of the three keeps the resolution: 70x70 patches
        layers->push_back(conv(channels, ndf * multiplier, stride, false));
        layers->push_back(torch::nn::BatchNorm2d(ndf * multiplier));
        layers->push_back(leaky());
        channels = ndf * multiplier;
    }
    layers->push_back(conv(channels, 1, 1, true));
    register_module("layers", layers);
}

torch::Tensor DiscriminatorImpl::forward(const torch::Tensor& smoothed, const torch::Tensor& image)
{
    return layers->forward(torch::cat({smoothed, image}, 1));
}

std::vector<torch::Tensor> DiscriminatorImpl::features(const torch::Tensor& smoothed,
                                                       const torch::Tensor& image)
{
    std::vector<torch::Tensor> outputs;
    torch::Tensor x = torch::cat({smoothed, image}, 1);
    for (auto& layer : *layers) {
        x = layer.forward(x);
        if (layer.ptr()->as<torch::nn::LeakyReLU>()) outputs.push_back(x);
    }
    outputs.push_back(x);
    return outputs;
}

} // namespace training
} // namespace desmooth
} // namespace cv
