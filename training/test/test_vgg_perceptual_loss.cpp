// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "gan_step.hpp"
#include "tiny_config.hpp"
#include "vgg_perceptual_loss.hpp"

#include <gtest/gtest.h>
#include <torch/script.h>

#include <stdexcept>

namespace opencv_test {
namespace {

using namespace cv::desmooth::training;

/** Writes a TorchScript module with the parameter names and shapes of torchvision's scripted vgg19().features
(submodules "0", "2", ..., each with weight and bias), seeded random values: what the user's file looks like
to the loader. `dropLayer` leaves one convolution out. */
std::string writeGeneratedVgg19(const std::string& name, int dropLayer = -1)
{
    torch::manual_seed(11);
    torch::jit::Module features("__torch__.torch.nn.modules.container.Sequential");
    for (const auto& parameter : makeVgg19Features()->named_parameters()) {
        const std::string layer = parameter.key().substr(0, parameter.key().find('.'));
        const std::string field = parameter.key().substr(parameter.key().find('.') + 1);
        if (std::stoi(layer) == dropLayer) continue;
        if (!features.hasattr(layer)) {
            torch::jit::Module conv("__torch__.torch.nn.modules.conv.Conv2d");
            features.register_module(layer, conv);
        }
        torch::jit::Module conv = features.attr(layer).toModule();
        conv.register_parameter(field, torch::randn(parameter.value().sizes()) * 0.05, false);
    }
    const std::string path = ::testing::TempDir() + name;
    features.save(path);
    return path;
}

TEST(Desmooth_VggPerceptualLoss, loads_a_generated_file_and_measures_feature_distance)
{
    VggPerceptualLoss loss(writeGeneratedVgg19("vgg19_features.pt"));
    const torch::Tensor photo = torch::rand({2, 3, 64, 64}) * 2 - 1;
    EXPECT_EQ(loss(photo, photo).item<double>(), 0.0);
    torch::Tensor recovered = (photo + 0.2 * torch::randn_like(photo)).clamp(-1, 1).set_requires_grad(true);
    const torch::Tensor value = loss(recovered, photo);
    EXPECT_GT(value.item<double>(), 0.0);
    value.backward();
    EXPECT_GT(recovered.grad().abs().sum().item<double>(), 0.0); // the generator gets a gradient
    // Closer images, smaller loss.
    EXPECT_LT(loss((photo + 0.02 * torch::randn_like(photo)).clamp(-1, 1), photo).item<double>(),
              value.item<double>());
}

// With VGG-19 weights the GAN step uses the perceptual loss as its content loss.
TEST(Desmooth_VggPerceptualLoss, drives_the_gan_step)
{
    GanStep trainer(Generator(tinyConfig(true, true, 1)), Discriminator(8));
    trainer.perceptual = std::make_shared<VggPerceptualLoss>(writeGeneratedVgg19("vgg19_step.pt"));
    const torch::Tensor photo = torch::rand({2, 3, 32, 32}) * 2 - 1;
    const StepLosses losses = trainer.step(torch::avg_pool2d(photo, 3, 1, 1), photo);
    const torch::Tensor recovered = trainer.generator->forward(torch::avg_pool2d(photo, 3, 1, 1));
    EXPECT_TRUE(std::isfinite(losses.content));
    EXPECT_GT(losses.content, 0.0);
    EXPECT_NE(losses.content, torch::l1_loss(recovered, photo).item<double>()); // not the L1 fallback
}

TEST(Desmooth_VggPerceptualLoss, rejects_files_that_are_not_vgg19)
{
    EXPECT_THROW(VggPerceptualLoss(writeGeneratedVgg19("vgg19_missing.pt", 34)), std::runtime_error);
    EXPECT_THROW(VggPerceptualLoss("/nonexistent/vgg19.pt"), std::runtime_error);
}

} // namespace
} // namespace opencv_test
