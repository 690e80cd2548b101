// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "test_precomp.hpp"

#include <opencv2/quality/qualityssim.hpp>
#include <opencv2/ximgproc/edge_filter.hpp>

#include <limits>

namespace opencv_test {
namespace {

using namespace cv;

/** Wang et al.'s SSIM written out with plain loops in double: the Gaussian window normalised over 11x11,
 * biased (population) moments, averaged over the positions where the window fits, then over channels. */
double referenceSsim(const Mat& a8, const Mat& b8)
{
    const int radius = 5, channels = a8.channels();
    double window[11][11], total = 0;
    for (int y = -radius; y <= radius; ++y)
        for (int x = -radius; x <= radius; ++x)
            total += window[y + radius][x + radius] = std::exp(-(x * x + y * y) / (2 * 1.5 * 1.5));
    const double c1 = std::pow(0.01 * 255, 2), c2 = std::pow(0.03 * 255, 2);
    double sum = 0;
    long count = 0;
    for (int c = 0; c < channels; ++c)
        for (int y = radius; y < a8.rows - radius; ++y)
            for (int x = radius; x < a8.cols - radius; ++x) {
                double ma = 0, mb = 0, saa = 0, sbb = 0, sab = 0;
                for (int dy = -radius; dy <= radius; ++dy)
                    for (int dx = -radius; dx <= radius; ++dx) {
                        const double w = window[dy + radius][dx + radius] / total;
                        const double va = a8.ptr<uchar>(y + dy)[(x + dx) * channels + c];
                        const double vb = b8.ptr<uchar>(y + dy)[(x + dx) * channels + c];
                        ma += w * va;
                        mb += w * vb;
                        saa += w * va * va;
                        sbb += w * vb * vb;
                        sab += w * va * vb;
                    }
                const double va = saa - ma * ma, vb = sbb - mb * mb, cov = sab - ma * mb;
                sum += (2 * ma * mb + c1) * (2 * cov + c2) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
                ++count;
            }
    return sum / double(count);
}

Mat randomImage(Size size, int type, uint64 seed)
{
    Mat image(size, type);
    RNG rng(seed);
    rng.fill(image, RNG::UNIFORM, 0, 256);
    return image;
}

TEST(Desmooth_Metrics, psnr_is_pooled_over_channels_with_peak_255_at_every_depth)
{
    const Mat a(16, 16, CV_8UC3, Scalar(100, 100, 100));
    Mat b(16, 16, CV_8UC3, Scalar(100, 100, 100));
    b.colRange(0, 8).setTo(Scalar(120, 100, 100)); // squared error 400 on 1/6 of the values
    const double expected = 10 * std::log10(255.0 * 255.0 / (400.0 / 6.0));
    EXPECT_NEAR(desmooth::psnr(a, b), expected, 1e-9);
    EXPECT_NEAR(desmooth::psnr(a, b), cv::PSNR(a, b, 255), 1e-6); // OpenCV's pooled PSNR agrees
    Mat a16, bf;
    a.convertTo(a16, CV_16U, 257);
    b.convertTo(bf, CV_32F, 1.0 / 255);
    EXPECT_NEAR(desmooth::psnr(a16, bf), expected, 1e-4); // mixed depths, each on its own range
    EXPECT_EQ(desmooth::psnr(a, a), std::numeric_limits<double>::infinity());
}

TEST(Desmooth_Metrics, ssim_matches_a_plain_loop_reference_and_is_one_for_identical_images)
{
    const Mat photo = readPhoto("john.jpg")(Rect(40, 40, 37, 29)).clone();
    Mat noisy = photo.clone();
    cv::add(noisy, randomImage(photo.size(), CV_8UC3, 5) / 8, noisy);
    const double reference = referenceSsim(photo, noisy);
    EXPECT_NEAR(desmooth::ssim(photo, noisy), reference, 1e-4);
    EXPECT_LT(reference, 0.99);
    EXPECT_NEAR(desmooth::ssim(photo, photo), 1.0, 1e-9);
    Mat gray, grayNoisy;
    cv::cvtColor(photo, gray, COLOR_BGR2GRAY);
    cv::cvtColor(noisy, grayNoisy, COLOR_BGR2GRAY);
    EXPECT_NEAR(desmooth::ssim(gray, grayNoisy), referenceSsim(gray, grayNoisy), 1e-4);
}

TEST(Desmooth_Metrics, ssim_of_a_tall_image_is_the_whole_images_mean)
{
    // Taller than ssim()'s bands of rows (the last one partial): the mean over the valid region must be what
    // QualitySSIM gives for the whole image at once.
    const Mat photo = readPhoto("john.jpg");
    Mat tall;
    cv::resize(photo, tall, Size(48, 700), 0, 0, INTER_AREA);
    Mat noisy = tall.clone();
    cv::add(noisy, randomImage(tall.size(), CV_8UC3, 9) / 6, noisy);
    Mat x, y, map;
    tall.convertTo(x, CV_32F);
    noisy.convertTo(y, CV_32F);
    cv::quality::QualitySSIM::compute(x, y, map);
    const Scalar perChannel = cv::mean(map(Rect(5, 5, x.cols - 10, x.rows - 10)));
    const double whole = (perChannel[0] + perChannel[1] + perChannel[2]) / 3;
    EXPECT_LT(whole, 0.99);
    EXPECT_NEAR(desmooth::ssim(tall, noisy), whole, 1e-6);
}

TEST(Desmooth_Metrics, bad_inputs_throw_clear_exceptions)
{
    const Mat a(10, 10, CV_8UC3, Scalar::all(1)), b(12, 12, CV_8UC3, Scalar::all(1));
    EXPECT_THROW(desmooth::ssim(a, a), cv::Exception); // smaller than the 11x11 window
    EXPECT_THROW(desmooth::psnr(a, b), cv::Exception);
    EXPECT_THROW(desmooth::psnr(Mat(), a), cv::Exception);
    EXPECT_THROW(desmooth::psnr(Mat(10, 10, CV_8UC2), Mat(10, 10, CV_8UC2)), cv::Exception);
    Mat nan(12, 12, CV_32FC1, Scalar(std::numeric_limits<float>::quiet_NaN()));
    EXPECT_THROW(desmooth::psnr(nan, nan), cv::Exception);
}

TEST(Desmooth_Metrics, smooth_consistency_is_zero_for_the_photo_and_grows_with_added_detail)
{
    const Mat photo = readPhoto("butterfly.jpg");
    const Ptr<desmooth::Smoother> smoother = desmooth::Smoother::createL0();
    Mat smoothed;
    smoother->apply(photo, smoothed);
    // The photo itself is a perfect recovery: re-smoothing it gives the input back.
    EXPECT_LT(desmooth::smoothConsistency(photo, smoothed, smoother), 0.01);
    // Independent computation of Eq. 12 for a distorted recovery.
    Mat distorted = photo.clone();
    cv::add(distorted, randomImage(photo.size(), CV_8UC3, 9) / 4, distorted);
    Mat resmoothed, diff;
    desmooth::L0Smooth(distorted, resmoothed);
    cv::absdiff(resmoothed, smoothed, diff);
    diff.convertTo(diff, CV_64F);
    const double mse = cv::sum(diff.mul(diff))[0] + cv::sum(diff.mul(diff))[1] + cv::sum(diff.mul(diff))[2];
    const double sc = desmooth::smoothConsistency(distorted, smoothed, smoother);
    EXPECT_NEAR(sc, mse / double(photo.total() * 3), 1e-6 * sc);
    EXPECT_GT(sc, 1.0);
}

TEST(Desmooth_Smoother, specs_round_trip_and_bad_specs_throw)
{
    using desmooth::Smoother;
    for (const char* spec : {"l0:lambda=0.05,kappa=1.5", "l0:lambda=0.05,kappa=1.5,border=1",
                             "fgs:lambda=50,sigma=4", "bilateral:d=5,sigma_color=30,sigma_space=3"})
        EXPECT_EQ(Smoother::create(spec)->describe(), spec);
    EXPECT_EQ(Smoother::create("l0")->describe(), "l0:lambda=0.02,kappa=2");
    EXPECT_THROW(Smoother::create("sharpen"), cv::Exception);
    EXPECT_THROW(Smoother::create("bilateral:d=9.5"), cv::Exception); // whole numbers stay whole
    EXPECT_THROW(Smoother::create("l0:lambda"), cv::Exception);
    EXPECT_THROW(Smoother::create("l0:lambda=abc"), cv::Exception);
    EXPECT_THROW(Smoother::create("l0:lambda=0.02,sigma=3"), cv::Exception);
    EXPECT_THROW(Smoother::create("l0:lambda=-1"), cv::Exception);
    EXPECT_THROW(Smoother::create("bilateral:d=0"), cv::Exception);
    EXPECT_THROW(Smoother::create("l0:border=2"), cv::Exception);
    EXPECT_THROW(Smoother::create("l0:border=0.5"), cv::Exception);
}

// The spec a user of cv::ximgproc::l0Smooth gives known-smoother recovery: the same output on an 8-bit photo,
// but for values rounded the other way.
TEST(Desmooth_Smoother, l0_with_border_1_is_ximgproc_l0smooth)
{
    const Mat photo = readPhoto("john.jpg");
    Mat expected, got, circular;
    cv::ximgproc::l0Smooth(photo, expected, 0.02, 2.0);
    desmooth::Smoother::create("l0:lambda=0.02,kappa=2,border=1")->apply(photo, got);
    desmooth::Smoother::create("l0:lambda=0.02,kappa=2")->apply(photo, circular);
    ASSERT_EQ(got.type(), expected.type());
    EXPECT_LE(cv::norm(got, expected, NORM_INF), 1);
    EXPECT_GT(cv::PSNR(got, expected), 60);                // a value in a hundred or so rounded the other way
    EXPECT_GT(cv::norm(circular, expected, NORM_INF), 10); // the default border is another smoother
}

TEST(Desmooth_Smoother, fgs_and_bilateral_equal_the_opencv_filters_and_keep_type_and_alpha)
{
    const Mat photo = readPhoto("path.jpg");
    Mat photoF, expected, got;
    photo.convertTo(photoF, CV_32F);
    cv::ximgproc::fastGlobalSmootherFilter(photo, photoF, expected, 100, 5);
    expected.convertTo(expected, CV_8U);
    desmooth::Smoother::createFGS(100, 5)->apply(photo, got);
    EXPECT_EQ(cv::norm(got, expected, NORM_INF), 0);
    cv::bilateralFilter(photoF, expected, 9, 50, 5, BORDER_REFLECT_101);
    expected.convertTo(expected, CV_8U);
    desmooth::Smoother::createBilateral(9, 50, 5)->apply(photo, got);
    EXPECT_EQ(cv::norm(got, expected, NORM_INF), 0);

    // 16-bit stays 16-bit on the same scale; alpha passes through.
    Mat photo16, bgra16, out16;
    photo.convertTo(photo16, CV_16U, 257);
    cv::cvtColor(photo16, bgra16, COLOR_BGR2BGRA);
    bgra16.forEach<Vec4w>([](Vec4w& p, const int* pos) { p[3] = ushort(pos[1] * 100); });
    desmooth::Smoother::createBilateral(9, 50, 5)->apply(bgra16, out16);
    ASSERT_EQ(out16.type(), CV_16UC4);
    std::vector<Mat> planes;
    cv::split(out16, planes);
    std::vector<Mat> inPlanes;
    cv::split(bgra16, inPlanes);
    EXPECT_EQ(cv::norm(planes[3], inPlanes[3], NORM_INF), 0);
    Mat colour8;
    cv::merge(std::vector<Mat>(planes.begin(), planes.begin() + 3), colour8);
    colour8.convertTo(colour8, CV_8U, 1.0 / 257);
    EXPECT_LE(cv::norm(colour8, got, NORM_INF), 1);
}

TEST(Desmooth_Evaluator, a_perfect_recovery_scores_perfectly_and_lpips_is_nan_without_weights)
{
    const Mat photo = readPhoto("cat.jpg");
    Mat smoothed;
    desmooth::L0Smooth(photo, smoothed);
    const Ptr<desmooth::Evaluator> evaluator = desmooth::Evaluator::create();
    EXPECT_FALSE(evaluator->hasLpips());
    const desmooth::Scores perfect = evaluator->evaluate(photo, smoothed, photo);
    EXPECT_LT(perfect.sc, 0.01);
    EXPECT_NEAR(perfect.ssim, 1.0, 1e-9);
    EXPECT_EQ(perfect.psnr, std::numeric_limits<double>::infinity());
    EXPECT_TRUE(std::isnan(perfect.lpips));
    const desmooth::Scores identity = evaluator->evaluate(smoothed, smoothed, photo);
    EXPECT_NEAR(identity.psnr, desmooth::psnr(smoothed, photo), 1e-12);
    EXPECT_LT(identity.ssim, 1.0);
    EXPECT_GT(identity.sc, 0.0); // the smoothed input is not exactly L0's fixed point
    EXPECT_THROW(evaluator->evaluate(smoothed, smoothed, photo(Rect(0, 0, 100, 100))), cv::Exception);
}

} // namespace
} // namespace opencv_test
