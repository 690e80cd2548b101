// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_TRAINING_LOSSES_HPP
#define DESMOOTH_TRAINING_LOSSES_HPP

#include <torch/torch.h>

namespace cv {
namespace desmooth {
namespace training {

/** Paper Eq. 8 as pix2pix trains it: binary cross-entropy on the PatchGAN's logits against an all-real or
all-fake target (the generator minimises -log D(G(x)), the non-saturating form). */
torch::Tensor adversarialLoss(const torch::Tensor& logits, bool real);

/** pix2pix's pixel loss, used in place of the perceptual loss when no VGG-19 weights are given: mean |a - b|.
 */
torch::Tensor pixelLoss(const torch::Tensor& recovered, const torch::Tensor& photo);

} // namespace training
} // namespace desmooth
} // namespace cv

#endif
