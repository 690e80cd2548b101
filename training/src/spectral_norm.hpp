// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_TRAINING_SPECTRAL_NORM_HPP
#define DESMOOTH_TRAINING_SPECTRAL_NORM_HPP

#include <torch/torch.h>

namespace cv {
namespace desmooth {
namespace training {

/** Spectral normalisation (Miyato et al. 2018), as PyTorch's torch.nn.utils.spectral_norm, which LibTorch
lacks.

Holds the unnormalised weight and the power-iteration vectors u, v. In training mode each call runs one power
iteration (u, v updated without gradient) and returns W / sigma with sigma = u^T W v kept in the autograd
graph; in eval mode it uses the stored u, v. `dim` is the output axis of the weight: 0 for a convolution [out,
in, k, k], 1 for a transposed convolution [in, out, k, k]. */
class SpectralNorm
{
public:
    SpectralNorm() = default;
    SpectralNorm(torch::nn::Module& owner, const torch::Tensor& weight, int64_t dim);

    //! The normalised weight for this forward pass.
    torch::Tensor normalised(bool training);
    //! sigma with the current u, v (no update).
    torch::Tensor sigma() const;
    //! The weight as the matrix whose largest singular value is sigma: [out, everything else].
    torch::Tensor matrix() const;

    torch::Tensor weight, u, v;
    int64_t dim = 0;
};

/** While one exists, training-mode calls on this thread run no power iteration: they use the stored u, v.
A step over several micro-batches runs the generator once per micro-batch; the iteration belongs to the step
(as on each rank of a data-parallel run, which runs the generator once), so the later micro-batches pause it.
*/
class PowerIterationPause
{
public:
    PowerIterationPause();
    ~PowerIterationPause();
    PowerIterationPause(const PowerIterationPause&) = delete;
    PowerIterationPause& operator=(const PowerIterationPause&) = delete;

private:
    bool previous_;
};

//! Conv2d whose weight is spectrally normalised.
struct SNConv2dImpl : torch::nn::Module
{
    SNConv2dImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding, bool bias = true);
    torch::Tensor forward(const torch::Tensor& x);
    //! The plain weight the module computes with in eval mode (for export).
    torch::Tensor effectiveWeight() const;

    SpectralNorm norm;
    torch::Tensor bias;
    int64_t stride, padding;
};
TORCH_MODULE(SNConv2d);

//! ConvTranspose2d (weight [in, out, k, k]) whose weight is spectrally normalised along its output axis.
struct SNConvTranspose2dImpl : torch::nn::Module
{
    SNConvTranspose2dImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding,
                          bool bias = true);
    torch::Tensor forward(const torch::Tensor& x);
    torch::Tensor effectiveWeight() const;

    SpectralNorm norm;
    torch::Tensor bias;
    int64_t stride, padding;
};
TORCH_MODULE(SNConvTranspose2d);

} // namespace training
} // namespace desmooth
} // namespace cv

#endif
