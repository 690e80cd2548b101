// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "gan_step.hpp"

#include "losses.hpp"
#include "spectral_norm.hpp"

#include <optional>

namespace cv {
namespace desmooth {
namespace training {

namespace {

torch::optim::AdamOptions adam(double learningRate, double beta1)
{
    return torch::optim::AdamOptions(learningRate)
        .betas(std::make_tuple(beta1, 0.999)); // pix2pix's 0.5 by default, not dcgan's (0.5, 0.5)
}

} // namespace

GanStep::GanStep(Generator g, Discriminator d, double weight, double learningRate, double beta1)
    : generator(std::move(g)), discriminator(std::move(d)),
      generatorOptimiser(generator->parameters(), adam(learningRate, beta1)),
      discriminatorOptimiser(discriminator->parameters(), adam(learningRate, beta1)), contentWeight(weight)
{
}

StepLosses GanStep::step(const torch::Tensor& smoothed, const torch::Tensor& photo)
{
    return step(std::vector<Batch>{{smoothed, photo}});
}

StepLosses GanStep::step(const std::vector<Batch>& microBatches, int ranks, const GradientReduction& reduce)
{
    TORCH_CHECK(!microBatches.empty() && ranks >= 1, "GanStep::step: no micro-batch");
    generator->train();
    discriminator->train();
    const double scale = 1.0 / double(microBatches.size() * size_t(ranks));
    const auto combine = [&](torch::nn::Module& network) {
        if (reduce) reduce(network);
        torch::NoGradGuard noGrad;
        for (torch::Tensor& parameter : network.parameters())
            if (parameter.grad().defined()) parameter.mutable_grad().mul_(scale);
    };

    std::vector<torch::Tensor> recovered;
    for (size_t i = 0; i < microBatches.size(); ++i) {
        std::optional<PowerIterationPause> pause; // one power iteration per step, as on each rank
        if (i > 0) pause.emplace();
        recovered.push_back(generator->forward(microBatches[i].first));
    }
    StepLosses losses;
    const bool adversarial = adversarialWeight > 0;

    discriminatorOptimiser.zero_grad();
    for (size_t i = 0; i < microBatches.size() && adversarial; ++i) {
        const torch::Tensor& smoothed = microBatches[i].first;
        const torch::Tensor dLoss =
            discriminatorLoss(ganLoss, discriminator->forward(smoothed, microBatches[i].second),
                              discriminator->forward(smoothed, recovered[i].detach()));
        dLoss.backward();
        losses.discriminator += dLoss.item<double>();
    }
    if (adversarial) {
        combine(*discriminator);
        discriminatorOptimiser.step();
    }

    generatorOptimiser.zero_grad();
    for (size_t i = 0; i < microBatches.size(); ++i) {
        const torch::Tensor &smoothed = microBatches[i].first, &photo = microBatches[i].second;
        torch::Tensor adversarialTerm = torch::zeros({}), featureMatching = torch::zeros({});
        if (!adversarial) {
            // fidelity only: D takes no part
        } else if (featureMatchingWeight > 0) {
            const std::vector<torch::Tensor> fake = discriminator->features(smoothed, recovered[i]);
            std::vector<torch::Tensor> real;
            {
                torch::NoGradGuard noGrad;
                real = discriminator->features(smoothed, photo);
            }
            adversarialTerm = generatorAdversarialLoss(ganLoss, real.back(), fake.back());
            for (size_t k = 0; k + 1 < fake.size(); ++k)
                featureMatching = featureMatching + torch::l1_loss(fake[k], real[k]);
        } else {
            torch::Tensor real; // only the relativistic loss compares with the photo's logits
            if (ganLoss == GanLoss::Relativistic) {
                torch::NoGradGuard noGrad;
                real = discriminator->forward(smoothed, photo);
            }
            adversarialTerm =
                generatorAdversarialLoss(ganLoss, real, discriminator->forward(smoothed, recovered[i]));
        }
        const torch::Tensor content =
            perceptual ? (*perceptual)(recovered[i], photo) : pixelLoss(recovered[i], photo);
        const torch::Tensor detailEnergy =
            detailEnergyWeight > 0 ? detailEnergyLoss(recovered[i], photo) : torch::zeros({});
        const torch::Tensor frequency =
            frequencyWeight > 0 ? frequencyLoss(recovered[i], photo) : torch::zeros({});
        (adversarialWeight * adversarialTerm + contentWeight * content +
         featureMatchingWeight * featureMatching + detailEnergyWeight * detailEnergy +
         frequencyWeight * frequency)
            .backward();
        losses.adversarial += adversarialTerm.item<double>();
        losses.content += content.item<double>();
        losses.featureMatching += featureMatching.item<double>();
        losses.detailEnergy += detailEnergy.item<double>();
        losses.frequency += frequency.item<double>();
    }
    combine(*generator);
    generatorOptimiser.step();

    const double count = double(microBatches.size());
    losses.discriminator /= count;
    losses.adversarial /= count;
    losses.content /= count;
    losses.featureMatching /= count;
    losses.detailEnergy /= count;
    losses.frequency /= count;
    return losses;
}

void GanStep::setLearningRate(double learningRate)
{
    for (torch::optim::Adam* optimiser : {&generatorOptimiser, &discriminatorOptimiser})
        for (torch::optim::OptimizerParamGroup& group : optimiser->param_groups())
            static_cast<torch::optim::AdamOptions&>(group.options()).lr(learningRate);
}

} // namespace training
} // namespace desmooth
} // namespace cv
