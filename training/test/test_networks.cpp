// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "discriminator.hpp"
#include "generator.hpp"
#include "tiny_config.hpp"

#include <gtest/gtest.h>

namespace opencv_test {
namespace {

using namespace cv::desmooth::training;
using cv::desmooth::ModelConfig;

void expectImageShaped(Generator& generator, int batch, int side)
{
    const torch::Tensor out = generator->forward(torch::rand({batch, 3, side, side}) * 2 - 1);
    EXPECT_EQ(out.sizes(), torch::IntArrayRef({batch, 3, side, side}));
    EXPECT_LE(out.abs().max().item<double>(), 1.0);
}

TEST(Desmooth_Networks, generator_shapes_for_every_config)
{
    torch::manual_seed(3);
    Generator lite(ModelConfig::lite());
    expectImageShaped(lite, 2, 128);
    for (bool sft : {false, true})
        for (bool fa : {false, true}) {
            Generator generator(tinyConfig(sft, fa));
            expectImageShaped(generator, 2, 16);
        }
    Generator noFaLevels(tinyConfig(true, true, 0));
    expectImageShaped(noFaLevels, 1, 24);
}

TEST(Desmooth_Networks, paper_generator_shape)
{
    torch::manual_seed(4);
    Generator paper(ModelConfig::paper());
    paper->eval();
    torch::NoGradGuard noGrad;
    expectImageShaped(paper, 1, 256);
}

// Trainable tensors are the model file's tensors, plus BatchNorm's affine pairs, minus the biases BatchNorm
// replaces (kept as frozen zeros).
TEST(Desmooth_Networks, generator_parameters_match_the_model_file)
{
    const ModelConfig config = ModelConfig::lite();
    Generator generator(config);
    int64_t trainable = 0, normAffine = 0, replacedBiases = 0;
    for (const auto& p : generator->named_parameters()) {
        if (!p.value().requires_grad()) continue;
        trainable += p.value().numel();
        if (p.key().find("_bn.") != std::string::npos) normAffine += p.value().numel();
    }
    for (int level = 0; level < config.depth; ++level)
        if (encoderHasNorm(config, level)) replacedBiases += config.encoderChannels(level);
    for (int block = 0; block < config.depth; ++block)
        if (decoderHasNorm(config, block)) replacedBiases += config.decoderChannels(block);
    int64_t inFile = 0;
    for (const auto& entry : cv::desmooth::modelWeightShapes(config)) {
        int64_t n = 1;
        for (int d : entry.second)
            n *= d;
        inFile += n;
    }
    EXPECT_EQ(trainable - normAffine + replacedBiases, inFile);
}

// 70x70 PatchGAN: 14x14 patches on a 128-pixel crop, 30x30 on 256.
TEST(Desmooth_Networks, discriminator_patch_grid)
{
    Discriminator discriminator(32);
    EXPECT_EQ(discriminator->forward(torch::rand({2, 3, 128, 128}), torch::rand({2, 3, 128, 128})).sizes(),
              torch::IntArrayRef({2, 1, 14, 14}));
    EXPECT_EQ(discriminator->forward(torch::rand({1, 3, 256, 256}), torch::rand({1, 3, 256, 256})).sizes(),
              torch::IntArrayRef({1, 1, 30, 30}));
}

} // namespace
} // namespace opencv_test
