// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_TRAINING_RESTORE_GENERATOR_HPP
#define DESMOOTH_TRAINING_RESTORE_GENERATOR_HPP

#include <opencv2/desmooth/model.hpp>
#include <torch/torch.h>

#include <vector>

namespace cv {
namespace desmooth {
namespace training {

/** x + conv2(relu(conv1(x))): EDSR's residual block, without BatchNorm; with `batchNorm` (the ablation that
puts it back) x + norm2(conv2(relu(norm1(conv1(x))))). */
struct ResidualBlockImpl : torch::nn::Module
{
    explicit ResidualBlockImpl(int64_t channels, bool batchNorm = false);
    torch::Tensor forward(const torch::Tensor& x);

    torch::nn::Conv2d conv1, conv2;
    torch::nn::BatchNorm2d norm1{nullptr}, norm2{nullptr}; //!< empty without BatchNorm
};
TORCH_MODULE(ResidualBlock);

/** SFT (paper Eq. 1) with plain convolutions: y = gamma(I) * x + beta(I), I the smoothed input resized to x.
It starts as the identity (gamma's bias 1, small gamma and beta kernels): SFT-GAN's x * (1 + gamma') + beta.
*/
struct PlainSFTImpl : torch::nn::Module
{
    PlainSFTImpl(int64_t channels, int64_t hidden);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& smoothed);

    torch::nn::Conv2d shared, gamma, beta;
};
TORCH_MODULE(PlainSFT);

//! Full attention (paper Eqs. 2-7, as FullAttention) with plain 1x1 projections.
struct PlainFullAttentionImpl : torch::nn::Module
{
    PlainFullAttentionImpl(int64_t channels, int64_t mlpRatio);
    torch::Tensor forward(const torch::Tensor& y);

    torch::nn::Conv2d f, g, h;
    torch::nn::Linear mlp1, mlp2;
};
TORCH_MODULE(PlainFullAttention);

/** The restore generator (ModelConfig's "restore" architecture; docs/design.md): norm-free, a 3x3 head and
tail at full resolution, stride-2 3x3 convolutions down, residual blocks below full resolution, 3x3
convolution then bilinear upsampling up with additive skips, SFT at every decoder level, FA on the coarsest,
global residual. The same function in training and in eval mode, except that eval clamps the output to [-1, 1]
as the exported model does (training leaves it unclamped so that no pixel loses its gradient).
`batchNorm` puts BatchNorm back after every convolution below full resolution (down, residual, up): an
ablation, not the architecture. The export folds each into its convolution, so the model file is the same
plain restore graph. */
struct RestoreGeneratorImpl : torch::nn::Module
{
    explicit RestoreGeneratorImpl(const cv::desmooth::ModelConfig& config, bool batchNorm = false);
    torch::Tensor forward(const torch::Tensor& smoothed);

    cv::desmooth::ModelConfig config;
    torch::nn::Conv2d head{nullptr}, tail{nullptr};
    std::vector<torch::nn::Conv2d> down;                  // level 1 .. depth-1 at index level - 1
    std::vector<torch::nn::BatchNorm2d> downNorm, upNorm; // beside down / up; empty holders without BatchNorm
    std::vector<std::vector<ResidualBlock>> encoderBlocks; // likewise
    std::vector<torch::nn::Conv2d> up;                     // decoder block 0 .. depth-2 (to the next level)
    std::vector<std::vector<ResidualBlock>>
        decoderBlocks;         // decoder block 0 .. depth-1 (full resolution last)
    std::vector<PlainSFT> sft; // decoder block 0 .. depth-1; empty where none
    std::vector<PlainFullAttention> attention;
};
TORCH_MODULE(RestoreGenerator);

} // namespace training
} // namespace desmooth
} // namespace cv

#endif
