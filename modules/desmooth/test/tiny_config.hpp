// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_TEST_TINY_CONFIG_HPP
#define OPENCV_DESMOOTH_TEST_TINY_CONFIG_HPP

#include <opencv2/desmooth/model.hpp>

namespace opencv_test {

/** The tests' generator, for the module's and the trainer's alike: depth 3 (inputs of 8-pixel multiples), 4
channels wide, SFT and FA on, FA at `faLevels` levels: every code path in milliseconds. */
inline cv::desmooth::ModelConfig tinyConfig(bool sft = true, bool fa = true, int faLevels = 2)
{
    cv::desmooth::ModelConfig config;
    config.name = "tiny";
    config.depth = 3;
    config.ngf = 4;
    config.sftHidden = 6;
    config.faLevels = faLevels;
    config.mlpRatio = 2;
    config.sft = sft;
    config.fa = fa;
    return config;
}

/** The restore architecture at test size: 3 levels (inputs of 4-pixel multiples), 4 channels wide, one
residual block per level and side, SFT everywhere, FA on the `faLevels` coarsest levels. */
inline cv::desmooth::ModelConfig tinyRestoreConfig(int faLevels = 1)
{
    cv::desmooth::ModelConfig config = cv::desmooth::ModelConfig::restore();
    config.name = "tiny_restore";
    config.depth = 3;
    config.ngf = 4;
    config.blocks = 1;
    config.sftHidden = 6;
    config.faLevels = faLevels;
    config.mlpRatio = 2;
    return config;
}

} // namespace opencv_test

#endif
