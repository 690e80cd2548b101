// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// Writes valid minimal model files in every FileStorage text encoding: the fuzzer's seed corpus.
//   write_seed_models DIR

#include "random_model.hpp"

#include <cstdio>

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: write_seed_models DIR\n");
        return 2;
    }
    cv::desmooth::ModelConfig config;
    config.depth = 2;
    config.ngf = 1;
    config.sftHidden = 1;
    config.faLevels = 1;
    config.mlpRatio = 1;
    const cv::desmooth::Model model = opencv_test::randomModel(config, 1);
    for (const char* extension : {".yml", ".json", ".xml"})
        cv::desmooth::writeModelFile(std::string(argv[1]) + "/seed" + extension, model);
    return 0;
}
