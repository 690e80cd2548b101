// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// The one-line call: recovers a smoothed image with the bundled model, writes the recovery and input |
// recovered | photo side by side, and (given the photo) prints how much closer to it the recovery is. Given
// the smoother that made the input, it also recovers with it known (DeSmoother::recover with a Smoother) and
// shows that beside the blind recovery.
//   example_recover smoothed.png recovered.png [--photo=original.jpg] [--comparison=cmp.png]
//                   [--smoother=l0:lambda=0.02,kappa=2]
// Needs only OpenCV and the module (cv::CommandLineParser, as OpenCV's samples).

#include <opencv2/desmooth.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <iostream>

namespace {

cv::Mat labelled(const cv::Mat& image, const std::string& text)
{
    cv::Mat copy = image.clone();
    cv::putText(copy, text, cv::Point(8, 22), cv::FONT_HERSHEY_SIMPLEX, 0.6, cv::Scalar::all(0), 3,
                cv::LINE_AA);
    cv::putText(copy, text, cv::Point(8, 22), cv::FONT_HERSHEY_SIMPLEX, 0.6, cv::Scalar::all(255), 1,
                cv::LINE_AA);
    return copy;
}

} // namespace

int main(int argc, char** argv)
{
    const cv::String keys =
        "{help h     | | show this help}"
        "{@input     | | smoothed image}"
        "{@output    | | where to write the recovery}"
        "{photo      | | the original photo, to compare with}"
        "{comparison | | write the input, the recovery (and the one with the smoother known, and the photo) "
        "side by side here}"
        "{smoother   | | the smoother that made the input, if known (a Smoother::create spec): "
        "also recover with it}";
    cv::CommandLineParser parser(argc, argv, keys);
    parser.about("example_recover: recover a smoothed image with the bundled model");
    if (parser.has("help")) {
        parser.printMessage();
        return 0;
    }
    const std::string input = parser.get<std::string>("@input"), output = parser.get<std::string>("@output"),
                      photoPath = parser.get<std::string>("photo"),
                      comparison = parser.get<std::string>("comparison"),
                      smootherSpec = parser.get<std::string>("smoother");
    if (!parser.check() || input.empty() || output.empty()) {
        parser.printErrors();
        std::cerr
            << "usage: example_recover INPUT OUTPUT [--photo=PHOTO] [--comparison=FILE] [--smoother=SPEC]\n";
        return 2;
    }
    // A smoother spec that does not parse is a usage error, found before any work.
    cv::Ptr<cv::desmooth::Smoother> smoother;
    try {
        if (!smootherSpec.empty()) smoother = cv::desmooth::Smoother::create(smootherSpec);
    } catch (const cv::Exception& e) {
        std::cerr << "example_recover: --smoother: " << e.err << "\n";
        return 2;
    }
    try {
        const cv::Mat smoothed = cv::imread(input, cv::IMREAD_COLOR);
        if (smoothed.empty()) throw std::runtime_error("cannot read an image from '" + input + "'");
        cv::TickMeter timer;
        timer.start();
        cv::Mat recovered;
        cv::desmooth::recover(smoothed, recovered); // the bundled model, any size
        timer.stop();
        if (!cv::imwrite(output, recovered)) throw std::runtime_error("cannot write '" + output + "'");
        std::cout << "recovered " << input << " (" << smoothed.cols << "x" << smoothed.rows << ") in "
                  << cv::format("%.0f", timer.getTimeMilli())
                  << " ms (bundled model, first call includes loading it)"
                  << " -> " << output << "\n";
        std::vector<cv::Mat> panels{labelled(smoothed, "input (smoothed)"), labelled(recovered, "recovered")};
        cv::Mat known; // the recovery with the smoother known, when it is
        if (smoother) {
            cv::desmooth::DeSmoother::create()->recover(smoothed, known, smoother);
            panels.push_back(labelled(known, "recovered, smoother known"));
        }
        if (!photoPath.empty()) {
            const cv::Mat photo = cv::imread(photoPath, cv::IMREAD_COLOR);
            if (photo.empty()) throw std::runtime_error("cannot read an image from '" + photoPath + "'");
            if (photo.size() != smoothed.size())
                throw std::runtime_error("the photo and the input differ in size");
            std::cout << cv::format("PSNR to the photo: input %.2f dB, recovered %.2f dB; SSIM: input %.4f, "
                                    "recovered %.4f\n",
                                    cv::desmooth::psnr(smoothed, photo), cv::desmooth::psnr(recovered, photo),
                                    cv::desmooth::ssim(smoothed, photo),
                                    cv::desmooth::ssim(recovered, photo));
            if (!known.empty())
                std::cout << cv::format("with the smoother known (%s): recovered %.2f dB, SSIM %.4f\n",
                                        smootherSpec.c_str(), cv::desmooth::psnr(known, photo),
                                        cv::desmooth::ssim(known, photo));
            std::cout << cv::format(
                "BRISQUE (lower = more natural): input %.1f, recovered %.1f, photo %.1f\n",
                cv::desmooth::brisque(smoothed), cv::desmooth::brisque(recovered),
                cv::desmooth::brisque(photo));
            panels.push_back(labelled(photo, "photo"));
        }
        if (!comparison.empty()) {
            cv::Mat side;
            cv::hconcat(panels, side);
            if (!cv::imwrite(comparison, side)) throw std::runtime_error("cannot write '" + comparison + "'");
            std::cout << "comparison: " << comparison << "\n";
        }
    } catch (const cv::Exception& e) {
        std::cerr << "example_recover: " << e.err << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "example_recover: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
