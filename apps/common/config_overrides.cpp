// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "config_overrides.hpp"

#include <algorithm>

namespace po = boost::program_options;

namespace cv {
namespace desmooth {
namespace apps {

void ConfigOverrides::addOptions(po::options_description_easy_init& add)
{
    add("ngf", po::value(&ngf)->default_value(ngf), "channels of the first level (0: the configuration's)");
    add("blocks", po::value(&blocks)->default_value(blocks),
        "residual blocks per level of restore (-1: the configuration's)");
    add("full-res-blocks", po::value(&fullResBlocks)->default_value(fullResBlocks),
        "residual blocks of restore at full resolution, after the last SFT (-1: the configuration's)");
    add("max-channels", po::value(&maxChannels)->default_value(maxChannels),
        "cap on the channels of any level of restore, ngf ... 8 ngf (0: none; -1: the configuration's)");
    add("depth", po::value(&depth)->default_value(depth), "levels (0: the configuration's)");
    add("sft-hidden", po::value(&sftHidden)->default_value(sftHidden),
        "channels of SFT's condition network (0: the configuration's)");
    add("fa-levels", po::value(&faLevels)->default_value(faLevels),
        "decoder levels with full attention (-1: the configuration's; depth - 1: every level of a U-Net, "
        "depth: of restore)");
}

ModelConfig ConfigOverrides::apply(const std::string& configName) const
{
    ModelConfig config;
    try {
        config = ModelConfig::named(configName);
    } catch (const cv::Exception& e) {
        throw po::error("--config: " + e.err);
    }
    if (ngf < 0 || depth < 0 || sftHidden < 0 || blocks < -1 || fullResBlocks < -1 || maxChannels < -1 ||
        faLevels < -1)
        throw po::error("--ngf, --depth, --sft-hidden >= 0; --blocks, --full-res-blocks, --max-channels, "
                        "--fa-levels >= -1");
    if (ngf > 0) config.ngf = ngf;
    if (blocks >= 0) config.blocks = blocks;
    if (fullResBlocks >= 0) config.fullResBlocks = fullResBlocks;
    if (maxChannels >= 0) config.maxChannels = maxChannels;
    if (depth > 0) config.depth = depth;
    if (sftHidden > 0) config.sftHidden = sftHidden;
    if (config.depth < 2 || config.depth > 10) throw po::error("--depth must be 2 ... 10");
    if ((blocks > 0 || fullResBlocks > 0 || maxChannels > 0) && !config.isRestore())
        throw po::error("--blocks, --full-res-blocks and --max-channels apply to --config restore only");
    if (faLevels >= 0) config.faLevels = std::min(faLevels, config.modulatedBlocks());
    try { // the model file's ranges, checked before anything is trained or built
        config.validate();
    } catch (const cv::Exception& e) {
        throw po::error(e.err);
    }
    return config;
}

std::string ConfigOverrides::describe(const ModelConfig& config)
{
    const int attentionLevels = config.fa ? std::min(config.faLevels, config.modulatedBlocks()) : 0;
    return cv::format("depth %d, ngf %d, blocks %d, sft_hidden %d, ", config.depth, config.ngf, config.blocks,
                      config.sftHidden) +
           (attentionLevels > 0 ? cv::format("FA on %d decoder levels", attentionLevels)
                                : std::string("FA off")) +
           (config.fullResBlocks > 0 ? cv::format(", %d full-resolution blocks", config.fullResBlocks) : "") +
           (config.maxChannels > 0 ? cv::format(", channels capped at %d", config.maxChannels) : "");
}

} // namespace apps
} // namespace desmooth
} // namespace cv
