// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "export_model.hpp"
#include "tiny_config.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <stdexcept>

namespace opencv_test {
namespace {

using namespace cv::desmooth::training;
using cv::desmooth::ModelConfig;

// Non-trivial BatchNorm statistics and spectral-norm vectors, as training would leave them.
void perturb(Generator& generator)
{
    torch::NoGradGuard noGrad;
    for (const auto& module : generator->modules(false))
        if (auto* norm = module->as<torch::nn::BatchNorm2dImpl>()) {
            norm->running_mean.uniform_(-0.5, 0.5);
            norm->running_var.uniform_(0.5, 2.0);
            norm->weight.uniform_(0.5, 1.5);
            norm->bias.uniform_(-0.2, 0.2);
        }
    generator->train();
    for (int step = 0; step < 3; ++step)
        generator->forward(torch::rand({2, 3, 2 << generator->config.depth, 2 << generator->config.depth}));
}

std::string tempModel(const std::string& name)
{
    return ::testing::TempDir() + "desmooth_export_" + name + ".yml.gz";
}

TEST(Desmooth_Export, lite_round_trip_through_the_module)
{
    torch::manual_seed(5);
    Generator generator(ModelConfig::lite());
    perturb(generator);
    const double difference = exportAndVerify(generator, {{"loss", "none (test)"}}, tempModel("lite"));
    EXPECT_LE(difference, 1e-4);
    const cv::desmooth::Model reread = cv::desmooth::readModelFile(tempModel("lite"));
    EXPECT_EQ(reread.train.at("loss"), "none (test)");
}

TEST(Desmooth_Export, every_switch_round_trips)
{
    for (bool sft : {false, true})
        for (bool fa : {false, true}) {
            torch::manual_seed(6);
            ModelConfig config = tinyConfig(sft, fa);
            config.residual = sft != fa; // the residual output in two of the four
            Generator generator(config);
            perturb(generator);
            EXPECT_LE(exportAndVerify(generator, {}, tempModel("small")), 1e-4)
                << "sft " << sft << " fa " << fa << " residual " << config.residual;
            EXPECT_EQ(cv::desmooth::readModelFile(tempModel("small")).config.residual, config.residual);
        }
}

// The check is real: with a tolerance nothing can meet, the export fails loudly.
TEST(Desmooth_Export, mismatch_fails_loudly)
{
    ModelConfig config;
    config.depth = 2;
    config.ngf = 2;
    config.faLevels = 1;
    Generator generator(config);
    EXPECT_THROW(exportAndVerify(generator, {}, tempModel("strict"), -1.0), std::runtime_error);
}

} // namespace
} // namespace opencv_test
