// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "gan_step.hpp"

#include "losses.hpp"

namespace desmooth {
namespace training {

namespace {

torch::optim::AdamOptions adam(double learningRate)
{
    return torch::optim::AdamOptions(learningRate)
        .betas(std::make_tuple(0.5, 0.999)); // not dcgan's (0.5, 0.5)
}

} // namespace

GanStep::GanStep(Generator g, Discriminator d, double weight, double learningRate)
    : generator(std::move(g)), discriminator(std::move(d)),
      generatorOptimiser(generator->parameters(), adam(learningRate)),
      discriminatorOptimiser(discriminator->parameters(), adam(learningRate)), contentWeight(weight)
{
}

StepLosses GanStep::step(const torch::Tensor& smoothed, const torch::Tensor& photo)
{
    generator->train();
    discriminator->train();
    StepLosses losses;
    const torch::Tensor recovered = generator->forward(smoothed);

    discriminatorOptimiser.zero_grad();
    const torch::Tensor dLoss =
        0.5 * (adversarialLoss(discriminator->forward(smoothed, photo), true) +
               adversarialLoss(discriminator->forward(smoothed, recovered.detach()), false));
    dLoss.backward();
    discriminatorOptimiser.step();

    generatorOptimiser.zero_grad();
    torch::Tensor adversarial, featureMatching = torch::zeros({});
    if (featureMatchingWeight > 0) {
        const std::vector<torch::Tensor> fake = discriminator->features(smoothed, recovered);
        std::vector<torch::Tensor> real;
        {
            torch::NoGradGuard noGrad;
            real = discriminator->features(smoothed, photo);
        }
        adversarial = adversarialLoss(fake.back(), true);
        for (size_t k = 0; k + 1 < fake.size(); ++k)
            featureMatching = featureMatching + torch::l1_loss(fake[k], real[k]);
    } else {
        adversarial = adversarialLoss(discriminator->forward(smoothed, recovered), true);
    }
    const torch::Tensor content = perceptual ? (*perceptual)(recovered, photo) : pixelLoss(recovered, photo);
    (adversarial + contentWeight * content + featureMatchingWeight * featureMatching).backward();
    generatorOptimiser.step();

    losses.discriminator = dLoss.item<double>();
    losses.adversarial = adversarial.item<double>();
    losses.content = content.item<double>();
    losses.featureMatching = featureMatching.item<double>();
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
