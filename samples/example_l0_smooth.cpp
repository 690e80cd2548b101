// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// L0-smooths one image: the call that makes DeSmoothGAN's training inputs. Needs only OpenCV and the module.
//   example_l0_smooth photo.jpg smoothed.png [--lambda=0.02] [--kappa=2] [--border=circular]

#include <opencv2/core/utility.hpp>
#include <opencv2/desmooth.hpp>
#include <opencv2/imgcodecs.hpp>

#include <iostream>

int main(int argc, char** argv)
{
    const cv::String keys =
        "{help h   |          | show this help}"
        "{@input   |          | image to smooth (any format OpenCV reads; 8 or 16 bit)}"
        "{@output  |          | where to write the smoothed image}"
        "{lambda   | 0.02     | weight of the gradient count (> 0); larger is flatter}"
        "{kappa    | 2.0      | growth of beta per iteration (> 1)}"
        "{border   | circular | circular (Xu et al.) or replicate (cv::ximgproc::l0Smooth's output)}";
    cv::CommandLineParser parser(argc, argv, keys);
    parser.about("example_l0_smooth: L0 gradient-minimisation smoothing of one image");
    if (parser.has("help")) {
        parser.printMessage();
        return 0;
    }
    const std::string input = parser.get<std::string>("@input"), output = parser.get<std::string>("@output"),
                      border = parser.get<std::string>("border");
    const double lambda = parser.get<double>("lambda"), kappa = parser.get<double>("kappa");
    if (!parser.check() || input.empty() || output.empty() ||
        (border != "circular" && border != "replicate")) {
        parser.printErrors();
        std::cerr << "usage: example_l0_smooth INPUT OUTPUT [--lambda=L] [--kappa=K] "
                     "[--border=circular|replicate]\n";
        return 2;
    }

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
