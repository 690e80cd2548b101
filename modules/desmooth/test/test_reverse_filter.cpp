// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "test_precomp.hpp"

#include "misbehaving_smoothers.hpp"

#include <cmath>
#include <functional>
#include <stdexcept>

namespace opencv_test {
namespace {

using namespace cv;

const double kPi = 3.14159265358979323846;

/** A circular Gaussian blur done in the Fourier domain: a linear smoother whose transfer function
 * H(u, v) = exp(-2 pi^2 sigma^2 (u^2 / W^2 + v^2 / H^2)) is known exactly. */
class SpectralGaussian CV_FINAL : public desmooth::Smoother
{
public:
    explicit SpectralGaussian(double sigma) : sigma_(sigma) {}
    static double transfer(double sigma, double u, double v, Size size)
    {
        return std::exp(-2 * kPi * kPi * sigma * sigma *
                        (u * u / (size.width * size.width) + v * v / (size.height * size.height)));
    }
    void apply(InputArray _src, OutputArray dst) CV_OVERRIDE
    {
        const Mat src = _src.getMat();
        std::vector<Mat> planes;
        split(src, planes);
        for (Mat& plane : planes) {
            Mat spectrum;
            plane.convertTo(plane, CV_64F);
            dft(plane, spectrum, DFT_COMPLEX_OUTPUT);
            for (int y = 0; y < spectrum.rows; ++y)
                for (int x = 0; x < spectrum.cols; ++x) {
                    const double u = x <= spectrum.cols / 2 ? x : x - spectrum.cols;
                    const double v = y <= spectrum.rows / 2 ? y : y - spectrum.rows;
                    spectrum.at<Vec2d>(y, x) *= transfer(sigma_, u, v, src.size());
                }
            dft(spectrum, plane, DFT_INVERSE | DFT_SCALE | DFT_REAL_OUTPUT);
            plane.convertTo(plane, src.depth());
        }
        merge(planes, dst);
    }
    String describe() const CV_OVERRIDE { return format("spectral_gaussian:sigma=%g", sigma_); }

private:
    double sigma_;
};

/** One cosine of a band-limited test image: amplitude, integer frequencies (periodic on the grid), phase. */
struct Wave
{
    double amplitude;
    int u, v;
    double phase;
};

/** Sum of 0.5 and the waves, each scaled by gain(H of its frequency): gain 1 is the photo, gain H its blur.
 */
Mat waveImage(Size size, const std::vector<Wave>& waves, double sigma,
              const std::function<double(double)>& gain)
{
    Mat image(size, CV_64F, Scalar(0.5));
    for (const Wave& w : waves) {
        const double g = w.amplitude * gain(SpectralGaussian::transfer(sigma, w.u, w.v, size));
        for (int y = 0; y < size.height; ++y)
            for (int x = 0; x < size.width; ++x)
                image.at<double>(y, x) +=
                    g * std::cos(2 * kPi * (double(w.u) * x / size.width + double(w.v) * y / size.height) +
                                 w.phase);
    }
    return image;
}

const std::vector<Wave> kWaves{
    {0.12, 3, 1, 0.3}, {0.08, 7, -5, 1.1}, {0.06, 12, 9, 2.0}, {0.04, 2, 15, -0.7}};
const Size kSize(64, 48);
const double kSigma = 1.2;

// Per frequency the T-method is x_{k+1} = x_k + H (x_true - x_k) from x_0 = H x_true, so
// x_k = (1 - (1 - H)^(k+1)) x_true: the closed form the image-domain iteration must reproduce.
TEST(Desmooth_ReverseFilter, t_method_matches_the_closed_form_inverse_of_a_gaussian_blur)
{
    const Mat photo = waveImage(kSize, kWaves, kSigma, [](double) { return 1.0; });
    const Mat blurred = waveImage(kSize, kWaves, kSigma, [](double h) { return h; });
    Mat blurred32;
    blurred.convertTo(blurred32, CV_32F);
    const Ptr<desmooth::Smoother> smoother = makePtr<SpectralGaussian>(kSigma);
    for (int iterations : {1, 5, 20}) {
        Mat recovered;
        desmooth::reverseFilter(blurred32, recovered, smoother, iterations, desmooth::REVERSE_FILTER_T);
        ASSERT_EQ(recovered.type(), CV_32FC1);
        const Mat expected = waveImage(kSize, kWaves, kSigma, [iterations](double h) {
            return 1.0 - std::pow(1.0 - h, iterations + 1);
        });
        Mat recovered64;
        recovered.convertTo(recovered64, CV_64F);
        EXPECT_LT(cv::norm(recovered64, expected, NORM_INF), 1e-5) << iterations << " iterations";
    }
    // Enough iterations invert the blur on a band-limited image: the photo comes back.
    Mat recovered;
    desmooth::reverseFilter(blurred32, recovered, smoother, 200, desmooth::REVERSE_FILTER_T);
    EXPECT_GT(psnr(recovered, photo, 1.0), 60.0);
    EXPECT_LT(psnr(blurred32, photo, 1.0), 30.0); // 25.5 dB: the blur is strong
}

// The accelerated variants against the same per-frequency recurrences, run on scalars.
TEST(Desmooth_ReverseFilter, tda_and_nesterov_follow_their_recurrences_per_frequency)
{
    const Mat blurred = waveImage(kSize, kWaves, kSigma, [](double h) { return h; });
    Mat blurred32;
    blurred.convertTo(blurred32, CV_32F);
    const Ptr<desmooth::Smoother> smoother = makePtr<SpectralGaussian>(kSigma);
    const int iterations = 8;
    // Gains relative to the photo's wave: the input is H.
    const auto tda = [](double h) {
        double x = h;
        for (int k = 0; k < iterations; ++k)
            x += h * (h - h * x);
        return x;
    };
    const auto nesterov = [](double h) {
        double x = h, z = h;
        for (int k = 1; k <= iterations; ++k) {
            const double next = z + (h - h * z);
            z = next + double(k - 1) / (k + 2) * (next - x);
            x = next;
        }
        return x;
    };
    const std::vector<std::pair<int, std::function<double(double)>>> cases{
        {desmooth::REVERSE_FILTER_TDA, tda}, {desmooth::REVERSE_FILTER_T_NESTEROV, nesterov}};
    for (const auto& c : cases) {
        Mat recovered, recovered64;
        desmooth::reverseFilter(blurred32, recovered, smoother, iterations, c.first);
        recovered.convertTo(recovered64, CV_64F);
        EXPECT_LT(cv::norm(recovered64, waveImage(kSize, kWaves, kSigma, c.second), NORM_INF), 1e-5)
            << "method " << c.first;
    }
}

TEST(Desmooth_ReverseFilter, brings_detail_back_on_a_photo_and_keeps_type_and_alpha)
{
    const Mat photo = readPhoto("butterfly.jpg");
    ASSERT_FALSE(photo.empty());
    const Ptr<desmooth::Smoother> smoother =
        desmooth::Smoother::create("bilateral:d=9,sigma_color=50,sigma_space=5");
    Mat smoothed;
    smoother->apply(photo, smoothed);
    Mat recovered;
    desmooth::reverseFilter(smoothed, recovered, smoother);
    ASSERT_EQ(recovered.type(), photo.type());
    ASSERT_EQ(recovered.size(), photo.size());
    EXPECT_GT(desmooth::psnr(recovered, photo), desmooth::psnr(smoothed, photo) + 1.0);
    EXPECT_LT(desmooth::smoothConsistency(recovered, smoothed, smoother),
              desmooth::smoothConsistency(smoothed, smoothed, smoother));

    // Zero iterations and the "none" smoother both give the input back.
    Mat same;
    desmooth::reverseFilter(smoothed, same, smoother, 0);
    EXPECT_EQ(cv::norm(same, smoothed, NORM_INF), 0.0);
    desmooth::reverseFilter(smoothed, same, desmooth::Smoother::create("none"), 5);
    EXPECT_EQ(cv::norm(same, smoothed, NORM_INF), 0.0);

    // Alpha passes through; 16-bit input stays 16-bit.
    Mat bgra, recoveredBgra;
    cvtColor(smoothed, bgra, COLOR_BGR2BGRA);
    bgra.forEach<Vec4b>([](Vec4b& p, const int* position) { p[3] = uchar(position[1] % 256); });
    desmooth::reverseFilter(bgra, recoveredBgra, smoother, 2);
    Mat alphaIn, alphaOut;
    extractChannel(bgra, alphaIn, 3);
    extractChannel(recoveredBgra, alphaOut, 3);
    EXPECT_EQ(cv::norm(alphaIn, alphaOut, NORM_INF), 0.0);
    Mat smoothed16, recovered16;
    smoothed.convertTo(smoothed16, CV_16U, 257.0);
    desmooth::reverseFilter(smoothed16, recovered16, smoother, 2);
    EXPECT_EQ(recovered16.type(), CV_16UC3);
}

TEST(Desmooth_ReverseFilter, stops_where_an_8_bit_input_is_explained_to_within_its_rounding)
{
    const Mat whole = readPhoto("butterfly.jpg");
    ASSERT_FALSE(whole.empty());
    const Mat photo = whole(Rect(0, 0, std::min(whole.cols, 256), std::min(whole.rows, 256)));
    // The photo's own residual on 0..1: 8-bit rounding's variance, 1/12 of a step squared, per value.
    const double floor = double(photo.total() * 3) / 12 / (255.0 * 255.0);
    const int budget = 12;
    // TDA climbs slowly: a milder guided filter is one it explains within the budget.
    const std::pair<int, const char*> cases[] = {
        {desmooth::REVERSE_FILTER_T, "guided:radius=4,eps=400"},
        {desmooth::REVERSE_FILTER_T_NESTEROV, "guided:radius=4,eps=400"},
        {desmooth::REVERSE_FILTER_TDA, "guided:radius=2,eps=100"}};
    for (const auto& c : cases) {
        const int method = c.first;
        SCOPED_TRACE(cv::format("method %d, %s", method, c.second));
        const Ptr<desmooth::Smoother> smoother = desmooth::Smoother::create(c.second);
        Mat smoothed8, smoothed32;
        smoother->apply(photo, smoothed8); // rounded to 8 bits
        smoothed8.convertTo(smoothed32, CV_32F, 1.0 / 255);
        const auto residual = [&](const Mat& estimate32) {
            Mat resmoothed;
            smoother->apply(estimate32, resmoothed);
            return cv::norm(resmoothed, smoothed32, NORM_L2SQR);
        };
        Mat stopped, unstopped, stopped32;
        desmooth::reverseFilter(smoothed8, stopped, smoother, budget, method, true);
        desmooth::reverseFilter(smoothed8, unstopped, smoother, budget, method);
        // The same iterations on the float input (the same y, unrounded arithmetic): the first count whose
        // estimate is within the floor.
        int explainedAt = -1;
        for (int k = 0; k <= budget && explainedAt < 0; ++k) {
            Mat x32;
            desmooth::reverseFilter(smoothed32, x32, smoother, k, method);
            if (residual(x32) <= floor) explainedAt = k;
        }
        ASSERT_GT(explainedAt, 0) << "the input itself is not within its rounding";
        // Each explains the filter within a few iterations; what comes after only loses detail.
        EXPECT_LT(explainedAt, 8);
        if (method != desmooth::REVERSE_FILTER_T_NESTEROV) {
            // T and TDA stop on the estimate itself: the scheme's result at that count.
            Mat atCount;
            desmooth::reverseFilter(smoothed8, atCount, smoother, explainedAt, method);
            EXPECT_EQ(cv::norm(stopped, atCount, NORM_INF), 0.0) << "explained at " << explainedAt;
        }
        stopped.convertTo(stopped32, CV_32F, 1.0 / 255);
        EXPECT_LE(residual(stopped32), 2 * floor) << "(the result is rounded to 8 bits once more)";
        // Past it the T-method and its momentum amplify the rounding (TDA's gradient steps need not).
        if (method != desmooth::REVERSE_FILTER_TDA)
            EXPECT_GT(desmooth::psnr(stopped, photo), desmooth::psnr(unstopped, photo) + 1.0);
        // A float input has no rounding to stop at.
        Mat float32Stopped, float32Unstopped;
        desmooth::reverseFilter(smoothed32, float32Stopped, smoother, budget, method, true);
        desmooth::reverseFilter(smoothed32, float32Unstopped, smoother, budget, method);
        EXPECT_EQ(cv::norm(float32Stopped, float32Unstopped, NORM_INF), 0.0);
        // An alpha plane passes through every step and is never rounded away: the stop counts colour values
        // only, so it comes where it comes without alpha.
        Mat bgra8, bgraStopped, bgraColour;
        cvtColor(smoothed8, bgra8, COLOR_BGR2BGRA);
        desmooth::reverseFilter(bgra8, bgraStopped, smoother, budget, method, true);
        cvtColor(bgraStopped, bgraColour, COLOR_BGRA2BGR);
        EXPECT_EQ(cv::norm(bgraColour, stopped, NORM_INF), 0.0);
    }
}

TEST(Desmooth_ReverseFilter, bad_input_is_a_clear_exception)
{
    const Ptr<desmooth::Smoother> smoother = desmooth::Smoother::create("guided");
    const Mat image(32, 32, CV_8UC3, Scalar(10, 20, 30));
    Mat out;
    EXPECT_THROW(desmooth::reverseFilter(Mat(), out, smoother), cv::Exception);
    EXPECT_THROW(desmooth::reverseFilter(image, out, Ptr<desmooth::Smoother>()), cv::Exception);
    EXPECT_THROW(desmooth::reverseFilter(image, out, smoother, -1), cv::Exception);
    EXPECT_THROW(desmooth::reverseFilter(image, out, smoother, 3, 7), cv::Exception);
    EXPECT_THROW(desmooth::reverseFilter(Mat(8, 8, CV_64FC3, Scalar(0.5)), out, smoother), cv::Exception);
    EXPECT_THROW(desmooth::reverseFilter(image, out, makePtr<ThrowingSmoother>()), cv::Exception);
    EXPECT_THROW(desmooth::reverseFilter(image, out, makePtr<ShrinkingSmoother>()), cv::Exception);
    EXPECT_THROW(desmooth::Smoother::create("no_such_smoother"), cv::Exception);
    EXPECT_TRUE(out.empty()); // nothing half-written
}

} // namespace
} // namespace opencv_test
