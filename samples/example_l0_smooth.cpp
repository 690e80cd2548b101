// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// L0-smooths one image: the call that makes DeSmoothGAN's training inputs.
//   example_l0_smooth --input photo.jpg --output smoothed.png [--lambda 0.02] [--kappa 2] [--border circular]

#include "command_line.hpp"

#include <opencv2/core/utility.hpp>
#include <opencv2/desmooth.hpp>
#include <opencv2/imgcodecs.hpp>

#include <iostream>

namespace po = boost::program_options;

int main(int argc, char** argv)
{
    std::string input, output, border;
    double lambda = 0.02, kappa = 2.0;
    po::options_description options("example_l0_smooth: L0 gradient-minimisation smoothing of one image");
    // One statement per option, so that each help text stays beside its option.
    po::options_description_easy_init add = options.add_options();
    add("help,h", "show this help");
    add("input,i", po::value(&input)->required(), "image to smooth (any format OpenCV reads; 8 or 16 bit)");
    add("output,o", po::value(&output)->required(), "where to write the smoothed image");
    add("lambda", po::value(&lambda)->default_value(lambda),
        "weight of the gradient count (> 0); larger is flatter");
    add("kappa", po::value(&kappa)->default_value(kappa), "growth of beta per iteration (> 1)");
    add("border", po::value(&border)->default_value("circular"),
        "circular (Xu et al., the default) or replicate (cv::ximgproc::l0Smooth's output)");
    const auto code = desmooth_apps::parseCommandLine(
        argc, argv, "example_l0_smooth", options, [&](const po::variables_map&) {
            if (border != "circular" && border != "replicate")
                throw po::error("--border must be circular or replicate, not '" + border + "'");
        });
    if (code) return *code;

    const cv::Mat image = cv::imread(input, cv::IMREAD_UNCHANGED);
    if (image.empty()) {
        std::cerr << "example_l0_smooth: cannot read an image from '" << input << "'\n";
        return 1;
    }
    try {
        cv::Mat smoothed;
        const int64 start = cv::getTickCount();
        cv::desmooth::L0Smooth(image, smoothed, lambda, kappa,
                               border == "circular" ? cv::desmooth::L0_BORDER_CIRCULAR
                                                    : cv::desmooth::L0_BORDER_REPLICATE);
        const double ms = 1000.0 * double(cv::getTickCount() - start) / cv::getTickFrequency();
        if (!cv::imwrite(output, smoothed)) {
            std::cerr << "example_l0_smooth: cannot write '" << output << "'\n";
            return 1;
        }
        std::cout << "L0-smoothed " << input << " (" << image.cols << "x" << image.rows << ", "
                  << image.channels() << " channels) in " << cv::format("%.0f", ms) << " ms -> " << output
                  << "\n";
    } catch (const cv::Exception& e) {
        std::cerr << "example_l0_smooth: " << e.err << "\n";
        return 1;
    }
    return 0;
}
