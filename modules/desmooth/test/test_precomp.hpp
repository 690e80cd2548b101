// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_TEST_PRECOMP_HPP
#define OPENCV_DESMOOTH_TEST_PRECOMP_HPP

// In OpenCV's tree the tests run on OpenCV's test framework and its bundled googletest, which has no
// GTEST_SKIP (linking the system's googletest there crashes); the standalone build uses the system's
// googletest.
#ifdef DESMOOTH_WITH_OPENCV_TS
#include <opencv2/ts.hpp>
#define DESMOOTH_SKIP_TEST(message) throw ::cvtest::SkipTestException(message)
#else
#include <gtest/gtest.h>
#define DESMOOTH_SKIP_TEST(message) GTEST_SKIP() << (message)
#endif

#include "data_path.hpp"

#include <opencv2/core.hpp>
#include <opencv2/desmooth.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdlib>
#include <string>
#include <vector>

namespace opencv_test {

//! Reads a committed test photo; fails the test where it is missing.
inline cv::Mat readPhoto(const std::string& name, int flags = cv::IMREAD_COLOR)
{
    cv::Mat photo = cv::imread(dataPath("photos/" + name), flags);
    if (photo.empty()) ADD_FAILURE() << "missing test photo data/photos/" << name;
    return photo;
}

/** An 8-bit BGR image as CV_32FC4 on 0..1, its alpha striped across the columns (0, 1/7, ..., 6/7): a
 * smoother must pass such an alpha through untouched, not smooth it. */
inline cv::Mat withStripedAlpha(const cv::Mat& bgr8)
{
    cv::Mat bgr, bgra;
    bgr8.convertTo(bgr, CV_32F, 1.0 / 255);
    cv::cvtColor(bgr, bgra, cv::COLOR_BGR2BGRA);
    bgra.forEach<cv::Vec4f>(
        [](cv::Vec4f& pixel, const int* position) { pixel[3] = float(position[1] % 7) / 7; });
    return bgra;
}

//! The image as it comes back from a JPEG file of that quality (OpenCV's encoder), gray or BGR as it was.
inline cv::Mat throughJpeg(const cv::Mat& image, int quality)
{
    std::vector<uchar> bytes;
    cv::imencode(".jpg", image, bytes, {cv::IMWRITE_JPEG_QUALITY, quality});
    return cv::imdecode(bytes, image.channels() == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
}

/** The bundled model's recover(input, "auto") is exactly its blind recovery, where the bundled classifier (if
 * any) names a smoother: the premise, as "auto" is blind anyway where it names none. */
inline void expectAutoRecoversBlind(const cv::Mat& input)
{
    if (cv::desmooth::haveBundledSmootherClassifier())
        ASSERT_NE(cv::desmooth::classifySmoother(input), "none") << "the premise";
    const cv::Ptr<cv::desmooth::DeSmoother> model = cv::desmooth::DeSmoother::create();
    cv::Mat blind, estimated;
    model->recover(input, blind);
    model->recover(input, estimated, "auto");
    EXPECT_EQ(cv::norm(estimated, blind, cv::NORM_INF), 0.0);
}

//! PSNR over all pixels and channels with the peak of the value range (1 for float images).
inline double psnr(const cv::Mat& a, const cv::Mat& b, double peak)
{
    cv::Mat da, db;
    a.convertTo(da, CV_64F);
    b.convertTo(db, CV_64F);
    const double mse = cv::norm(da, db, cv::NORM_L2SQR) / double(da.total() * da.channels());
    return mse == 0 ? 1000.0 : 10.0 * std::log10(peak * peak / mse);
}

} // namespace opencv_test

#endif
