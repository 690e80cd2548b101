// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "spectral_norm.hpp"

namespace cv {
namespace desmooth {
namespace training {

namespace {

const double kEpsilon = 1e-12;     // PyTorch's spectral_norm default
const int kInitialIterations = 15; // power iterations at construction

thread_local bool powerIterationPaused = false;

torch::Tensor normalise(const torch::Tensor& x)
{
    return x / (x.norm() + kEpsilon);
}

} // namespace

SpectralNorm::SpectralNorm(torch::nn::Module& owner, const torch::Tensor& initial, int64_t dim) : dim(dim)
{
    weight = owner.register_parameter("weight", initial);
    const torch::Tensor m = matrix().detach();
    u = owner.register_buffer("sn_u", normalise(torch::randn({m.size(0)})));
    v = owner.register_buffer("sn_v", normalise(torch::randn({m.size(1)})));
    // Random u, v make sigma meaningless until they have converged: an untrained network evaluated (or
    // exported) right away would divide by a near-zero sigma. Start from a converged estimate, as PyTorch's
    // newer parametrizations.spectral_norm does (15 iterations).
    for (int i = 0; i < kInitialIterations; ++i)
        normalised(true);
}

torch::Tensor SpectralNorm::matrix() const
{
    const torch::Tensor w = dim == 0 ? weight : weight.transpose(0, dim);
    return w.reshape({w.size(0), -1});
}

torch::Tensor SpectralNorm::sigma() const
{
    return torch::dot(u, torch::mv(matrix(), v));
}

torch::Tensor SpectralNorm::normalised(bool training)
{
    if (training && !powerIterationPaused) {
        torch::NoGradGuard noGrad;
        const torch::Tensor m = matrix();
        v.copy_(normalise(torch::mv(m.t(), u)));
        u.copy_(normalise(torch::mv(m, v)));
    }
    // u and v are constants for autograd; sigma's dependence on W stays in the graph.
    return weight / sigma();
}

PowerIterationPause::PowerIterationPause() : previous_(powerIterationPaused)
{
    powerIterationPaused = true;
}

PowerIterationPause::~PowerIterationPause()
{
    powerIterationPaused = previous_;
}

SNConv2dImpl::SNConv2dImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding,
                           bool withBias)
    : stride(stride), padding(padding)
{
    const torch::nn::Conv2d plain(
        torch::nn::Conv2dOptions(in, out, kernel)); // PyTorch's default initialisation
    norm = SpectralNorm(*this, plain->weight.detach().clone(), 0);
    bias =
        register_parameter("bias", withBias ? plain->bias.detach().clone() : torch::zeros({out}), withBias);
}

torch::Tensor SNConv2dImpl::forward(const torch::Tensor& x)
{
    return torch::nn::functional::conv2d(
        x, norm.normalised(is_training()),
        torch::nn::functional::Conv2dFuncOptions().bias(bias).stride(stride).padding(padding));
}

torch::Tensor SNConv2dImpl::effectiveWeight() const
{
    return norm.weight / norm.sigma();
}

SNConvTranspose2dImpl::SNConvTranspose2dImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride,
                                             int64_t padding, bool withBias)
    : stride(stride), padding(padding)
{
    const torch::nn::ConvTranspose2d plain(torch::nn::ConvTranspose2dOptions(in, out, kernel));
    norm = SpectralNorm(*this, plain->weight.detach().clone(), 1);
    bias =
        register_parameter("bias", withBias ? plain->bias.detach().clone() : torch::zeros({out}), withBias);
}

torch::Tensor SNConvTranspose2dImpl::forward(const torch::Tensor& x)
{
    return torch::nn::functional::conv_transpose2d(
        x, norm.normalised(is_training()),
        torch::nn::functional::ConvTranspose2dFuncOptions().bias(bias).stride(stride).padding(padding));
}

torch::Tensor SNConvTranspose2dImpl::effectiveWeight() const
{
    return norm.weight / norm.sigma();
}

} // namespace training
} // namespace desmooth
} // namespace cv
