// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// Width and depth overrides of a named model configuration (--ngf, --blocks, --depth, --sft-hidden,
// --fa-levels): how the trainer and the benchmarks try variants of one architecture side by side.

#ifndef DESMOOTH_APPS_CONFIG_OVERRIDES_HPP
#define DESMOOTH_APPS_CONFIG_OVERRIDES_HPP

#include <opencv2/desmooth/model.hpp>

#include <boost/program_options.hpp>

#include <string>

namespace cv {
namespace desmooth {
namespace apps {

struct ConfigOverrides
{
    int ngf = 0, blocks = -1, fullResBlocks = -1, maxChannels = -1, depth = 0, sftHidden = 0,
        faLevels = -1; // 0 / -1: the configuration's

    //! Adds the seven options, bound to the fields above.
    void addOptions(boost::program_options::options_description_easy_init& add);

    /** The named configuration with the overrides applied; throws po::error for an unknown name or a
     * value the architecture cannot take. */
    ModelConfig apply(const std::string& configName) const;

    /** "depth 3, ngf 12, blocks 1, sft_hidden 8, FA on 1 decoder levels" ("FA off" without attention; and
     * ", 1 full-resolution blocks", ", channels capped at 48" where there are any): the generator's shape, as
     * a run, a benchmark row and `desmooth --info` name it. */
    static std::string describe(const ModelConfig& config);
};

} // namespace apps
} // namespace desmooth
} // namespace cv

#endif
