// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_TRAINING_GAN_STEP_HPP
#define DESMOOTH_TRAINING_GAN_STEP_HPP

#include "discriminator.hpp"
#include "generator.hpp"
#include "losses.hpp"
#include "vgg_perceptual_loss.hpp"

#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include <torch/torch.h>

namespace cv {
namespace desmooth {
namespace training {

//! The losses of one step, for the progress line and the CSV log.
struct StepLosses
{
    double discriminator = 0; //!< discriminatorLoss (BCE: (BCE(D(real), 1) + BCE(D(fake), 0)) / 2)
    double adversarial = 0;   //!< generatorAdversarialLoss (BCE: BCE(D(fake), 1))
    double content = 0;       //!< the perceptual (or, without VGG-19 weights, pixel) loss, before its weight
    double featureMatching = 0; //!< pix2pixHD's feature-matching loss, before its weight (0 when off)
    double detailEnergy = 0;    //!< detailEnergyLoss, before its weight (0 when off)
    double frequency = 0;       //!< frequencyLoss, before its weight (0 when off)
};

//! One micro-batch: {smoothed, photo}, each N x 3 x H x W RGB in [-1, 1].
using Batch = std::pair<torch::Tensor, torch::Tensor>;

/** How a step combines its gradients over the ranks of a data-parallel run, once per network after the
backward passes of all micro-batches: their sum over every rank (DataParallel::sumGradients). */
using GradientReduction = std::function<void(torch::nn::Module& network)>;

/** One pix2pix/DeSmoothGAN optimisation step: D on real and fake pairs (conditioned on the smoothed input),
then G on adversarial + weight x content loss. Adam, lr 2e-4, betas (0.5, 0.999), as the paper (and pix2pix).
*/
class GanStep
{
public:
    GanStep(Generator generator, Discriminator discriminator, double contentWeight = 100,
            double learningRate = 2e-4, double beta1 = 0.5);

    //! smoothed, photo: N x 3 x H x W RGB in [-1, 1].
    StepLosses step(const torch::Tensor& smoothed, const torch::Tensor& photo);

    /** One step over several micro-batches (this rank's share of the step's crops): the gradients of every
    micro-batch are accumulated, `reduce` sums them over the `ranks` (none: one process), and the sum is
    scaled by 1 / (micro-batches x ranks), so the update follows the mean loss over all the step's crops.
    BatchNorm normalises each micro-batch by its own statistics, as each rank of a data-parallel run does: one
    process with K micro-batches computes exactly what K ranks with one each do. Returns this rank's mean
    losses. */
    StepLosses step(const std::vector<Batch>& microBatches, int ranks = 1,
                    const GradientReduction& reduce = {});

    //! Both optimisers' rate from now on (see scheduledLearningRate).
    void setLearningRate(double learningRate);

    Generator generator;
    Discriminator discriminator;
    torch::optim::Adam generatorOptimiser, discriminatorOptimiser;
    double contentWeight;
    /** pix2pixHD's feature-matching loss: mean |D_k(real) - D_k(recovered)| over D's hidden layers, summed;
    it steadies the adversarial game and rewards texture statistics that match the photo's. 0: off. */
    double featureMatchingWeight = 0;
    /** Weight of detailEnergyLoss (losses.hpp): the photo's amount of fine detail per tile, wherever it lies.
    0: off. */
    double detailEnergyWeight = 0;
    //! Weight of frequencyLoss (losses.hpp), beside the content loss. 0: off.
    double frequencyWeight = 0;
    /** Weight of the adversarial loss in G's objective. 0: a fidelity-only step (content loss alone) that
    skips the discriminator altogether, as restoration networks are pre-trained (ESRGAN's PSNR-oriented
    model). */
    double adversarialWeight = 1;
    GanLoss ganLoss = GanLoss::Bce;                //!< the adversarial game's form (losses.hpp)
    std::shared_ptr<VggPerceptualLoss> perceptual; //!< null: L1
};

} // namespace training
} // namespace desmooth
} // namespace cv

#endif
