// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "losses.hpp"

#include <torch/fft.h>

#include <stdexcept>

namespace cv {
namespace desmooth {
namespace training {

torch::Tensor adversarialLoss(const torch::Tensor& logits, bool real)
{
    return torch::binary_cross_entropy_with_logits(logits, real ? torch::ones_like(logits)
                                                                : torch::zeros_like(logits));
}

GanLoss parseGanLoss(const std::string& name)
{
    if (name == "bce") return GanLoss::Bce;
    if (name == "hinge") return GanLoss::Hinge;
    if (name == "relativistic") return GanLoss::Relativistic;
    throw std::invalid_argument("GAN loss '" + name + "': use bce, hinge or relativistic");
}

std::string ganLossName(GanLoss loss)
{
    switch (loss) {
    case GanLoss::Hinge:
        return "hinge";
    case GanLoss::Relativistic:
        return "relativistic";
    default:
        return "bce";
    }
}

torch::Tensor discriminatorLoss(GanLoss loss, const torch::Tensor& real, const torch::Tensor& fake)
{
    switch (loss) {
    case GanLoss::Hinge:
        return 0.5 * (torch::relu(1 - real).mean() + torch::relu(1 + fake).mean());
    case GanLoss::Relativistic:
        return 0.5 * (adversarialLoss(real - fake.mean(), true) + adversarialLoss(fake - real.mean(), false));
    default:
        return 0.5 * (adversarialLoss(real, true) + adversarialLoss(fake, false));
    }
}

torch::Tensor generatorAdversarialLoss(GanLoss loss, const torch::Tensor& realLogits,
                                       const torch::Tensor& fake)
{
    switch (loss) {
    case GanLoss::Hinge:
        return -fake.mean();
    case GanLoss::Relativistic: {
        const torch::Tensor real = realLogits.detach();
        return 0.5 * (adversarialLoss(real - fake.mean(), false) + adversarialLoss(fake - real.mean(), true));
    }
    default:
        return adversarialLoss(fake, true);
    }
}

torch::Tensor pixelLoss(const torch::Tensor& recovered, const torch::Tensor& photo)
{
    return torch::l1_loss(recovered, photo);
}

torch::Tensor frequencyLoss(const torch::Tensor& recovered, const torch::Tensor& photo)
{
    const torch::Tensor spectrum = torch::fft::rfft2(recovered - photo, c10::nullopt, {-2, -1}, "ortho");
    return torch::view_as_real(spectrum).abs().mean();
}

torch::Tensor highFrequencyEnergy(const torch::Tensor& images, int64_t tile)
{
    TORCH_CHECK(images.dim() == 4 && tile >= 1 && images.size(2) >= tile && images.size(3) >= tile,
                "highFrequencyEnergy: N x C x H x W images of at least tile x tile pixels");
    namespace F = torch::nn::functional;
    const torch::Tensor padded = F::pad(images, F::PadFuncOptions({1, 1, 1, 1}).mode(torch::kReplicate));
    const torch::Tensor local = F::avg_pool2d(padded, F::AvgPool2dFuncOptions(3).stride(1));
    const torch::Tensor magnitude = ((images - local).square() + 1e-6).sqrt();
    return F::avg_pool2d(magnitude, F::AvgPool2dFuncOptions(tile).stride(tile));
}

torch::Tensor detailEnergyLoss(const torch::Tensor& recovered, const torch::Tensor& photo, int64_t tile)
{
    return torch::l1_loss(highFrequencyEnergy(recovered, tile), highFrequencyEnergy(photo, tile));
}

} // namespace training
} // namespace desmooth
} // namespace cv
