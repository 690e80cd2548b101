// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "test_precomp.hpp"

#include "l0_reference.hpp"

#include <opencv2/ximgproc.hpp>

#include <thread>

namespace opencv_test {
namespace {

using namespace cv;
using namespace cv::desmooth;

//! Piecewise-constant blocks plus a ramp and noise: strong and weak edges, so the hard threshold has work to
//! do.
Mat syntheticImage(int rows, int cols, int cn, uint64 seed)
{
    RNG rng(seed);
    Mat image(rows, cols, CV_64FC(cn));
    std::vector<double> blockValue(16 * cn);
    for (double& value : blockValue)
        value = rng.uniform(0.0, 1.0);
    for (int y = 0; y < rows; ++y)
        for (int x = 0; x < cols; ++x)
            for (int c = 0; c < cn; ++c) {
                const int block = (y * 4 / rows) * 4 + x * 4 / cols;
                image.ptr<double>(y)[x * cn + c] =
                    0.7 * blockValue[block * cn + c] + 0.2 * x / cols + rng.gaussian(0.03);
            }
    return image;
}

std::vector<int> fftImplementations()
{
    std::vector<int> available{L0_FFT_OPENCV};
    if (haveFFTW()) available.push_back(L0_FFT_FFTW);
    return available;
}

Mat smoothWith(const Mat& src, int border, int fft, double lambda = 0.02, double kappa = 2.0)
{
    Mat dst;
    L0Smoother::create(lambda, kappa, border, fft)->apply(src, dst);
    return dst;
}

//! Count of pixels whose right or lower neighbour differs (8-bit images).
int nonZeroGradients(const Mat& image)
{
    int count = 0;
    for (int y = 0; y + 1 < image.rows; ++y)
        for (int x = 0; x + 1 < image.cols; ++x) {
            const Vec3b p = image.at<Vec3b>(y, x);
            if (p != image.at<Vec3b>(y, x + 1) || p != image.at<Vec3b>(y + 1, x)) ++count;
        }
    return count;
}

struct ReferenceCase
{
    const char* photo; // nullptr: the synthetic image
    int rows, cols, cn;
    double lambda;
};

Mat referenceInput(const ReferenceCase& c)
{
    if (!c.photo) return syntheticImage(c.rows, c.cols, c.cn, 7 + c.rows);
    Mat photo = readPhoto(c.photo, c.cn == 1 ? IMREAD_GRAYSCALE : IMREAD_COLOR), small, unit;
    resize(photo, small, Size(c.cols, c.rows), 0, 0, INTER_AREA);
    small.convertTo(unit, CV_64F, 1.0 / 255);
    return unit;
}

void expectMatchesDenseSolve(const ReferenceCase& c, int border)
{
    const Mat image = referenceInput(c);
    const Mat expected = referenceL0Smooth(image, c.lambda, 2.0, border);
    Mat image32;
    image.convertTo(image32, CV_32F);
    for (int fft : fftImplementations())
        EXPECT_GE(psnr(smoothWith(image32, border, fft, c.lambda), expected, 1.0), 50.0)
            << (c.photo ? c.photo : "synthetic") << " " << c.rows << "x" << c.cols << "x" << c.cn
            << " lambda " << c.lambda << " fft " << fft;
}

// The FFT solver against a dense double-precision solve of the same equations: odd and even sizes, strips,
// 1 and 3 channels, every FFT implementation.
TEST(Desmooth_L0Smooth, circular_matches_dense_solve)
{
    const ReferenceCase cases[] = {{nullptr, 9, 7, 1, 0.02},    {nullptr, 12, 10, 3, 0.02},
                                   {nullptr, 16, 16, 3, 0.05},  {nullptr, 1, 15, 1, 0.01},
                                   {nullptr, 11, 1, 3, 0.02},   {nullptr, 8, 13, 3, 0.005},
                                   {"cat.jpg", 13, 8, 3, 0.02}, {"john.jpg", 20, 24, 1, 0.02}};
    for (const ReferenceCase& c : cases)
        expectMatchesDenseSolve(c, L0_BORDER_CIRCULAR);
}

// ximgproc's scheme divides by the circular Laplacian but differences with mirrored borders, whose sum is not
// zero: the undamped zero frequency then scales rounding errors by beta (up to 1e5). Below about 20x20 pixels
// no float solver stays within 50 dB of double precision (ximgproc itself: 21 dB on a 9x7 crop), so this test
// starts there.
TEST(Desmooth_L0Smooth, replicate_matches_dense_solve)
{
    const ReferenceCase cases[] = {{"cat.jpg", 20, 24, 1, 0.02},
                                   {"cat.jpg", 20, 24, 3, 0.02},
                                   {"john.jpg", 24, 32, 3, 0.02},
                                   {"path.jpg", 24, 32, 3, 0.01},
                                   {"john.jpg", 1, 11, 3, 0.02}};
    for (const ReferenceCase& c : cases)
        expectMatchesDenseSolve(c, L0_BORDER_REPLICATE);
}

// The circular solve never touches the zero frequency (circular differences sum to zero), so the image mean
// is kept; ximgproc's border handling lets it drift (15 grey levels on john.jpg), which REPLICATE reproduces.
TEST(Desmooth_L0Smooth, circular_keeps_the_mean_replicate_drifts_like_ximgproc)
{
    const Mat photo = readPhoto("john.jpg");
    Mat circular, replicate;
    L0Smooth(photo, circular, 0.02, 2.0, L0_BORDER_CIRCULAR);
    L0Smooth(photo, replicate, 0.02, 2.0, L0_BORDER_REPLICATE);
    const double inputMean = cv::mean(photo)[0];
    EXPECT_NEAR(cv::mean(circular)[0], inputMean, 0.05);
    EXPECT_GT(std::abs(cv::mean(replicate)[0] - inputMean), 5.0);
}

// A user moving from ximgproc gets ximgproc's output: over the whole image, on real photos, colour and gray.
TEST(Desmooth_L0Smooth, replicate_matches_ximgproc_on_photos)
{
    for (const char* name : {"butterfly.jpg", "path.jpg", "cat.jpg", "john.jpg"}) {
        for (int flags : {IMREAD_COLOR, IMREAD_GRAYSCALE}) {
            const Mat photo = readPhoto(name, flags);
            Mat expected;
            ximgproc::l0Smooth(photo, expected, 0.02, 2.0);
            for (int fft : fftImplementations()) {
                Mat actual;
                L0Smoother::create(0.02, 2.0, L0_BORDER_REPLICATE, fft)->apply(photo, actual);
                EXPECT_GE(psnr(actual, expected, 255.0), 50.0)
                    << name << " flags " << flags << " fft " << fft;
            }
        }
    }
}

// The two modes solve different problems: the circular wrap changes the whole image, not only its border.
TEST(Desmooth_L0Smooth, circular_differs_from_replicate_away_from_the_border)
{
    const Mat photo = readPhoto("path.jpg");
    Mat circular, replicate;
    L0Smooth(photo, circular, 0.02, 2.0, L0_BORDER_CIRCULAR);
    L0Smooth(photo, replicate, 0.02, 2.0, L0_BORDER_REPLICATE);
    const Rect interior(photo.cols / 4, photo.rows / 4, photo.cols / 2, photo.rows / 2);
    EXPECT_LT(psnr(circular, replicate, 255.0), 35.0);                     // measured 29.9 dB
    EXPECT_LT(psnr(circular(interior), replicate(interior), 255.0), 45.0); // measured 40.4 dB
}

TEST(Desmooth_L0Smooth, constant_image_is_unchanged)
{
    for (int type : {CV_8UC1, CV_8UC3, CV_16UC3, CV_32FC1, CV_64FC3, CV_8UC4}) {
        const double value = CV_MAT_DEPTH(type) == CV_8U ? 97 : CV_MAT_DEPTH(type) == CV_16U ? 30000 : 0.37;
        const Mat image(23, 31, type, Scalar::all(value));
        for (int border : {int(L0_BORDER_CIRCULAR), int(L0_BORDER_REPLICATE)}) {
            Mat smoothed;
            L0Smooth(image, smoothed, 0.02, 2.0, border);
            ASSERT_EQ(smoothed.type(), type);
            const double tolerance = CV_MAT_DEPTH(type) >= CV_32F ? 1e-5 : 0.0;
            EXPECT_LE(cv::norm(smoothed, image, NORM_INF), tolerance)
                << "type " << type << " border " << border;
        }
    }
}

// L0's whole point: a larger lambda leaves fewer non-zero gradients.
TEST(Desmooth_L0Smooth, gradient_count_falls_as_lambda_grows)
{
    const Mat photo = readPhoto("path.jpg");
    int previous = int(photo.total()) + 1;
    for (double lambda : {0.002, 0.01, 0.04, 0.16}) {
        Mat smoothed;
        L0Smooth(photo, smoothed, lambda);
        const int count = nonZeroGradients(smoothed);
        EXPECT_LT(count, previous) << "lambda " << lambda;
        previous = count;
    }
    EXPECT_LT(previous, nonZeroGradients(photo) / 4);
}

// Alpha passes through untouched; the colour channels are smoothed as without alpha.
TEST(Desmooth_L0Smooth, alpha_channel_passes_through)
{
    const Mat colour = readPhoto("cat.jpg");
    Mat gray, alpha(colour.size(), CV_8U);
    cvtColor(colour, gray, COLOR_BGR2GRAY);
    randu(alpha, 0, 256);
    Mat bgra, grayAlpha;
    merge(std::vector<Mat>{colour, alpha}, bgra);
    merge(std::vector<Mat>{gray, alpha}, grayAlpha);

    Mat colourSmoothed, graySmoothed, bgraSmoothed, grayAlphaSmoothed;
    L0Smooth(colour, colourSmoothed);
    L0Smooth(gray, graySmoothed);
    L0Smooth(bgra, bgraSmoothed);
    L0Smooth(grayAlpha, grayAlphaSmoothed);
    ASSERT_EQ(bgraSmoothed.type(), CV_8UC4);
    ASSERT_EQ(grayAlphaSmoothed.type(), CV_8UC2);

    Mat channels[4];
    split(bgraSmoothed, channels);
    EXPECT_EQ(cv::norm(channels[3], alpha, NORM_INF), 0);
    Mat bgrPart;
    merge(channels, 3, bgrPart);
    EXPECT_LE(cv::norm(bgrPart, colourSmoothed, NORM_INF), 1);
    split(grayAlphaSmoothed, channels);
    EXPECT_EQ(cv::norm(channels[1], alpha, NORM_INF), 0);
    EXPECT_LE(cv::norm(channels[0], graySmoothed, NORM_INF), 1);
}

// Every depth gives the same picture on its own value scale.
TEST(Desmooth_L0Smooth, every_depth_agrees)
{
    const Mat photo = readPhoto("john.jpg");
    Mat unit;
    photo.convertTo(unit, CV_32F, 1.0 / 255);
    Mat expected;
    L0Smooth(unit, expected);
    for (int depth : {CV_8U, CV_16U, CV_32F, CV_64F}) {
        const double scale = depth == CV_8U ? 255 : depth == CV_16U ? 65535 : 1;
        Mat input, output, outputUnit;
        unit.convertTo(input, depth, scale);
        L0Smooth(input, output);
        ASSERT_EQ(output.type(), CV_MAKETYPE(depth, 3));
        output.convertTo(outputUnit, CV_32F, 1.0 / scale);
        // Not bit-equal: inputs that differ by float rounding can flip L0's hard threshold at a few pixels.
        EXPECT_GE(psnr(outputUnit, expected, 1.0), 50.0) << "depth " << depth;
    }
}

TEST(Desmooth_L0Smooth, fft_implementations_agree)
{
    if (!haveFFTW()) DESMOOTH_SKIP_TEST("built without FFTW: only cv::dft is available");
    // 257 and 131 are primes: cv::dft runs Bluestein's transform along the 257 side.
    for (const Size& size : {Size(480, 300), Size(257, 131), Size(64, 1)}) {
        Mat photo;
        resize(readPhoto("path.jpg"), photo, size, 0, 0, INTER_AREA);
        for (int border : {int(L0_BORDER_CIRCULAR), int(L0_BORDER_REPLICATE)}) {
            const Mat viaFFTW = smoothWith(photo, border, L0_FFT_FFTW);
            const Mat viaOpenCV = smoothWith(photo, border, L0_FFT_OPENCV);
            EXPECT_GE(psnr(viaFFTW, viaOpenCV, 255.0), 55.0) << size << " border " << border;
        }
    }
}

// Every planning gives the same smoothing (plans differ in speed, not in what they compute); a bad value
// throws.
TEST(Desmooth_L0Smooth, fftw_planning_changes_no_result)
{
    if (!haveFFTW()) DESMOOTH_SKIP_TEST("built without FFTW: only cv::dft is available");
    EXPECT_THROW(setL0FFTWPlanning(L0_FFTW_ADAPTIVE + 1), cv::Exception);
    EXPECT_THROW(setL0FFTWPlanning(-1), cv::Exception);
    Mat photo;
    resize(readPhoto("cat.jpg"), photo, Size(203, 117), 0, 0, INTER_AREA); // sizes no other case plans
    const Mat viaOpenCV = smoothWith(photo, L0_BORDER_CIRCULAR, L0_FFT_OPENCV);
    setL0FFTWPlanning(L0_FFTW_ESTIMATE);
    const Mat estimated = smoothWith(photo, L0_BORDER_CIRCULAR, L0_FFT_FFTW);
    setL0FFTWPlanning(L0_FFTW_MEASURE);
    cv::resize(photo, photo, Size(205, 117), 0, 0, INTER_AREA);
    const Mat measured = smoothWith(photo, L0_BORDER_CIRCULAR, L0_FFT_FFTW);
    EXPECT_GE(psnr(estimated, viaOpenCV, 255.0), 55.0);
    EXPECT_GE(psnr(measured, smoothWith(photo, L0_BORDER_CIRCULAR, L0_FFT_OPENCV), 255.0), 55.0);
    setL0FFTWPlanning(L0_FFTW_ESTIMATE); // the default, for the cases after this one in the process
}

TEST(Desmooth_L0Smooth, in_place_equals_out_of_place)
{
    const Mat photo = readPhoto("john.jpg");
    Mat expected, inPlace = photo.clone();
    L0Smooth(photo, expected);
    L0Smooth(inPlace, inPlace);
    EXPECT_EQ(cv::norm(inPlace, expected, NORM_INF), 0);
}

// A smoother reused across sizes re-plans correctly and gives what a fresh one gives.
TEST(Desmooth_L0Smooth, smoother_reused_across_sizes)
{
    Ptr<L0Smoother> reused = L0Smoother::create();
    for (const char* name : {"cat.jpg", "john.jpg", "cat.jpg"}) {
        const Mat photo = readPhoto(name);
        Mat viaReused, viaFresh;
        reused->apply(photo, viaReused);
        L0Smoother::create()->apply(photo, viaFresh);
        EXPECT_LE(cv::norm(viaReused, viaFresh, NORM_INF), 1) << name;
    }
}

TEST(Desmooth_L0Smooth, concurrent_calls_give_the_same_result)
{
    const Mat photo = readPhoto("cat.jpg");
    Mat expected;
    L0Smooth(photo, expected);
    Mat results[3];
    std::vector<std::thread> threads;
    for (Mat& result : results)
        threads.emplace_back([&photo, &result] { L0Smooth(photo, result); });
    for (std::thread& t : threads)
        t.join();
    for (const Mat& result : results)
        EXPECT_LE(cv::norm(result, expected, NORM_INF), 1);
}

TEST(Desmooth_L0Smooth, bad_input_throws)
{
    const Mat image(8, 8, CV_8UC3, Scalar::all(10));
    Mat out;
    EXPECT_THROW(L0Smooth(Mat(), out), cv::Exception);
    EXPECT_THROW(L0Smooth(image, out, 0.0), cv::Exception);
    EXPECT_THROW(L0Smooth(image, out, -0.1), cv::Exception);
    EXPECT_THROW(L0Smooth(image, out, std::nan("")), cv::Exception);
    EXPECT_THROW(L0Smooth(image, out, 0.02, 1.0), cv::Exception);
    EXPECT_THROW(L0Smooth(image, out, 0.02, 0.5), cv::Exception);
    EXPECT_THROW(L0Smooth(image, out, 0.02, 1.00001), cv::Exception); // would run ~1.5 million iterations
    EXPECT_THROW(L0Smooth(image, out, 0.02, 2.0, 7), cv::Exception);
    for (int type : {CV_8SC1, CV_16SC3, CV_32SC1, CV_16FC3, CV_8UC(5)})
        EXPECT_THROW(L0Smooth(Mat(8, 8, type, Scalar::all(1)), out), cv::Exception) << "type " << type;
    for (double bad : {std::nan(""), std::numeric_limits<double>::infinity()}) {
        Mat floats(8, 8, CV_32FC3, Scalar::all(0.5));
        floats.at<Vec3f>(3, 4)[1] = float(bad);
        EXPECT_THROW(L0Smooth(floats, out), cv::Exception);
    }
    EXPECT_THROW(L0Smoother::create(0.02, 2.0, L0_BORDER_CIRCULAR, 9), cv::Exception);
    if (!haveFFTW())
        EXPECT_THROW(L0Smoother::create(0.02, 2.0, L0_BORDER_CIRCULAR, L0_FFT_FFTW), cv::Exception);
}

TEST(Desmooth_L0Smooth, auto_picks_fftw_when_built_with_it)
{
    EXPECT_EQ(L0Smoother::create()->getFFT(), haveFFTW() ? int(L0_FFT_FFTW) : int(L0_FFT_OPENCV));
}

} // namespace
} // namespace opencv_test
