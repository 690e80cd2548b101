// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_TRAINING_VGG_PERCEPTUAL_LOSS_HPP
#define DESMOOTH_TRAINING_VGG_PERCEPTUAL_LOSS_HPP

#include <torch/torch.h>

#include <string>

namespace cv {
namespace desmooth {
namespace training {

/** The paper's perceptual loss (Eq. 9): sum of w_i |feat_i(recovered) - feat_i(photo)|_1 over VGG-19's
conv1_2, conv2_2, conv3_4, conv4_4 and conv5_4 (after their ReLUs), w = 1/32, 1/16, 1/8, 1/4, 1.

No Debian package ships ImageNet VGG-19 weights, so they come from a file the user makes with torchvision:
    import torch, torchvision
    features = torchvision.models.vgg19(weights="IMAGENET1K_V1").features.eval()
    torch.jit.script(features).save("vgg19_features.pt")
Only the parameters are taken from that TorchScript file (by name: "0.weight", "0.bias", ..., "34.bias",
checked against torchvision's layout); the network itself is built here and frozen. */
class VggPerceptualLoss
{
public:
    explicit VggPerceptualLoss(const std::string& path);

    //! recovered, photo: N x 3 x H x W RGB in [-1, 1]; ImageNet normalisation is applied here.
    torch::Tensor operator()(const torch::Tensor& recovered, const torch::Tensor& photo);

    void to(const torch::Device& device) { features_->to(device); }

private:
    std::vector<torch::Tensor> taps(const torch::Tensor& image);
    torch::nn::Sequential features_;
};

//! torchvision's VGG-19 `features` layout (Conv2d 3x3 / ReLU / MaxPool2d), parameters named "0.weight" and so
//! on.
torch::nn::Sequential makeVgg19Features();

} // namespace training
} // namespace desmooth
} // namespace cv

#endif
