// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_TRAINING_LOSSES_HPP
#define DESMOOTH_TRAINING_LOSSES_HPP

#include <torch/torch.h>

#include <string>

namespace cv {
namespace desmooth {
namespace training {

/** Paper Eq. 8 as pix2pix trains it: binary cross-entropy on the PatchGAN's logits against an all-real or
all-fake target (the generator minimises -log D(G(x)), the non-saturating form). */
torch::Tensor adversarialLoss(const torch::Tensor& logits, bool real);

//! The adversarial game's form (docs/design.md): pix2pix's BCE, the hinge loss, or ESRGAN's relativistic
//! average.
enum class GanLoss
{
    Bce,
    Hinge,
    Relativistic
};

//! "bce", "hinge" or "relativistic" (std::invalid_argument otherwise), and back.
GanLoss parseGanLoss(const std::string& name);
std::string ganLossName(GanLoss loss);

/** The discriminator's loss on its logits for real and recovered pairs: BCE (1 / 0 targets), hinge (mean
relu(1 - real) + relu(1 + fake)) or relativistic average (BCE of real - mean(fake) against 1 and of fake -
mean(real) against 0); each halved, so that BCE's is pix2pix's (real + fake) / 2. */
torch::Tensor discriminatorLoss(GanLoss loss, const torch::Tensor& realLogits,
                                const torch::Tensor& fakeLogits);

/** The generator's adversarial loss: BCE's non-saturating -log D(G(x)), hinge's -mean(fake), or the
relativistic average's mirror of D's loss (real logits enter as constants: they do not depend on G; only this
form reads them, the others accept an undefined tensor). */
torch::Tensor generatorAdversarialLoss(GanLoss loss, const torch::Tensor& realLogits,
                                       const torch::Tensor& fakeLogits);

/** pix2pix's pixel loss, used in place of the perceptual loss when no VGG-19 weights are given: mean |a - b|.
 */
torch::Tensor pixelLoss(const torch::Tensor& recovered, const torch::Tensor& photo);

/** The content loss in the frequency domain: mean |re| + |im| of the 2-D real FFT of recovered - photo per
channel, orthonormal (a white error has the same size in both domains). Every frequency counts alike, where
the pixel loss lets the few large low-frequency errors outweigh the many small high-frequency ones (the detail
a smoother removes); re and im apart keep the gradient defined where the error is 0. */
torch::Tensor frequencyLoss(const torch::Tensor& recovered, const torch::Tensor& photo);

/** Local high-frequency energy of N x C x H x W images: the mean magnitude of x - box3x3(x) (borders
replicated) over tiles of `tile` x `tile` pixels, per channel (N x C x H/tile x W/tile; a partial tile at the
right or bottom edge is left out). The magnitude is smoothed, sqrt(d^2 + 1e-6), so that a flat region still
has a gradient towards texture. */
torch::Tensor highFrequencyEnergy(const torch::Tensor& images, int64_t tile = 8);

/** The detail end's texture term: mean |highFrequencyEnergy(recovered) - highFrequencyEnergy(photo)|. It asks
for as much fine detail as the photo has in each tile without asking where its edges lie, which a pixel loss
does (and so prefers the mean of all plausible textures: none). */
torch::Tensor detailEnergyLoss(const torch::Tensor& recovered, const torch::Tensor& photo, int64_t tile = 8);

} // namespace training
} // namespace desmooth
} // namespace cv

#endif
