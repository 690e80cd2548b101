// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "other_smoothing.hpp"

#include "random_smoother.hpp"

#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>
#include <opencv2/ximgproc.hpp>

#include <stdexcept>

namespace cv {
namespace desmooth {
namespace training {

namespace {

int oddBetween(int low, int high, std::mt19937_64& rng)
{
    return 2 * std::uniform_int_distribution<int>(low / 2, high / 2)(rng) + 1;
}

} // namespace

const std::vector<std::string>& otherSmoothingKinds()
{
    static const std::vector<std::string> kinds{
        "box",      "resample",   "adaptive_manifold",       "diffusion",
        "nl_means", "mean_shift", "ximgproc_edge_preserving"};
    return kinds;
}

std::string otherSmoothing(const cv::Mat& image, cv::Mat& smoothed, std::mt19937_64& rng)
{
    if (image.type() != CV_8UC3) throw std::invalid_argument("otherSmoothing takes CV_8UC3 images");
    const std::vector<std::string>& kinds = otherSmoothingKinds();
    const std::string kind = kinds[std::uniform_int_distribution<size_t>(0, kinds.size() - 1)(rng)];
    if (kind == "box") {
        const int k = oddBetween(3, 9, rng);
        cv::blur(image, smoothed, cv::Size(k, k));
        return cv::format("box:ksize=%d", k);
    }
    if (kind == "resample") {
        const double factor = logUniform(1.5, 4, rng);
        cv::Mat small;
        cv::resize(image, small, cv::Size(), 1 / factor, 1 / factor, cv::INTER_AREA);
        cv::resize(small, smoothed, image.size(), 0, 0, cv::INTER_CUBIC);
        return cv::format("resample:factor=%.3g", factor);
    }
    if (kind == "adaptive_manifold") {
        const double sigmaS = logUniform(4, 32, rng), sigmaR = logUniform(0.05, 0.5, rng);
        const cv::Ptr<cv::ximgproc::AdaptiveManifoldFilter> filter =
            cv::ximgproc::createAMFilter(sigmaS, sigmaR, false);
        filter->setUseRNG(false); // the same draw gives the same image
        filter->filter(image, smoothed, image);
        return cv::format("adaptive_manifold:sigma_s=%.3g,sigma_r=%.3g", sigmaS, sigmaR);
    }
    if (kind == "diffusion") {
        const float alpha = float(logUniform(0.05, 0.2, rng)), k = float(logUniform(5, 40, rng));
        const int iterations = std::uniform_int_distribution<int>(3, 20)(rng);
        cv::ximgproc::anisotropicDiffusion(image, smoothed, alpha, k, iterations);
        return cv::format("diffusion:alpha=%.3g,k=%.3g,iterations=%d", alpha, k, iterations);
    }
    if (kind == "nl_means") {
        const float h = float(logUniform(3, 15, rng));
        cv::fastNlMeansDenoisingColored(image, smoothed, h, h);
        return cv::format("nl_means:h=%.3g", h);
    }
    if (kind == "mean_shift") {
        const double sp = logUniform(4, 16, rng), sr = logUniform(10, 40, rng);
        cv::pyrMeanShiftFiltering(image, smoothed, sp, sr);
        return cv::format("mean_shift:sp=%.3g,sr=%.3g", sp, sr);
    }
    const int d = oddBetween(3, 9, rng);
    const double threshold = logUniform(5, 40, rng);
    cv::ximgproc::edgePreservingFilter(image, smoothed, d, threshold);
    return cv::format("ximgproc_edge_preserving:d=%d,threshold=%.3g", d, threshold);
}

} // namespace training
} // namespace desmooth
} // namespace cv
