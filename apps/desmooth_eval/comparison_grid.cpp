// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "comparison_grid.hpp"

#include <opencv2/imgproc.hpp>

namespace cv {
namespace desmooth {
namespace apps {

namespace {

cv::Mat tile(const cv::Mat& image, int height, const std::string& label)
{
    cv::Mat bgr = image;
    if (bgr.depth() != CV_8U) bgr.convertTo(bgr, CV_8U, bgr.depth() == CV_16U ? 1.0 / 257 : 255.0);
    if (bgr.channels() == 1) cv::cvtColor(bgr, bgr, cv::COLOR_GRAY2BGR);
    if (bgr.channels() == 4) cv::cvtColor(bgr, bgr, cv::COLOR_BGRA2BGR);
    cv::Mat scaled;
    const int width = std::max(1, int(double(bgr.cols) * height / bgr.rows + 0.5));
    cv::resize(bgr, scaled, cv::Size(width, height), 0, 0, cv::INTER_AREA);
    const double fontScale = 0.45;
    int baseline = 0;
    const cv::Size text = cv::getTextSize(label, cv::FONT_HERSHEY_SIMPLEX, fontScale, 1, &baseline);
    cv::rectangle(scaled, cv::Rect(0, 0, std::min(width, text.width + 8), text.height + baseline + 6),
                  cv::Scalar::all(0), cv::FILLED);
    cv::putText(scaled, label, cv::Point(4, text.height + 3), cv::FONT_HERSHEY_SIMPLEX, fontScale,
                cv::Scalar::all(255), 1, cv::LINE_AA);
    return scaled;
}

cv::Mat errorMap(const cv::Mat& image, const cv::Mat& photo)
{
    cv::Mat a, b, difference, gray, colour;
    image.convertTo(a, CV_32F);
    photo.convertTo(b, CV_32F);
    cv::absdiff(a, b, difference);
    if (difference.channels() > 1) {
        cv::transform(difference, gray, cv::Matx13f(1.f / 3, 1.f / 3, 1.f / 3));
    } else {
        gray = difference;
    }
    gray.convertTo(gray, CV_8U, 4.0); // x4: the errors left after recovery are a few grey levels
    cv::applyColorMap(gray, colour, cv::COLORMAP_INFERNO);
    return colour;
}

} // namespace

cv::Mat comparisonGrid(const cv::Mat& smoothed,
                       const std::vector<std::pair<std::string, cv::Mat>>& recoveries, const cv::Mat& photo,
                       int tileHeight)
{
    std::vector<cv::Mat> top{tile(smoothed, tileHeight, "input (smoothed)")};
    std::vector<cv::Mat> bottom{tile(errorMap(smoothed, photo), tileHeight, "error x4")};
    for (const auto& recovery : recoveries) {
        top.push_back(tile(recovery.second, tileHeight, recovery.first));
        bottom.push_back(tile(errorMap(recovery.second, photo), tileHeight, "error x4"));
    }
    top.push_back(tile(photo, tileHeight, "photo"));
    bottom.push_back(cv::Mat(top.back().size(), CV_8UC3, cv::Scalar::all(0)));
    cv::Mat upper, lower, grid;
    cv::hconcat(top, upper);
    cv::hconcat(bottom, lower);
    cv::vconcat(upper, lower, grid);
    return grid;
}

} // namespace apps
} // namespace desmooth
} // namespace cv
