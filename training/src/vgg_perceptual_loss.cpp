// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "vgg_perceptual_loss.hpp"

#include <torch/script.h>

#include <map>
#include <stdexcept>

namespace cv {
namespace desmooth {
namespace training {

namespace {

// Indices in `features` of the ReLUs after conv1_2, conv2_2, conv3_4, conv4_4, conv5_4, and their weights
// (paper).
const int kTaps[] = {3, 8, 17, 26, 35};
const double kTapWeights[] = {1.0 / 32, 1.0 / 16, 1.0 / 8, 1.0 / 4, 1.0};

} // namespace

torch::nn::Sequential makeVgg19Features()
{
    const int pool = 0; // marks a max-pooling layer in the configuration below
    const int configuration[] = {64,  64,  pool, 128, 128,  pool, 256, 256, 256, 256, pool,
                                 512, 512, 512,  512, pool, 512,  512, 512, 512, pool};
    torch::nn::Sequential features;
    int channels = 3;
    for (int width : configuration) {
        if (width == pool) {
            features->push_back(torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(2).stride(2)));
            continue;
        }
        features->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(channels, width, 3).padding(1)));
        features->push_back(torch::nn::ReLU());
        channels = width;
    }
    return features;
}

VggPerceptualLoss::VggPerceptualLoss(const std::string& path) : features_(makeVgg19Features())
{
    torch::jit::Module scripted;
    try {
        scripted = torch::jit::load(path);
    } catch (const c10::Error& e) {
        throw std::runtime_error("--vgg19: cannot load '" + path +
                                 "' as TorchScript: " + e.what_without_backtrace());
    }
    std::map<std::string, torch::Tensor> given;
    for (const auto& parameter : scripted.named_parameters(true))
        given[parameter.name] = parameter.value;
    torch::NoGradGuard noGrad;
    for (auto& parameter : features_->named_parameters()) {
        const auto found = given.find(parameter.key());
        if (found == given.end())
            throw std::runtime_error("--vgg19: '" + path +
                                     "' is not torchvision's VGG-19 features: no parameter '" +
                                     parameter.key() + "'");
        if (found->second.sizes() != parameter.value().sizes())
            throw std::runtime_error("--vgg19: parameter '" + parameter.key() + "' of '" + path +
                                     "' has the wrong shape for VGG-19");
        parameter.value().copy_(found->second);
        parameter.value().set_requires_grad(false);
    }
    features_->eval();
}

std::vector<torch::Tensor> VggPerceptualLoss::taps(const torch::Tensor& image)
{
    const torch::Tensor mean = torch::tensor({0.485f, 0.456f, 0.406f}, image.options()).view({1, 3, 1, 1});
    const torch::Tensor std = torch::tensor({0.229f, 0.224f, 0.225f}, image.options()).view({1, 3, 1, 1});
    torch::Tensor x = ((image + 1) / 2 - mean) / std;
    std::vector<torch::Tensor> out;
    int index = 0;
    for (torch::nn::AnyModule& layer : *features_) {
        x = layer.forward(x);
        if (index++ == kTaps[out.size()]) out.push_back(x);
        if (out.size() == 5) break; // conv5_4's ReLU is the last tap: the final pooling is not needed
    }
    return out;
}

torch::Tensor VggPerceptualLoss::operator()(const torch::Tensor& recovered, const torch::Tensor& photo)
{
    const std::vector<torch::Tensor> a = taps(recovered);
    std::vector<torch::Tensor> b;
    {
        torch::NoGradGuard noGrad; // the photo's features are constants
        b = taps(photo);
    }
    torch::Tensor loss = torch::zeros({}, recovered.options());
    for (size_t i = 0; i < a.size(); ++i)
        loss = loss + kTapWeights[i] * torch::l1_loss(a[i], b[i]);
    return loss;
}

} // namespace training
} // namespace desmooth
} // namespace cv
