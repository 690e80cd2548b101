// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_TRAINING_TEST_SMALL_CONFIG_HPP
#define DESMOOTH_TRAINING_TEST_SMALL_CONFIG_HPP

#include <opencv2/desmooth/model.hpp>

namespace desmooth {
namespace training {

//! A generator configuration small enough for fast tests: depth 3 (inputs of 8-pixel multiples), 4 channels
//! wide.
inline cv::desmooth::ModelConfig smallConfig(bool sft = true, bool fa = true, int faLevels = 2)
{
    cv::desmooth::ModelConfig config;
    config.depth = 3;
    config.ngf = 4;
    config.sftHidden = 6;
    config.mlpRatio = 2;
    config.faLevels = faLevels;
    config.sft = sft;
    config.fa = fa;
    return config;
}

} // namespace training
} // namespace desmooth

#endif
