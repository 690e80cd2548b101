// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// Writes a model file with seeded random weights: an untrained network costs what a trained one does, so
// benchmarks and tests of the tools need no training run.
//   desmooth_write_random_model --out FILE [--config lite|paper|restore|tiny] [--fa-levels N] [--seed S]

#include "command_line.hpp"
#include "random_model.hpp"

#include <iostream>

namespace po = boost::program_options;

int main(int argc, char** argv)
{
    std::string out, config = "lite";
    int faLevels = -1;
    uint64_t seed = 1;
    po::options_description options("desmooth_write_random_model: a model file with random weights");
    // One statement per option, so that each help text stays beside its option.
    po::options_description_easy_init add = options.add_options();
    add("help,h", "show this help");
    add("out", po::value(&out)->required(), "model file to write");
    add("config", po::value(&config)->default_value(config),
        "lite, paper, restore or tiny (depth 3, ngf 4: for fast tests)");
    add("fa-levels", po::value(&faLevels)->default_value(faLevels),
        "decoder blocks with full attention (-1: the config's own)");
    add("seed", po::value(&seed)->default_value(seed), "seed of the weights");
    const auto code = cv::desmooth::apps::parseCommandLine(
        argc, argv, "desmooth_write_random_model", options, [&](const po::variables_map&) {
            if (config != "lite" && config != "paper" && config != "restore" && config != "tiny")
                throw po::error("--config must be lite, paper, restore or tiny");
        });
    if (code) return *code;
    try {
        cv::desmooth::ModelConfig c =
            config == "tiny" ? opencv_test::tinyConfig() : cv::desmooth::ModelConfig::named(config);
        if (faLevels >= 0) c.faLevels = faLevels;
        cv::desmooth::writeModelFile(out, opencv_test::randomModel(c, seed));
        std::cout << "wrote " << out << " (" << c.name << ", FA at " << c.faLevels
                  << " levels, random weights)\n";
    } catch (const cv::Exception& e) {
        std::cerr << "desmooth_write_random_model: " << e.err << "\n";
        return 1;
    }
    return 0;
}
