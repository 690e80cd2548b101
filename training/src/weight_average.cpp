// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "weight_average.hpp"

#include <algorithm>
#include <stdexcept>

namespace cv {
namespace desmooth {
namespace training {

WeightAverage::WeightAverage(torch::nn::Module& network, double decay) : decay_(decay)
{
    if (!(decay >= 0 && decay < 1))
        throw std::invalid_argument("the weight average's decay must be in [0, 1)");
    torch::NoGradGuard noGrad;
    for (const torch::Tensor& p : network.parameters())
        average_.push_back(p.detach().clone());
}

void WeightAverage::update(torch::nn::Module& network, int64_t step)
{
    const double d = std::min(decay_, (1.0 + double(step)) / (10.0 + double(step)));
    torch::NoGradGuard noGrad;
    const std::vector<torch::Tensor> parameters = network.parameters();
    if (parameters.size() != average_.size())
        throw std::logic_error("WeightAverage: the network's parameters changed in number");
    for (size_t i = 0; i < parameters.size(); ++i)
        average_[i].mul_(d).add_(parameters[i].detach(), 1.0 - d);
}

void WeightAverage::swap(torch::nn::Module& network)
{
    torch::NoGradGuard noGrad;
    const std::vector<torch::Tensor> parameters = network.parameters();
    if (parameters.size() != average_.size())
        throw std::logic_error("WeightAverage: the network's parameters changed in number");
    for (size_t i = 0; i < parameters.size(); ++i) {
        const torch::Tensor live = parameters[i].detach().clone();
        parameters[i].detach().copy_(average_[i]);
        average_[i].copy_(live);
    }
}

} // namespace training
} // namespace desmooth
} // namespace cv
