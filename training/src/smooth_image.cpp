// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "smooth_image.hpp"

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <random>
#include <stdexcept>

namespace cv {
namespace desmooth {
namespace training {

cv::Mat drawSmoothImage(int side, uint64_t seed)
{
    if (side < 4) throw std::invalid_argument(cv::format("drawSmoothImage: side %d < 4", side));
    std::mt19937_64 rng(seed);
    auto uniform = [&rng](double low, double high) {
        return std::uniform_real_distribution<double>(low, high)(rng);
    };
    std::vector<cv::Mat> channels(3);
    for (cv::Mat& channel : channels) {
        const double angle = uniform(0, 2 * CV_PI), slope = uniform(0, 1.5), level = uniform(40, 215);
        const double fieldAmplitude = uniform(0, 40);
        cv::Mat grid(4, 4, CV_64F);
        for (int i = 0; i < grid.rows * grid.cols; ++i)
            grid.at<double>(i) = uniform(-1, 1) * fieldAmplitude;
        cv::Mat field;
        cv::resize(grid, field, cv::Size(side, side), 0, 0, cv::INTER_CUBIC);
        channel.create(side, side, CV_64F);
        const double dx = slope * std::cos(angle), dy = slope * std::sin(angle), centre = (side - 1) / 2.0;
        for (int y = 0; y < side; ++y)
            for (int x = 0; x < side; ++x)
                channel.at<double>(y, x) =
                    level + dx * (x - centre) + dy * (y - centre) + field.at<double>(y, x);
    }
    cv::Mat merged, image;
    cv::merge(channels, merged);
    merged.convertTo(image, CV_8U); // rounds and saturates to 0..255
    return image;
}

} // namespace training
} // namespace desmooth
} // namespace cv
