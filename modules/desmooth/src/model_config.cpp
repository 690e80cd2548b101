// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

namespace cv {
namespace desmooth {

ModelConfig::ModelConfig()
    : name("lite"), depth(7), ngf(16), ndf(32), sft(true), fa(true), faLevels(4), sftHidden(32), mlpRatio(8),
      residual(false), smoother("l0"), smootherLambda(L0_DEFAULT_LAMBDA), smootherKappa(L0_DEFAULT_KAPPA),
      smootherBorder(L0_BORDER_CIRCULAR)
{
}

ModelConfig ModelConfig::lite()
{
    return ModelConfig(); // the defaults are the lite configuration
}

ModelConfig ModelConfig::paper()
{
    ModelConfig config;
    config.name = "paper";
    config.depth = 8;
    config.ngf = 64;
    config.ndf = 64;
    config.faLevels = 6;
    config.sftHidden = 128;
    return config;
}

int ModelConfig::encoderChannels(int level) const
{
    CV_Assert(level >= 0 && level < depth);
    return std::min(ngf << std::min(level, 3), 8 * ngf);
}

int ModelConfig::decoderChannels(int block) const
{
    CV_Assert(block >= 0 && block < depth);
    return block == depth - 1 ? 3 : encoderChannels(depth - 2 - block);
}

bool ModelConfig::hasSFT(int block) const
{
    return sft && block >= 0 && block < depth - 1;
}

bool ModelConfig::hasFA(int block) const
{
    return fa && block >= 0 && block < std::min(faLevels, depth - 1);
}

std::map<String, std::vector<int>> modelWeightShapes(const ModelConfig& config)
{
    std::map<String, std::vector<int>> shapes;
    const auto add = [&](const String& name, std::vector<int> weight, int bias) {
        shapes[name + "_w"] = std::move(weight);
        shapes[name + "_b"] = {bias};
    };
    const int kernel = 4; // pix2pix's 4x4 stride-2 convolutions
    for (int level = 0; level < config.depth; ++level) {
        const int in = level == 0 ? 3 : config.encoderChannels(level - 1),
                  out = config.encoderChannels(level);
        add(format("enc%d_conv", level), {out, in, kernel, kernel}, out);
    }
    for (int block = 0; block < config.depth; ++block) {
        // The innermost block sees the bottleneck; the others the skip connection concatenated with the block
        // below.
        const int skip = config.encoderChannels(config.depth - 1 - block);
        const int in = block == 0 ? skip : 2 * skip, out = config.decoderChannels(block);
        add(format("dec%d_deconv", block), {in, out, kernel, kernel}, out);
        if (config.hasSFT(block)) {
            add(format("dec%d_sft_shared", block), {config.sftHidden, 3, 3, 3}, config.sftHidden);
            add(format("dec%d_sft_gamma", block), {out, config.sftHidden, 3, 3}, out);
            add(format("dec%d_sft_beta", block), {out, config.sftHidden, 3, 3}, out);
        }
        if (config.hasFA(block)) {
            for (const char* projection : {"f", "g", "h"})
                add(format("dec%d_fa_%s", block, projection), {1, out, 1, 1}, 1);
            const int hidden = std::max(1, out / config.mlpRatio);
            add(format("dec%d_fa_mlp1", block), {hidden, out}, hidden);
            add(format("dec%d_fa_mlp2", block), {out, hidden}, out);
        }
    }
    return shapes;
}

} // namespace desmooth
} // namespace cv
