// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_TRAINING_GENERATOR_HPP
#define DESMOOTH_TRAINING_GENERATOR_HPP

#include "restore_generator.hpp"
#include "spectral_norm.hpp"

#include <opencv2/desmooth/model.hpp>
#include <torch/torch.h>

#include <vector>

namespace cv {
namespace desmooth {
namespace training {

//! `image` resized bilinearly (align_corners=False, no antialias) to the spatial size of `like`.
torch::Tensor resizeBilinear(const torch::Tensor& image, const torch::Tensor& like);

/** Full attention's relation (paper Eqs. 2-7) from y and its one-channel projections f(y) (keys), g(y)
(queries), h(y) (values): y' = y + softmax(f g) h; z = sigmoid(MLP(max y')) y' + sigmoid(MLP(avg y')) y' + y.
*/
torch::Tensor fullAttention(const torch::Tensor& y, const torch::Tensor& keys, const torch::Tensor& queries,
                            const torch::Tensor& values, torch::nn::Linear& mlp1, torch::nn::Linear& mlp2);

/** Spatial feature-wise transformation (paper Eq. 1): the smoothed input, resized bilinearly
(align_corners=False, no antialias) to the features' size, through a shared 3x3 conv + ReLU, then 3x3 convs
for gamma and beta: y = gamma * x + beta. */
struct SFTImpl : torch::nn::Module
{
    SFTImpl(int64_t channels, int64_t hidden);
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& smoothed);

    SNConv2d shared, gamma, beta;
};
TORCH_MODULE(SFT);

/** Full attention (paper Eqs. 2-7): 1x1 convs f, g, h to one channel each; y_sr[j] = sum_i softmax_i(f[i]
g[j]) h[i]; y' = y + y_sr; z = sigmoid(MLP(max y')) y' + sigmoid(MLP(avg y')) y' + y with one shared MLP C ->
C/r -> C. */
struct FullAttentionImpl : torch::nn::Module
{
    FullAttentionImpl(int64_t channels, int64_t mlpRatio);
    torch::Tensor forward(const torch::Tensor& y);

    SNConv2d f, g, h;
    torch::nn::Linear mlp1, mlp2;
};
TORCH_MODULE(FullAttention);

/** The generator of a configuration: the restore architecture (RestoreGenerator, held in `restore`) or
the DeSmoothGAN U-Net: pix2pix's U-Net (4x4 stride-2 convs, LeakyReLU 0.2 down, ReLU up, BatchNorm,
skip connections, tanh; no dropout) with SFT and FA after the decoder blocks, every switch of
cv::desmooth::ModelConfig honoured, spectral norm on every convolution. Input and output: N x 3 x H x W RGB in
[-1, 1], H and W multiples of 2^depth. The module's cv::dnn::Net computes the same function from the exported
file. */
struct GeneratorImpl : torch::nn::Module
{
    /** `restoreBatchNorm`: the restore architecture with BatchNorm put back (RestoreGenerator's ablation). */
    explicit GeneratorImpl(const cv::desmooth::ModelConfig& config, bool restoreBatchNorm = false);
    torch::Tensor forward(const torch::Tensor& smoothed);

    cv::desmooth::ModelConfig config;
    std::vector<SNConv2d> encoder; // level 0 .. depth-1
    std::vector<torch::nn::BatchNorm2d>
        encoderNorm;                        // level i at index i; empty holder where a level has none
    std::vector<SNConvTranspose2d> decoder; // block 0 (innermost) .. depth-1
    std::vector<torch::nn::BatchNorm2d> decoderNorm;
    std::vector<SFT> sft; // empty holder where a block has none
    std::vector<FullAttention> attention;
    RestoreGenerator restore{nullptr}; //!< the restore architecture; the U-Net's members are then empty
};
TORCH_MODULE(Generator);

//! Whether encoder level `level` is followed by BatchNorm (pix2pix: all but the first and the innermost).
bool encoderHasNorm(const cv::desmooth::ModelConfig& config, int level);
//! Whether decoder block `block` is followed by BatchNorm (all but the last).
bool decoderHasNorm(const cv::desmooth::ModelConfig& config, int block);

} // namespace training
} // namespace desmooth
} // namespace cv

#endif
