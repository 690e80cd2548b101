// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// desmooth_join_ends: puts a fidelity-end and a detail-end model file (two runs of desmooth_train, the detail
// run started from the fidelity run's weights) into one model file with the fidelity-detail control
// (docs/design.md, "Model file"). Run with --help for the options.

#include "command_line.hpp"

#include <opencv2/desmooth.hpp>

#include <iostream>

namespace po = boost::program_options;

int main(int argc, char** argv)
{
    std::string fidelity, detail, out;
    double defaultDetail = 0;
    bool float16 = false;
    po::options_description options(
        "desmooth_join_ends: one model file holding a fidelity end and a detail end");
    options.add_options()("help,h", "show this help");
    options.add_options()("fidelity", po::value(&fidelity)->required(), "model file of the fidelity end");
    options.add_options()("detail", po::value(&detail)->required(), "model file of the detail end");
    options.add_options()("default-detail", po::value(&defaultDetail)->default_value(defaultDetail),
                          "the setting a DeSmoother starts with, 0 (fidelity) .. 1 (detail)");
    options.add_options()("out", po::value(&out)->required(), "the joined model file (.yml.gz)");
    options.add_options()("float16", po::bool_switch(&float16),
                          "store the weights as float16 (format version 3): half the file, weights rounded");
    const auto code = cv::desmooth::apps::parseCommandLine(
        argc, argv, "desmooth_join_ends", options, [&](const po::variables_map&) {
            if (!(defaultDetail >= 0 && defaultDetail <= 1))
                throw po::error("--default-detail must be in [0, 1]");
        });
    if (code) return *code;
    return cv::desmooth::apps::runReportingErrors("desmooth_join_ends", [&] {
        cv::desmooth::Model joined = cv::desmooth::readModelFile(fidelity);
        const cv::desmooth::Model detailEnd = cv::desmooth::readModelFile(detail);
        if (!joined.detailWeights.empty() || !detailEnd.detailWeights.empty())
            throw std::runtime_error("both inputs must be models with one end");
        const cv::desmooth::ModelConfig &a = joined.config, &b = detailEnd.config;
        // The same architecture with the same tensors (every width, level and block count shows in them).
        if (a.architecture != b.architecture || a.residual != b.residual ||
            cv::desmooth::modelWeightShapes(a) != cv::desmooth::modelWeightShapes(b))
            throw std::runtime_error("the two ends have different network configurations: they cannot be "
                                     "interpolated");
        joined.detailWeights = detailEnd.weights;
        joined.defaultDetail = defaultDetail;
        for (const auto& entry : detailEnd.train)
            joined.train["detail_" + entry.first] = entry.second;
        cv::desmooth::writeModelFile(out, joined, float16 ? CV_16F : CV_32F);
        std::cout << "joined model written to " << out << " (default detail " << defaultDetail
                  << (float16 ? ", float16" : "") << ")\n";
        return 0;
    });
}
