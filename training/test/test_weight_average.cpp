// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "checkpoint.hpp"
#include "tiny_config.hpp"
#include "weight_average.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace opencv_test {
namespace {

using namespace cv::desmooth::training;

torch::nn::Linear scalar(double value)
{
    torch::nn::Linear layer(torch::nn::LinearOptions(1, 1).bias(false));
    torch::NoGradGuard noGrad;
    layer->weight.fill_(value);
    return layer;
}

void setScalar(torch::nn::Linear& layer, double value)
{
    torch::NoGradGuard noGrad;
    layer->weight.fill_(value);
}

TEST(Desmooth_WeightAverage, known_values_with_the_warm_up)
{
    torch::nn::Linear layer = scalar(0);
    WeightAverage average(*layer, 0.9);
    setScalar(layer, 1);
    average.update(*layer, 0); // d = min(0.9, 1 / 10) = 0.1: 0.1 x 0 + 0.9 x 1
    EXPECT_NEAR(average.tensors()[0].item<double>(), 0.9, 1e-7);
    setScalar(layer, 2);
    average.update(*layer, 100); // d = min(0.9, 101 / 110) = 0.9: 0.9 x 0.9 + 0.1 x 2
    EXPECT_NEAR(average.tensors()[0].item<double>(), 1.01, 1e-6);
    EXPECT_EQ(layer->weight.item<double>(), 2.0) << "updating the average leaves the weights alone";
}

TEST(Desmooth_WeightAverage, swap_puts_the_average_in_and_a_second_swap_puts_everything_back)
{
    torch::manual_seed(3);
    Generator generator(tinyRestoreConfig());
    WeightAverage average(*generator, 0.99);
    std::vector<torch::Tensor> live;
    {
        torch::NoGradGuard noGrad;
        for (torch::Tensor& p : generator->parameters()) {
            p.add_(torch::randn_like(p));
            live.push_back(p.detach().clone());
        }
    }
    for (int64_t step = 0; step < 50; ++step)
        average.update(*generator, step);
    std::vector<torch::Tensor> averaged;
    for (const torch::Tensor& a : average.tensors())
        averaged.push_back(a.clone());
    {
        const AverageInScope scope(&average, *generator);
        const std::vector<torch::Tensor> inside = generator->parameters();
        for (size_t i = 0; i < inside.size(); ++i)
            EXPECT_TRUE(torch::equal(inside[i], averaged[i])) << i;
    }
    const std::vector<torch::Tensor> after = generator->parameters();
    for (size_t i = 0; i < after.size(); ++i) {
        EXPECT_TRUE(torch::equal(after[i], live[i])) << i;
        EXPECT_TRUE(torch::equal(average.tensors()[i], averaged[i])) << i;
    }
    const AverageInScope none(nullptr, *generator); // no average: nothing happens
    EXPECT_TRUE(torch::equal(generator->parameters()[0], live[0]));
}

TEST(Desmooth_WeightAverage, checkpoint_round_trip_and_checkpoints_without_one)
{
    torch::manual_seed(4);
    GanStep trainer(Generator(tinyRestoreConfig()), Discriminator(8));
    WeightAverage average(*trainer.generator, 0.999);
    {
        torch::NoGradGuard noGrad;
        for (torch::Tensor& a : average.tensors())
            a.add_(1.5);
    }
    std::mt19937_64 rng(1);
    const std::string with = ::testing::TempDir() + "desmooth_average.pt",
                      without = ::testing::TempDir() + "desmooth_no_average.pt";
    saveCheckpoint(with, trainer, 7, rng, 0, &average);
    saveCheckpoint(without, trainer, 7, rng);

    WeightAverage restored(*trainer.generator, 0.999);
    ASSERT_TRUE(loadWeightAverage(with, restored));
    for (size_t i = 0; i < restored.tensors().size(); ++i)
        EXPECT_TRUE(torch::equal(restored.tensors()[i], average.tensors()[i])) << i;

    WeightAverage untouched(*trainer.generator, 0.999);
    EXPECT_FALSE(loadWeightAverage(without, untouched));
    const std::vector<torch::Tensor> weights = trainer.generator->parameters();
    for (size_t i = 0; i < weights.size(); ++i)
        EXPECT_TRUE(torch::equal(untouched.tensors()[i], weights[i])) << i;

    // --init-from starts G from the average (what that run exported), and from the live weights without one.
    GanStep started(Generator(tinyRestoreConfig()), Discriminator(8));
    ASSERT_TRUE(loadWeights(with, started));
    const std::vector<torch::Tensor> startedWeights = started.generator->parameters();
    for (size_t i = 0; i < startedWeights.size(); ++i)
        EXPECT_TRUE(torch::equal(startedWeights[i], average.tensors()[i])) << i;
    ASSERT_FALSE(loadWeights(without, started));
    for (size_t i = 0; i < startedWeights.size(); ++i)
        EXPECT_TRUE(torch::equal(started.generator->parameters()[i], weights[i])) << i;

    Generator other(tinyConfig()); // the U-Net: another network's average is refused
    WeightAverage foreign(*other, 0.999);
    EXPECT_THROW(loadWeightAverage(with, foreign), std::runtime_error);
}

TEST(Desmooth_WeightAverage, decay_outside_zero_to_one_is_refused)
{
    torch::nn::Linear layer = scalar(1);
    EXPECT_THROW(WeightAverage(*layer, 1.0), std::invalid_argument);
    EXPECT_THROW(WeightAverage(*layer, -0.1), std::invalid_argument);
    EXPECT_THROW(WeightAverage(*layer, std::nan("")), std::invalid_argument);
}

} // namespace
} // namespace opencv_test
