// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_TRAINING_DISCRIMINATOR_HPP
#define DESMOOTH_TRAINING_DISCRIMINATOR_HPP

#include <torch/torch.h>

namespace cv {
namespace desmooth {
namespace training {

/** pix2pix's 70x70 PatchGAN, conditioned on the smoothed input: it sees [smoothed, image] (6 channels) and
returns one logit per 70x70 patch. C(ndf) - C(2 ndf) - C(4 ndf) - C(8 ndf, stride 1) - 1 channel (stride 1);
4x4 kernels, padding 1, LeakyReLU 0.2, BatchNorm on all but the first and the last. */
struct DiscriminatorImpl : torch::nn::Module
{
    explicit DiscriminatorImpl(int64_t ndf);
    torch::Tensor forward(const torch::Tensor& smoothed, const torch::Tensor& image);
    /** The logits (last) and, before them, the output of every LeakyReLU: what pix2pixHD's feature-matching
    loss compares between real and recovered images. */
    std::vector<torch::Tensor> features(const torch::Tensor& smoothed, const torch::Tensor& image);

    torch::nn::Sequential layers;
};
TORCH_MODULE(Discriminator);

} // namespace training
} // namespace desmooth
} // namespace cv

#endif
