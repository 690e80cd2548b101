// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "model_validation.hpp"

#include <functional>

namespace cv {
namespace desmooth {

ModelConfig::ModelConfig()
    : name("lite"), architecture("unet"), depth(7), blocks(0), fullResBlocks(0), ngf(16), maxChannels(0),
      ndf(32), sft(true), fa(true), faLevels(4), sftHidden(32), mlpRatio(8), residual(false), smoother("l0"),
      smootherLambda(L0_DEFAULT_LAMBDA), smootherKappa(L0_DEFAULT_KAPPA), smootherBorder(L0_BORDER_CIRCULAR)
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

ModelConfig ModelConfig::restore()
{
    ModelConfig config;
    config.name = "restore";
    config.architecture = "restore";
    // Widths chosen by measurement under the speed budget (docs/results.md, "Restore widths").
    config.depth = 3;
    config.blocks = 1;
    config.ngf = 12;
    config.ndf = 32;
    config.faLevels = 1;
    config.sftHidden = 8;
    config.mlpRatio = 8;
    config.residual = true;
    return config;
}

ModelConfig ModelConfig::named(const String& name)
{
    if (name == "lite") return lite();
    if (name == "paper") return paper();
    if (name == "restore") return restore();
    CV_Error(Error::StsBadArg, "unknown model configuration '" + name + "': use lite, paper or restore");
}

bool ModelConfig::isRestore() const
{
    return architecture == "restore";
}

int ModelConfig::sizeMultiple() const
{
    return 1 << (isRestore() ? depth - 1 : depth);
}

int ModelConfig::encoderChannels(int level) const
{
    CV_Assert(level >= 0 && level < depth);
    const int channels = std::min(ngf << std::min(level, 3), 8 * ngf);
    return maxChannels > 0 ? std::min(channels, maxChannels) : channels;
}

int ModelConfig::decoderChannels(int block) const
{
    CV_Assert(block >= 0 && block < depth);
    if (isRestore()) return encoderChannels(depth - 1 - block);
    return block == depth - 1 ? 3 : encoderChannels(depth - 2 - block);
}

int ModelConfig::modulatedBlocks() const
{
    return isRestore() ? depth : depth - 1;
}

bool ModelConfig::hasSFT(int block) const
{
    return sft && block >= 0 && block < modulatedBlocks();
}

bool ModelConfig::hasFA(int block) const
{
    return fa && block >= 0 && block < std::min(faLevels, modulatedBlocks());
}

void ModelConfig::validate() const
{
    detail::validateConfig(*this, String()); // its errors name no file
}

namespace {

using ShapeAdder = std::function<void(const String& name, std::vector<int> weight, int bias)>;

// SFT and FA of decoder block `block`, in both architectures.
void addModulationShapes(const ModelConfig& config, int block, int out, const ShapeAdder& add)
{
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

void addRestoreShapes(const ModelConfig& config, const ShapeAdder& add)
{
    const int full = config.encoderChannels(0);
    add("head", {full, 3, 3, 3}, full);
    add("tail", {3, full, 3, 3}, 3);
    for (int level = 1; level < config.depth; ++level) {
        const int in = config.encoderChannels(level - 1), channels = config.encoderChannels(level);
        add(format("enc%d_down", level), {channels, in, 3, 3}, channels);
        for (int j = 0; j < config.blocks; ++j)
            for (int conv = 1; conv <= 2; ++conv)
                add(format("enc%d_res%d_conv%d", level, j, conv), {channels, channels, 3, 3}, channels);
    }
    for (int block = 0; block < config.depth; ++block) {
        const int level = config.depth - 1 - block, channels = config.encoderChannels(level);
        addModulationShapes(config, block, channels, add);
        for (int j = 0; j < (level > 0 ? config.blocks : config.fullResBlocks); ++j)
            for (int conv = 1; conv <= 2; ++conv)
                add(format("dec%d_res%d_conv%d", block, j, conv), {channels, channels, 3, 3}, channels);
        if (level == 0) continue;
        const int below = config.encoderChannels(level - 1);
        add(format("dec%d_up", block), {below, channels, 3, 3}, below);
    }
}

} // namespace

std::map<String, std::vector<int>> modelWeightShapes(const ModelConfig& config)
{
    std::map<String, std::vector<int>> shapes;
    const ShapeAdder add = [&](const String& name, std::vector<int> weight, int bias) {
        shapes[name + "_w"] = std::move(weight);
        shapes[name + "_b"] = {bias};
    };
    if (config.isRestore()) {
        addRestoreShapes(config, add);
        return shapes;
    }
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
        addModulationShapes(config, block, out, add);
    }
    return shapes;
}

} // namespace desmooth
} // namespace cv
