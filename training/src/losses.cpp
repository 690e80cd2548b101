// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "losses.hpp"

namespace cv {
namespace desmooth {
namespace training {

torch::Tensor adversarialLoss(const torch::Tensor& logits, bool real)
{
    return torch::binary_cross_entropy_with_logits(logits, real ? torch::ones_like(logits)
                                                                : torch::zeros_like(logits));
}

torch::Tensor pixelLoss(const torch::Tensor& recovered, const torch::Tensor& photo)
{
    return torch::l1_loss(recovered, photo);
}

} // namespace training
} // namespace desmooth
} // namespace cv
