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

// Random offsets on every weight, of the size of a fresh layer's (1 / sqrt(fan-in); 0.05 on biases): the
// restore generator starts near the identity, where a comparison of outputs would check little.
void scramble(Generator& generator)
{
    torch::NoGradGuard noGrad;
    for (torch::Tensor& parameter : generator->parameters()) {
        const double fanIn = parameter.dim() > 1 ? double(parameter.numel() / parameter.size(0)) : 0;
        parameter.add_(torch::randn_like(parameter) * (fanIn > 0 ? 0.5 / std::sqrt(fanIn) : 0.05));
    }
}

// The restore architecture: trainer forward = exported file = DeSmoother, every switch and the shipped
// widths.
TEST(Desmooth_Export, restore_round_trips_through_the_module)
{
    for (bool sft : {false, true})
        for (int faLevels : {0, 1, 3}) {
            torch::manual_seed(7);
            ModelConfig config = tinyRestoreConfig(faLevels);
            config.sft = sft;
            Generator generator(config);
            scramble(generator);
            EXPECT_LE(exportAndVerify(generator, {}, tempModel("restore")), 1e-4)
                << "sft " << sft << " fa_levels " << faLevels;
            EXPECT_TRUE(cv::desmooth::readModelFile(tempModel("restore")).config.isRestore());
        }
    torch::manual_seed(14);
    ModelConfig fullResolution = tinyRestoreConfig(1);
    fullResolution.fullResBlocks = 2;
    Generator withFullResolution(fullResolution);
    scramble(withFullResolution);
    EXPECT_LE(exportAndVerify(withFullResolution, {}, tempModel("restore_full_resolution")), 1e-4);
    EXPECT_EQ(cv::desmooth::readModelFile(tempModel("restore_full_resolution")).config.fullResBlocks, 2);
    torch::manual_seed(16);
    ModelConfig capped = tinyRestoreConfig(1);
    capped.maxChannels = 8;
    Generator withCap(capped);
    scramble(withCap);
    EXPECT_EQ(withCap->restore->up[0]->weight.size(1), 8); // the coarsest level's channels, capped
    EXPECT_LE(exportAndVerify(withCap, {}, tempModel("restore_capped")), 1e-4);
    EXPECT_EQ(cv::desmooth::readModelFile(tempModel("restore_capped")).config.maxChannels, 8);
    torch::manual_seed(8);
    Generator shipped(ModelConfig::restore());
    scramble(shipped);
    EXPECT_LE(exportAndVerify(shipped, {}, tempModel("restore_shipped")), 1e-4);
}

// The ablation that puts BatchNorm back: the export folds it into the convolutions, so the file is the plain
// restore graph and still computes the trainer's inference forward.
TEST(Desmooth_Export, restore_with_batchnorm_put_back_folds_into_the_plain_graph)
{
    torch::manual_seed(10);
    Generator generator(tinyRestoreConfig(1), true);
    scramble(generator);
    perturb(generator);
    int norms = 0;
    for (const auto& module : generator->modules(false))
        norms += module->as<torch::nn::BatchNorm2dImpl>() != nullptr;
    EXPECT_EQ(norms, 2 * 2 + 2 * 4); // down and up at the 2 lower levels; 2 in each of the 4 residual blocks
    EXPECT_LE(exportAndVerify(generator, {}, tempModel("restore_bn")), 1e-4);
    EXPECT_EQ(cv::desmooth::readModelFile(tempModel("restore_bn")).weights.size(),
              cv::desmooth::modelWeightShapes(tinyRestoreConfig(1)).size());
    EXPECT_THROW(Generator(tinyConfig(), true), std::invalid_argument); // the U-Net has its own BatchNorm
}

// Norm-free means no train/eval gap: training mode computes what inference does (before the output clamp),
// and a new generator starts near the identity.
TEST(Desmooth_Export, restore_has_no_train_eval_gap_and_starts_near_the_identity)
{
    torch::manual_seed(9);
    Generator generator(ModelConfig::restore());
    const torch::Tensor input = torch::rand({2, 3, 32, 32}) * 1.6 - 0.8;
    torch::NoGradGuard noGrad;
    generator->eval();
    const torch::Tensor inference = generator->forward(input);
    EXPECT_LT((inference - input).abs().max().item<double>(), 0.2);
    scramble(generator);
    const torch::Tensor scrambledInference = generator->forward(input);
    generator->train();
    const torch::Tensor training = generator->forward(input).clamp(-1, 1);
    EXPECT_LT((training - scrambledInference).abs().max().item<double>(), 1e-6);
    EXPECT_GT((scrambledInference - input).abs().max().item<double>(),
              0.05); // the comparison means something
}

torch::Tensor inferenceForward(Generator& generator, const torch::Tensor& input)
{
    torch::NoGradGuard noGrad;
    generator->eval();
    return generator->forward(input);
}

// A model file starts a generator of its own configuration where the model left off: same weights, same
// output.
TEST(Desmooth_Export, a_model_file_starts_a_generator_of_its_configuration)
{
    torch::manual_seed(11);
    Generator trained(tinyRestoreConfig(1));
    scramble(trained);
    Generator started(tinyRestoreConfig(1)); // other random weights until the import
    const torch::Tensor input = torch::rand({2, 3, 16, 24}) * 2 - 1;
    ASSERT_GT(
        (inferenceForward(started, input) - inferenceForward(trained, input)).abs().max().item<double>(),
        1e-3);
    importModel(exportModel(trained, {}), started);
    EXPECT_LT(
        (inferenceForward(started, input) - inferenceForward(trained, input)).abs().max().item<double>(),
        1e-6);
}

// Grown by a level: the model's levels become the finer ones, the new coarsest starts switched off, so the
// deeper generator computes what the model did (on sides of the deeper multiple) and the new level trains.
TEST(Desmooth_Export, a_model_grown_by_a_level_computes_what_it_did_and_its_new_level_trains)
{
    torch::manual_seed(12);
    Generator trained(tinyRestoreConfig(1));
    scramble(trained);
    ModelConfig deeper = tinyRestoreConfig(2); // FA where the model had it, and on the new level
    deeper.depth = 4;
    Generator grown(deeper);
    importModel(exportModel(trained, {}), grown);
    const torch::Tensor input = torch::rand({2, 3, 16, 24}) * 2 - 1;
    const torch::Tensor expected = inferenceForward(trained, input);
    EXPECT_LT((inferenceForward(grown, input) - expected).abs().max().item<double>(), 1e-5);
    EXPECT_EQ(grown->restore->up[0]->weight.abs().max().item<double>(), 0.0);

    grown->train();
    grown->forward(input).sub(torch::rand_like(input)).abs().mean().backward();
    EXPECT_GT(grown->restore->up[0]->weight.grad().abs().max().item<double>(), 0.0);

    // A cap that narrows only the new level (16 channels, not 32) grows the same way.
    deeper.maxChannels = 16;
    Generator narrow(deeper);
    EXPECT_EQ(narrow->restore->up[0]->weight.size(1), 16);
    importModel(exportModel(trained, {}), narrow);
    EXPECT_LT((inferenceForward(narrow, input) - expected).abs().max().item<double>(), 1e-5);
}

// Grown by full-resolution blocks: each new block starts as the identity (its second convolution zero), so
// the generator computes what the model did, and the block trains.
TEST(Desmooth_Export, full_resolution_blocks_added_to_a_model_start_as_the_identity_and_train)
{
    torch::manual_seed(15);
    ModelConfig oneBlock = tinyRestoreConfig(1);
    oneBlock.fullResBlocks = 1;
    Generator trained(oneBlock);
    scramble(trained);
    ModelConfig threeBlocks = oneBlock;
    threeBlocks.fullResBlocks = 3;
    Generator grown(threeBlocks);
    importModel(exportModel(trained, {}), grown);
    const torch::Tensor input = torch::rand({2, 3, 12, 20}) * 2 - 1;
    EXPECT_LT((inferenceForward(grown, input) - inferenceForward(trained, input)).abs().max().item<double>(),
              1e-6);
    const std::vector<ResidualBlock>& fullResolution = grown->restore->decoderBlocks.back();
    ASSERT_EQ(fullResolution.size(), 3u);
    EXPECT_GT(fullResolution[0]->conv2->weight.abs().max().item<double>(), 0.0); // the model's own block
    for (size_t j = 1; j < 3; ++j)
        EXPECT_EQ(fullResolution[j]->conv2->weight.abs().max().item<double>(), 0.0) << j;

    grown->train();
    grown->forward(input).sub(torch::rand_like(input)).abs().mean().backward();
    EXPECT_GT(fullResolution[2]->conv2->weight.grad().abs().max().item<double>(), 0.0);
}

TEST(Desmooth_Export, models_that_do_not_fit_are_refused)
{
    torch::manual_seed(13);
    Generator source(tinyRestoreConfig(1));
    const cv::desmooth::Model model = exportModel(source, {});
    const auto refused = [&](ModelConfig config, bool batchNorm = false) {
        Generator target(config, batchNorm);
        EXPECT_THROW(importModel(model, target), std::invalid_argument)
            << config.architecture << " depth " << config.depth << " ngf " << config.ngf << " fa_levels "
            << config.faLevels << (batchNorm ? " with BatchNorm" : "");
    };
    ModelConfig twoLevelsDeeper = tinyRestoreConfig(3);
    twoLevelsDeeper.depth = 5;
    refused(twoLevelsDeeper);
    ModelConfig shallower = tinyRestoreConfig(1);
    shallower.depth = 2;
    refused(shallower);
    ModelConfig wider = tinyRestoreConfig(1);
    wider.ngf = 6;
    refused(wider);
    ModelConfig capped = tinyRestoreConfig(2); // 4, 8, 8, 8: the cap narrows the model's coarsest level
    capped.depth = 4;
    capped.maxChannels = 8;
    refused(capped);
    ModelConfig attentionMoved = tinyRestoreConfig(1); // the model's FA level would have none
    attentionMoved.depth = 4;
    refused(attentionMoved);
    refused(tinyRestoreConfig(2)); // FA on a level where the model had none
    refused(tinyRestoreConfig(1), true);
    ModelConfig fullResolution = tinyRestoreConfig(1);
    fullResolution.fullResBlocks = 1;
    Generator withBlock(fullResolution);
    Generator withoutBlock(tinyRestoreConfig(1));
    EXPECT_THROW(importModel(exportModel(withBlock, {}), withoutBlock),
                 std::invalid_argument); // fewer blocks
    refused(tinyConfig());
    Generator lite(tinyConfig());
    Generator restore(tinyRestoreConfig(1));
    EXPECT_THROW(importModel(exportModel(lite, {}), restore), std::invalid_argument);
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
