// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// The four smoother kinds no model here trained on (Gaussian, median, rolling guidance, domain transform),
// and the box blur, against the OpenCV filters they run, their specs, bad parameters, and known-smoother
// recovery with them.

#include "test_precomp.hpp"

#include <opencv2/ximgproc/edge_filter.hpp>

#include <functional>

namespace opencv_test {
namespace {

using namespace cv;

// The OpenCV filter a kind runs, on float 0..255 as the Smoother runs it, rounded back to 8 bits.
Mat expectedOnFloat(const Mat& photo, const std::function<void(const Mat&, Mat&)>& filter)
{
    Mat in, out;
    photo.convertTo(in, CV_32F);
    filter(in, out);
    out.convertTo(out, CV_8U);
    return out;
}

TEST(Desmooth_UntrainedSmoothers, equal_the_opencv_filters)
{
    const Mat photo = readPhoto("path.jpg");
    // Each expected image is made outside EXPECT_EQ: OpenCV's bundled googletest takes sizeof of its
    // arguments, where a lambda is not allowed before C++20.
    const Mat blurred = expectedOnFloat(
        photo, [](const Mat& a, Mat& b) { cv::GaussianBlur(a, b, Size(), 2, 2, BORDER_REFLECT_101); });
    const Mat rolled = expectedOnFloat(
        photo, [](const Mat& a, Mat& b) { ximgproc::rollingGuidanceFilter(a, b, -1, 20, 2, 3); });
    const Mat transformed = expectedOnFloat(
        photo, [](const Mat& a, Mat& b) { ximgproc::dtFilter(a, a, b, 20, 30, ximgproc::DTF_RF, 3); });
    const Mat boxed = expectedOnFloat(
        photo, [](const Mat& a, Mat& b) { cv::blur(a, b, Size(4, 4), Point(-1, -1), BORDER_REFLECT_101); });
    Mat median;
    cv::medianBlur(photo, median, 7);

    Mat got;
    desmooth::Smoother::create("gaussian:sigma=2")->apply(photo, got);
    EXPECT_EQ(cv::norm(got, blurred, NORM_INF), 0);
    desmooth::Smoother::create("median:ksize=7")->apply(photo, got);
    EXPECT_EQ(cv::norm(got, median, NORM_INF), 0);
    desmooth::Smoother::create("rolling_guidance:sigma_color=20,sigma_space=2,iterations=3")
        ->apply(photo, got);
    EXPECT_EQ(cv::norm(got, rolled, NORM_INF), 0);
    desmooth::Smoother::create("domain_transform:sigma_s=20,sigma_r=30")->apply(photo, got);
    EXPECT_EQ(cv::norm(got, transformed, NORM_INF), 0);
    // The box blur (not among the untrained set the evaluator scores by default) is cv::blur.
    const Ptr<desmooth::Smoother> box = desmooth::Smoother::create("box:ksize=4");
    EXPECT_EQ(box->describe(), "box:ksize=4");
    EXPECT_EQ(desmooth::Smoother::createBox()->describe(), "box:ksize=5");
    box->apply(photo, got);
    EXPECT_EQ(cv::norm(got, boxed, NORM_INF), 0);
}

TEST(Desmooth_UntrainedSmoothers, smooth_keep_type_and_alpha_and_round_trip_their_specs)
{
    const Mat photo = readPhoto("path.jpg"), bgra = withStripedAlpha(photo);
    Mat photoF;
    photo.convertTo(photoF, CV_32F, 1.0 / 255);
    for (const char* spec : {"gaussian:sigma=1.5", "median:ksize=5",
                             "rolling_guidance:sigma_color=25,sigma_space=3,iterations=4",
                             "domain_transform:sigma_s=30,sigma_r=40"}) {
        SCOPED_TRACE(spec);
        const Ptr<desmooth::Smoother> smoother = desmooth::Smoother::create(spec);
        EXPECT_EQ(smoother->describe(), spec);
        EXPECT_EQ(desmooth::Smoother::create(smoother->describe())->describe(), spec);
        Mat out;
        smoother->apply(bgra, out);
        ASSERT_EQ(out.type(), CV_32FC4);
        std::vector<Mat> in, planes;
        cv::split(bgra, in);
        cv::split(out, planes);
        EXPECT_EQ(cv::norm(planes[3], in[3], NORM_INF), 0); // alpha passes through
        // A smoother: the result is smoother than the photo (less gradient energy) and still close to it.
        Mat colour, gradIn, gradOut;
        cv::merge(std::vector<Mat>(planes.begin(), planes.begin() + 3), colour);
        cv::Laplacian(photoF, gradIn, CV_32F);
        cv::Laplacian(colour, gradOut, CV_32F);
        EXPECT_LT(cv::norm(gradOut), 0.9 * cv::norm(gradIn));
        EXPECT_GT(cv::PSNR(colour, photoF, 1.0), 20);
    }
    EXPECT_EQ(desmooth::Smoother::create("median")->describe(), "median:ksize=5");
    EXPECT_EQ(desmooth::Smoother::createGaussian()->describe(), "gaussian:sigma=1.5");
}

TEST(Desmooth_UntrainedSmoothers, bad_parameters_are_clear_exceptions)
{
    for (const char* spec :
         {"gaussian:sigma=0", "gaussian:sigma=-1", "gaussian:radius=3", "median:ksize=4", "median:ksize=1",
          "median:ksize=5.5", "median:ksize=257", "rolling_guidance:sigma_color=0",
          "rolling_guidance:iterations=0", "rolling_guidance:iterations=2.5",
          "rolling_guidance:sigma_space=-3", "domain_transform:sigma_s=0", "domain_transform:sigma_r=-1",
          "box:ksize=1", "box:ksize=256", "box:ksize=3.5", "box:sigma=2"}) {
        SCOPED_TRACE(spec);
        EXPECT_THROW(desmooth::Smoother::create(spec), cv::Exception);
    }
}

TEST(Desmooth_UntrainedSmoothers, reverse_filtering_a_gaussian_blur_gains)
{
    // The known-smoother machinery takes the new kinds as it takes any: reversing a mild Gaussian blur with
    // the blur itself brings the photo closer.
    const Mat photo = readPhoto("path.jpg");
    const Ptr<desmooth::Smoother> blur = desmooth::Smoother::create("gaussian:sigma=1");
    Mat smoothed, reversed;
    blur->apply(photo, smoothed);
    desmooth::reverseFilter(smoothed, reversed, blur, 5);
    EXPECT_GT(cv::PSNR(reversed, photo), cv::PSNR(smoothed, photo) + 1.0);
}

} // namespace
} // namespace opencv_test
