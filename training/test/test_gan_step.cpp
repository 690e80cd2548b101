// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "gan_step.hpp"
#include "learning_rate_schedule.hpp"
#include "losses.hpp"
#include "tiny_config.hpp"

#include <gtest/gtest.h>
#include <opencv2/desmooth.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace opencv_test {
namespace {

using namespace cv::desmooth::training;

TEST(Desmooth_Losses, known_values)
{
    // BCE with logits: -log(sigmoid(0)) = log 2 for either target; large correct logits cost ~0.
    EXPECT_NEAR(adversarialLoss(torch::zeros({2, 1, 3, 3}), true).item<double>(), std::log(2.0), 1e-6);
    EXPECT_NEAR(adversarialLoss(torch::full({1, 1, 2, 2}, 20.0), true).item<double>(), 0.0, 1e-6);
    EXPECT_NEAR(adversarialLoss(torch::full({1, 1, 2, 2}, 20.0), false).item<double>(), 20.0, 1e-4);
    EXPECT_NEAR(pixelLoss(torch::full({1, 3, 2, 2}, 0.5), torch::full({1, 3, 2, 2}, -0.25)).item<double>(),
                0.75, 1e-6);
}

TEST(Desmooth_Losses, detail_energy_known_values_and_phase_free)
{
    // A checkerboard of +-a: inside, each pixel's 3x3 mean is +-a / 9, so |x - box3x3(x)| = 8a / 9.
    const double a = 0.3;
    const torch::Tensor index = torch::arange(32);
    const torch::Tensor sign = 1 - 2 * ((index.view({32, 1}) + index.view({1, 32})) % 2);
    const torch::Tensor checker = (a * sign.to(torch::kFloat)).expand({1, 3, 32, 32}).contiguous();
    const torch::Tensor energy = highFrequencyEnergy(checker);
    ASSERT_EQ(energy.sizes(), torch::IntArrayRef({1, 3, 4, 4}));
    EXPECT_NEAR(energy[0][1][1][2].item<double>(), std::sqrt(std::pow(8 * a / 9, 2) + 1e-6), 1e-6);
    const torch::Tensor flat = torch::full({1, 3, 32, 32}, 0.2);
    EXPECT_NEAR(highFrequencyEnergy(flat).max().item<double>(), 1e-3, 1e-7);
    // The same texture one pixel over (the negated board) costs nothing, though every pixel differs by 2a;
    // no texture costs the texture's energy.
    EXPECT_NEAR(pixelLoss(-checker, checker).item<double>(), 2 * a, 1e-6);
    EXPECT_NEAR(detailEnergyLoss(-checker, checker).item<double>(), 0.0, 1e-7);
    EXPECT_NEAR(detailEnergyLoss(flat, checker).item<double>(), (energy - 1e-3).mean().item<double>(), 1e-6);
    // A flat output still gets a gradient towards texture.
    const torch::Tensor start = (flat + 1e-3 * torch::randn_like(flat)).requires_grad_();
    detailEnergyLoss(start, checker).backward();
    EXPECT_GT(start.grad().abs().sum().item<double>(), 0.0);
    EXPECT_THROW(highFrequencyEnergy(torch::zeros({1, 3, 4, 4})), c10::Error) << "smaller than a tile";
}

TEST(Desmooth_Losses, frequency_loss_known_values_and_a_defined_gradient)
{
    // An error of a at one pixel of an H x W plane: its orthonormal spectrum is a / sqrt(HW) at every
    // frequency, all real; the mean of |re| and |im| over the H x (W/2 + 1) bins is a / sqrt(HW) / 2.
    const double a = 0.6;
    const torch::Tensor photo = torch::rand({1, 3, 16, 8}) * 2 - 1;
    torch::Tensor recovered = photo.clone();
    recovered[0][1][0][0] += a;
    EXPECT_NEAR(frequencyLoss(recovered, photo).item<double>(), a / std::sqrt(16.0 * 8) / 2 / 3, 1e-6)
        << "one channel of three holds the error";
    EXPECT_EQ(frequencyLoss(photo, photo).item<double>(), 0.0);
    // A cosine of amplitude a along the rows, frequency 2 of 8: in the full spectrum bins k = 2 and k = 6
    // each hold a sqrt(HW) / 2, real; the one-sided spectrum keeps k = 2 alone.
    const torch::Tensor x = torch::arange(8).to(torch::kFloat);
    const torch::Tensor wave = (a * torch::cos(2 * 3.14159265358979 * 2 * x / 8)).expand({1, 1, 16, 8});
    const double bins = 16.0 * 5 * 2; // rows x (W/2 + 1) x {re, im}
    EXPECT_NEAR(frequencyLoss(wave, torch::zeros_like(wave)).item<double>(),
                a * std::sqrt(16.0 * 8) / 2 / bins, 1e-5);
    // Where the error is 0 the gradient is defined (0), not NaN.
    const torch::Tensor leaf = photo.clone().requires_grad_();
    frequencyLoss(leaf, photo).backward();
    EXPECT_FALSE(torch::isnan(leaf.grad()).any().item<bool>());
}

TEST(Desmooth_Losses, gan_forms_known_values)
{
    const torch::Tensor real = torch::tensor({2.0, 0.5}), fake = torch::tensor({-0.5, 1.5});
    // Hinge: D pays relu(1 - real) + relu(1 + fake), halved: ((0 + 0.5) / 2 + (0.5 + 2.5) / 2) / 2.
    EXPECT_NEAR(discriminatorLoss(GanLoss::Hinge, real, fake).item<double>(), (0.25 + 1.5) / 2, 1e-6);
    EXPECT_NEAR(generatorAdversarialLoss(GanLoss::Hinge, real, fake).item<double>(), -0.5, 1e-6);
    // BCE is pix2pix's: (BCE(real, 1) + BCE(fake, 0)) / 2.
    EXPECT_NEAR(discriminatorLoss(GanLoss::Bce, real, fake).item<double>(),
                0.5 * (adversarialLoss(real, true) + adversarialLoss(fake, false)).item<double>(), 1e-6);
    // Relativistic average: with all logits equal both sides sit at log 2, and G's loss mirrors D's
    // (swapping the roles of real and fake swaps the two losses).
    const torch::Tensor same = torch::full({3}, 0.7);
    EXPECT_NEAR(discriminatorLoss(GanLoss::Relativistic, same, same).item<double>(), std::log(2.0), 1e-6);
    EXPECT_NEAR(generatorAdversarialLoss(GanLoss::Relativistic, real, fake).item<double>(),
                discriminatorLoss(GanLoss::Relativistic, fake, real).item<double>(), 1e-6);
    // G's relativistic loss has no gradient through the real logits.
    const torch::Tensor realLeaf = real.clone().requires_grad_(true),
                        fakeLeaf = fake.clone().requires_grad_(true);
    generatorAdversarialLoss(GanLoss::Relativistic, realLeaf, fakeLeaf).backward();
    EXPECT_FALSE(realLeaf.grad().defined());
    EXPECT_TRUE(fakeLeaf.grad().defined());
    for (const char* name : {"bce", "hinge", "relativistic"})
        EXPECT_EQ(ganLossName(parseGanLoss(name)), name);
    EXPECT_THROW(parseGanLoss("wasserstein"), std::invalid_argument);
}

// Every GAN form trains: a few steps of each keep the losses finite and D's loss away from 0 at the start.
TEST(Desmooth_GanStep, every_gan_loss_steps)
{
    for (GanLoss form : {GanLoss::Bce, GanLoss::Hinge, GanLoss::Relativistic})
        for (double featureMatching : {0.0, 1.0}) {
            torch::manual_seed(3);
            GanStep trainer(Generator(tinyConfig()), Discriminator(8));
            trainer.ganLoss = form;
            trainer.featureMatchingWeight = featureMatching;
            const torch::Tensor smoothed = torch::rand({2, 3, 32, 32}) * 2 - 1,
                                photo = torch::rand({2, 3, 32, 32}) * 2 - 1;
            StepLosses losses;
            for (int i = 0; i < 3; ++i)
                losses = trainer.step(smoothed, photo);
            EXPECT_TRUE(std::isfinite(losses.discriminator) && std::isfinite(losses.adversarial))
                << ganLossName(form) << " fm " << featureMatching;
            EXPECT_GT(losses.discriminator, 0.05) << ganLossName(form);
        }
}

// A few hundred steps on one fixed batch must fit it: the content loss falls markedly.
TEST(Desmooth_GanStep, overfits_one_batch)
{
    torch::manual_seed(7);
    cv::desmooth::ModelConfig config = tinyConfig(); // twice as wide: room to fit the batch
    config.ngf = 8;
    config.sftHidden = 8;
    GanStep trainer(Generator(config), Discriminator(8));
    // Two 32x32 crops of real photos and their L0-smoothed versions, as RGB in [-1, 1].
    std::vector<torch::Tensor> photos, smooths;
    for (const char* name : {"cat.jpg", "path.jpg"}) {
        const cv::Mat bgr =
            cv::imread(std::string(DESMOOTH_DATA_DIR) + "/photos/" + name)(cv::Rect(100, 100, 32, 32));
        cv::Mat smoothedBgr;
        cv::desmooth::L0Smooth(bgr, smoothedBgr);
        const auto toTensor = [](const cv::Mat& image) {
            cv::Mat rgb;
            cv::cvtColor(image, rgb, cv::COLOR_BGR2RGB);
            rgb.convertTo(rgb, CV_32F, 2.0 / 255, -1.0);
            return torch::from_blob(rgb.data, {32, 32, 3}).permute({2, 0, 1}).clone();
        };
        photos.push_back(toTensor(bgr));
        smooths.push_back(toTensor(smoothedBgr));
    }
    const torch::Tensor photo = torch::stack(photos), smoothed = torch::stack(smooths);
    const StepLosses first = trainer.step(smoothed, photo);
    StepLosses last;
    for (int i = 0; i < 200; ++i)
        last = trainer.step(smoothed, photo);
    EXPECT_LT(last.content, 0.5 * first.content) << "first " << first.content << ", last " << last.content;
    EXPECT_TRUE(std::isfinite(last.discriminator) && std::isfinite(last.adversarial));
}

TEST(Desmooth_LearningRateSchedule, constant_then_linear_to_zero)
{
    EXPECT_DOUBLE_EQ(scheduledLearningRate(2e-4, 0, 1000, 600), 2e-4);
    EXPECT_DOUBLE_EQ(scheduledLearningRate(2e-4, 599, 1000, 600), 2e-4);
    EXPECT_DOUBLE_EQ(scheduledLearningRate(2e-4, 600, 1000, 600), 2e-4);
    EXPECT_DOUBLE_EQ(scheduledLearningRate(2e-4, 800, 1000, 600), 1e-4);
    EXPECT_DOUBLE_EQ(scheduledLearningRate(2e-4, 999, 1000, 600), 2e-4 / 400);
    EXPECT_DOUBLE_EQ(scheduledLearningRate(2e-4, 1000, 1000, 600), 0.0);
    // No decay asked for, or a start past the end: constant.
    EXPECT_DOUBLE_EQ(scheduledLearningRate(2e-4, 900, 1000, 0), 2e-4);
    EXPECT_DOUBLE_EQ(scheduledLearningRate(2e-4, 900, 1000, 1000), 2e-4);
}

// A zero rate must freeze both networks: the setter reaches every parameter group of both optimisers.
TEST(Desmooth_GanStep, zero_learning_rate_freezes_both_networks)
{
    torch::manual_seed(3);
    GanStep trainer(Generator(tinyConfig()), Discriminator(8));
    const torch::Tensor smoothed = torch::rand({2, 3, 32, 32}) * 2 - 1,
                        photo = torch::rand({2, 3, 32, 32}) * 2 - 1;
    trainer.step(smoothed, photo); // Adam's state exists from here on
    const auto snapshot = [](torch::nn::Module& module) {
        std::vector<torch::Tensor> copies;
        for (const torch::Tensor& p : module.parameters())
            copies.push_back(p.detach().clone());
        return copies;
    };
    const auto unchanged = [](const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
        for (size_t i = 0; i < a.size(); ++i)
            if (!torch::equal(a[i], b[i])) return false;
        return true;
    };
    trainer.setLearningRate(0.0);
    const auto g = snapshot(*trainer.generator), d = snapshot(*trainer.discriminator);
    trainer.step(smoothed, photo);
    EXPECT_TRUE(unchanged(g, snapshot(*trainer.generator)));
    EXPECT_TRUE(unchanged(d, snapshot(*trainer.discriminator)));
    trainer.setLearningRate(2e-4);
    trainer.step(smoothed, photo);
    EXPECT_FALSE(unchanged(g, snapshot(*trainer.generator)));
    EXPECT_FALSE(unchanged(d, snapshot(*trainer.discriminator)));
}

} // namespace
} // namespace opencv_test
