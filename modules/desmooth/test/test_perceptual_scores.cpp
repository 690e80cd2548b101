// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// GMSD, BRISQUE and the detail ratio against the OpenCV functions they wrap and values worked by hand; the
// guided and edge-preserving smoothers against the OpenCV filters they run.

#include "test_precomp.hpp"

#include <opencv2/photo.hpp>
#include <opencv2/quality/qualitybrisque.hpp>
#include <opencv2/quality/qualitygmsd.hpp>
#include <opencv2/ximgproc/edge_filter.hpp>

#include <cstdlib>
#include <limits>

namespace opencv_test {
namespace {

using namespace cv;

TEST(Desmooth_PerceptualScores, gmsd_is_quality_gmsd_averaged_over_channels_and_zero_for_the_photo)
{
    const Mat photo = readPhoto("butterfly.jpg");
    Mat smoothed;
    desmooth::L0Smooth(photo, smoothed);
    Mat photoF, smoothedF;
    photo.convertTo(photoF, CV_32F);
    smoothed.convertTo(smoothedF, CV_32F);
    const Scalar perChannel = quality::QualityGMSD::compute(photoF, smoothedF, noArray());
    const double expected = (perChannel[0] + perChannel[1] + perChannel[2]) / 3;
    EXPECT_NEAR(desmooth::gmsd(smoothed, photo), expected, 1e-9);
    EXPECT_GT(expected, 0.01); // L0 moves structure
    EXPECT_NEAR(desmooth::gmsd(photo, photo), 0.0, 1e-9);
    // The scale of the inputs does not matter: 16-bit and float images score as their 8-bit versions.
    Mat smoothed16, photoUnit;
    smoothed.convertTo(smoothed16, CV_16U, 257);
    photo.convertTo(photoUnit, CV_32F, 1.0 / 255);
    EXPECT_NEAR(desmooth::gmsd(smoothed16, photoUnit), expected, 1e-5);
    EXPECT_THROW(desmooth::gmsd(smoothed, photo(Rect(0, 0, 100, 100))), cv::Exception);
}

TEST(Desmooth_PerceptualScores,
     brisque_is_quality_brisque_with_the_live_model_and_ranks_smoothing_as_unnatural)
{
    const std::string folder = "/usr/share/opencv4/quality";
    const Mat photo = readPhoto("butterfly.jpg");
    const double expected = quality::QualityBRISQUE::compute(photo, folder + "/brisque_model_live.yml",
                                                             folder + "/brisque_range_live.yml")[0];
    EXPECT_NEAR(desmooth::brisque(photo), expected, 1e-9);
    Mat smoothed;
    desmooth::L0Smooth(photo, smoothed);
    EXPECT_GT(desmooth::brisque(smoothed), desmooth::brisque(photo) + 10) << "smoothing looks unnatural";
    Mat photo16;
    photo.convertTo(photo16, CV_16U, 257);
    EXPECT_NEAR(desmooth::brisque(photo16), expected, 1e-9);
}

TEST(Desmooth_PerceptualScores, brisque_without_its_model_files_is_a_clear_error)
{
    ::setenv("OPENCV_DESMOOTH_BRISQUE_DIR", "/nonexistent/quality", 1);
    try {
        desmooth::brisque(readPhoto("cat.jpg"));
        ADD_FAILURE() << "no exception";
    } catch (const cv::Exception& e) {
        EXPECT_NE(e.err.find("opencv-data"), std::string::npos) << e.err;
        EXPECT_NE(e.err.find("/nonexistent/quality/brisque_model_live.yml"), std::string::npos) << e.err;
    }
    // The Evaluator's other scores do not need BRISQUE's files: it reports NaN for it, as for LPIPS without
    // weights.
    const Mat photo = readPhoto("cat.jpg");
    const Ptr<desmooth::Evaluator> evaluator = desmooth::Evaluator::create();
    const desmooth::Scores scores = evaluator->evaluate(photo, photo, photo);
    EXPECT_TRUE(std::isnan(scores.brisque));
    EXPECT_TRUE(std::isnan(evaluator->brisqueOf(photo)));
    EXPECT_EQ(scores.psnr, std::numeric_limits<double>::infinity());
    ::unsetenv("OPENCV_DESMOOTH_BRISQUE_DIR");
    EXPECT_GT(desmooth::brisque(photo), 0.0);
    EXPECT_EQ(evaluator->brisqueOf(photo), desmooth::brisque(photo));
}

TEST(Desmooth_PerceptualScores, evaluator_scores_what_a_small_image_allows_and_the_rest_is_nan)
{
    // SSIM needs 11x11 (its window), BRISQUE 16x16, GMSD 2x2; each alone says so with an exception, the
    // Evaluator scores the rest.
    const Mat photo = readPhoto("cat.jpg");
    const Ptr<desmooth::Evaluator> evaluator = desmooth::Evaluator::create();
    for (const Size size : {Size(15, 40), Size(10, 10), Size(1, 1)}) {
        const Mat small = photo(Rect(Point(60, 60), size)).clone();
        Mat smoothed;
        desmooth::L0Smooth(small, smoothed);
        const desmooth::Scores scores = evaluator->evaluate(smoothed, smoothed, small);
        EXPECT_EQ(scores.sc, desmooth::smoothConsistency(smoothed, smoothed, evaluator->getSmoother()))
            << size;
        EXPECT_EQ(scores.psnr, desmooth::psnr(smoothed, small)) << size;
        EXPECT_EQ(scores.detail, desmooth::detailRatio(smoothed, small)) << size;
        EXPECT_TRUE(std::isnan(scores.brisque)) << size;
        EXPECT_TRUE(std::isnan(evaluator->brisqueOf(small))) << size;
        EXPECT_THROW(desmooth::brisque(small), cv::Exception);
        if (size.width >= 11 && size.height >= 11)
            EXPECT_EQ(scores.ssim, desmooth::ssim(smoothed, small)) << size;
        else
            EXPECT_TRUE(std::isnan(scores.ssim)) << size;
        if (size.width >= 2 && size.height >= 2)
            EXPECT_EQ(scores.gmsd, desmooth::gmsd(smoothed, small)) << size;
        else
            EXPECT_TRUE(std::isnan(scores.gmsd)) << size;
    }
    // Images that differ in shape are still an error, whatever their size.
    EXPECT_THROW(evaluator->evaluate(Mat(4, 4, CV_8UC3), Mat(4, 4, CV_8UC3), Mat(5, 4, CV_8UC3)),
                 cv::Exception);
}

TEST(Desmooth_PerceptualScores, detail_ratio_worked_by_hand)
{
    // A flat image has no detail: the ratio is 1 against another flat image, infinite against nothing.
    const Mat flat(32, 32, CV_8UC3, Scalar::all(100)), flat2(32, 32, CV_8UC3, Scalar::all(30));
    EXPECT_EQ(desmooth::detailRatio(flat, flat2), 1.0);
    Mat dots = flat.clone();
    dots.at<Vec3b>(10, 10) = Vec3b(255, 255, 255);
    EXPECT_EQ(desmooth::detailRatio(dots, flat), std::numeric_limits<double>::infinity());
    EXPECT_EQ(desmooth::detailRatio(flat, dots), 0.0);
    // The high-pass of a gray image g is g - GaussianBlur(g, sigma 1.5): scaling g's contrast about its mean
    // by k scales the high-pass by k and the energy by k^2.
    const Mat photo = readPhoto("cat.jpg");
    Mat gray, stronger;
    cvtColor(photo, gray, COLOR_BGR2GRAY);
    gray.convertTo(gray, CV_32F, 1.0 / 255 * 0.5, 0.25); // 0.25..0.75: room for twice the contrast
    gray.convertTo(stronger, CV_32F, 2.0, -0.5);
    EXPECT_NEAR(desmooth::detailRatio(stronger, gray), 4.0, 1e-4);
    EXPECT_NEAR(desmooth::detailRatio(gray, gray), 1.0, 1e-12);
    // Smoothing removes detail.
    Mat smoothed;
    desmooth::L0Smooth(photo, smoothed);
    EXPECT_LT(desmooth::detailRatio(smoothed, photo), 0.7);
}

TEST(Desmooth_PerceptualScores, evaluator_reports_the_three_new_scores)
{
    const Mat photo = readPhoto("john.jpg");
    Mat smoothed;
    desmooth::L0Smooth(photo, smoothed);
    const desmooth::Scores scores = desmooth::Evaluator::create()->evaluate(smoothed, smoothed, photo);
    EXPECT_DOUBLE_EQ(scores.gmsd, desmooth::gmsd(smoothed, photo));
    EXPECT_DOUBLE_EQ(scores.brisque, desmooth::brisque(smoothed));
    EXPECT_DOUBLE_EQ(scores.detail, desmooth::detailRatio(smoothed, photo));
}

TEST(Desmooth_Smoother, guided_and_edge_preserving_equal_the_opencv_filters)
{
    const Mat photo = readPhoto("path.jpg");
    Mat photoF, expected, got;
    photo.convertTo(photoF, CV_32F);
    ximgproc::guidedFilter(photoF, photoF, expected, 4, 400);
    expected.convertTo(expected, CV_8U);
    const Ptr<desmooth::Smoother> guided = desmooth::Smoother::create("guided:radius=4,eps=400");
    guided->apply(photo, got);
    EXPECT_EQ(cv::norm(got, expected, NORM_INF), 0);
    EXPECT_EQ(guided->describe(), "guided:radius=4,eps=400");
    // A tall image is filtered in bands of rows (bounded memory): the whole image's result, to float
    // rounding.
    Mat tall, tallOut;
    vconcat(std::vector<Mat>{photoF, photoF, photoF}, tall);
    ximgproc::guidedFilter(tall, tall, expected, 8, 100);
    desmooth::Smoother::create("guided:radius=8,eps=100")->apply(tall / 255, tallOut);
    ASSERT_EQ(tallOut.size(), tall.size());
    EXPECT_LT(cv::norm(tallOut * 255, expected, NORM_INF), 0.01) << "grey levels";

    edgePreservingFilter(photo, expected, RECURS_FILTER, 60.f, 0.4f);
    const Ptr<desmooth::Smoother> recursive =
        desmooth::Smoother::create("edge_preserving:sigma_s=60,sigma_r=0.4");
    recursive->apply(photo, got);
    EXPECT_EQ(cv::norm(got, expected, NORM_INF), 0);
    EXPECT_EQ(recursive->describe(), "edge_preserving:sigma_s=60,sigma_r=0.4");
    // Gray in, gray out (through BGR).
    Mat gray, grayOut;
    cvtColor(photo, gray, COLOR_BGR2GRAY);
    recursive->apply(gray, grayOut);
    EXPECT_EQ(grayOut.type(), CV_8UC1);
    EXPECT_EQ(grayOut.size(), gray.size());

    const Ptr<desmooth::Smoother> none = desmooth::Smoother::create("none");
    none->apply(photo, got);
    EXPECT_EQ(cv::norm(got, photo, NORM_INF), 0);
    EXPECT_EQ(none->describe(), "none");
    EXPECT_THROW(desmooth::Smoother::create("none:strength=1"), cv::Exception);

    EXPECT_THROW(desmooth::Smoother::create("guided:radius=0"), cv::Exception);
    EXPECT_THROW(desmooth::Smoother::create("guided:eps=-1"), cv::Exception);
    EXPECT_THROW(desmooth::Smoother::create("edge_preserving:sigma_r=2"), cv::Exception);
}

} // namespace
} // namespace opencv_test
