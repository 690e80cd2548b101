// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "test_precomp.hpp"

#include "fft/real_fft2d.hpp"

#include <complex>

namespace opencv_test {
namespace {

using namespace cv;
using namespace cv::desmooth;
using Complex = std::complex<double>;
namespace fft = cv::desmooth::detail;

// A frequency filter symmetric under (ky, kx) -> (-ky, -kx), as a real image's spectrum needs.
double weight(int ky, int kx, int rows)
{
    return 1.0 + 0.3 * std::min(ky, (rows - ky) % rows) + 0.7 * kx;
}

// Filters a real image by `weight` with a direct double-precision DFT: the obvious O(N^2) way.
Mat directFilter(const Mat& image)
{
    const int rows = image.rows, cols = image.cols;
    std::vector<Complex> spectrum(size_t(rows) * cols);
    for (int ky = 0; ky < rows; ++ky)
        for (int kx = 0; kx < cols; ++kx) {
            Complex sum = 0;
            for (int y = 0; y < rows; ++y)
                for (int x = 0; x < cols; ++x)
                    sum += double(image.at<float>(y, x)) *
                           std::polar(1.0, -2 * CV_PI * (double(ky) * y / rows + double(kx) * x / cols));
            // Frequencies past cols/2 take the weight of their conjugate partner in the stored half.
            const double w =
                kx <= cols / 2 ? weight(ky, kx, rows) : weight((rows - ky) % rows, cols - kx, rows);
            spectrum[size_t(ky) * cols + kx] = sum * w;
        }
    Mat out(rows, cols, CV_64F);
    for (int y = 0; y < rows; ++y)
        for (int x = 0; x < cols; ++x) {
            Complex sum = 0;
            for (int ky = 0; ky < rows; ++ky)
                for (int kx = 0; kx < cols; ++kx)
                    sum += spectrum[size_t(ky) * cols + kx] *
                           std::polar(1.0, 2 * CV_PI * (double(ky) * y / rows + double(kx) * x / cols));
            out.at<double>(y, x) = sum.real() / (double(rows) * cols);
        }
    return out;
}

std::vector<Ptr<fft::RealFFT2D>> implementations(int rows, int cols, int planes)
{
    std::vector<Ptr<fft::RealFFT2D>> all{fft::createOpenCVRealFFT2D(rows, cols, planes),
                                         fft::createChirpRealFFT2D(rows, cols, planes, true)};
    if (haveFFTW()) all.push_back(fft::createFFTWRealFFT2D(rows, cols, planes));
    return all;
}

// The spectrum layout each implementation declares (spreadWeights) matches the frequencies it really holds.
TEST(Desmooth_RealFFT2D, weighted_filter_matches_direct_dft)
{
    for (const Size& size :
         {Size(1, 1), Size(7, 1), Size(1, 6), Size(7, 5), Size(6, 8), Size(8, 7), Size(9, 9), Size(10, 4),
          Size(67, 3), Size(4, 71), Size(67, 5)}) { // prime sides: Bluestein pads them
        const int planes = 2;
        for (const Ptr<fft::RealFFT2D>& transform : implementations(size.height, size.width, planes)) {
            fft::FloatBuffer buffer(transform->planeStride() * planes), weights(transform->planeStride());
            Mat halfPlane(size.height, size.width / 2 + 1, CV_32F);
            for (int ky = 0; ky < halfPlane.rows; ++ky)
                for (int kx = 0; kx < halfPlane.cols; ++kx)
                    halfPlane.at<float>(ky, kx) = float(weight(ky, kx, size.height));
            transform->spreadWeights(halfPlane, weights.data());

            // An image plane as a Mat over the buffer, rows rowStride() floats apart.
            const auto plane = [&](int p) {
                return Mat(size, CV_32F, buffer.data() + p * transform->planeStride(),
                           transform->rowStride() * sizeof(float));
            };
            RNG rng(size.area());
            std::vector<Mat> inputs(planes);
            for (int p = 0; p < planes; ++p) {
                inputs[p].create(size, CV_32F);
                rng.fill(inputs[p], RNG::UNIFORM, -1, 1);
                inputs[p].copyTo(plane(p));
            }

            for (int p = 0; p < planes; ++p) {
                float* data = buffer.data() + p * transform->planeStride();
                transform->forward(data);
                for (size_t i = 0; i < transform->spectrumFloats(); ++i)
                    data[i] *= weights.data()[i];
                transform->inverse(data);
            }

            for (int p = 0; p < planes; ++p) {
                Mat actual;
                plane(p).convertTo(actual, CV_64F, 1.0 / size.area());
                EXPECT_LE(cv::norm(actual, directFilter(inputs[p]), NORM_INF), 1e-4)
                    << size << " plane " << p;
            }
        }
    }
}

// cv::dft alone where its lengths are fast (every size with small prime factors), Bluestein's along a side
// with a large prime factor, where cv::dft takes O(n p).
TEST(Desmooth_RealFFT2D, bluestein_only_for_sides_with_a_large_prime_factor)
{
    EXPECT_FALSE(fft::needsChirpRealFFT2D(512, 512));
    EXPECT_FALSE(fft::needsChirpRealFFT2D(1080, 1920));
    EXPECT_FALSE(fft::needsChirpRealFFT2D(101, 303)); // prime 101: cv::dft is faster
    EXPECT_TRUE(fft::needsChirpRealFFT2D(339, 512));  // 3 x 113: as fast, and faster from there on
    EXPECT_TRUE(fft::needsChirpRealFFT2D(1013, 1009));
    EXPECT_TRUE(fft::needsChirpRealFFT2D(512, 257 * 4));
    EXPECT_TRUE(fft::needsChirpRealFFT2D(509, 512));
    // The layout follows: full complex spectra where Bluestein's runs, cv::dft's packed ones elsewhere.
    EXPECT_EQ(fft::createOpenCVRealFFT2D(509, 512, 1)->spectrumFloats(), size_t(2 * 509 * 512));
    EXPECT_EQ(fft::createOpenCVRealFFT2D(512, 512, 1)->spectrumFloats(), size_t(512 * 512));
}

// The inverse of the forward transform of a seeded random plane, scaled back, against the plane: how far a
// plan's round trip is from the identity.
double roundTripError(const fft::RealFFT2D& transform, uint64 seed)
{
    const Size size(transform.cols(), transform.rows());
    fft::FloatBuffer buffer(transform.planeStride());
    const Mat plane(size, CV_32F, buffer.data(), transform.rowStride() * sizeof(float));
    Mat input(size, CV_32F);
    RNG(seed).fill(input, RNG::UNIFORM, -1, 1);
    input.copyTo(plane);
    transform.forward(buffer.data());
    transform.inverse(buffer.data());
    return cv::norm(plane / double(size.area()), input, NORM_INF);
}

// Plans change only where measuring is asked. Estimating keeps a size's estimated plans however often it
// runs; measuring asked measures an estimated size at its next use; under the adaptive planning a size the
// wisdom does not know runs on estimated plans until it has run kFFTWTransformsBeforeMeasuring transforms,
// then on measured ones. Every plan's round trip is the identity.
TEST(Desmooth_RealFFT2D, fftw_plans_change_only_where_measuring_is_asked)
{
    if (!haveFFTW()) DESMOOTH_SKIP_TEST("built without FFTW");
    if (fft::fftwWisdomOn())
        DESMOOTH_SKIP_TEST(
            "FFTW wisdom is on (a size it knows is measured at once): ctest runs this case with "
            "DESMOOTH_FFTW_WISDOM=off");
    const int rows = 26, cols = 22; // sizes no other case plans
    const auto runTransforms = [](const fft::RealFFT2D& transform, long count) {
        fft::FloatBuffer zeros(transform.planeStride()); // aligned as FFTW's plans need
        std::fill(zeros.data(), zeros.data() + zeros.size(), 0.f);
        for (long i = 0; i < count; ++i)
            transform.forward(zeros.data());
    };

    setL0FFTWPlanning(L0_FFTW_ESTIMATE);
    const Ptr<fft::RealFFT2D> estimated = fft::createFFTWRealFFT2D(rows, cols, 1);
    runTransforms(*estimated, fft::kFFTWTransformsBeforeMeasuring);
    EXPECT_EQ(fft::fftwPlanState(rows, cols), fft::FFTWPlanState::estimated);
    EXPECT_LE(roundTripError(*estimated, 1), 1e-5);
    setL0FFTWPlanning(L0_FFTW_MEASURE);
    EXPECT_LE(roundTripError(*fft::createFFTWRealFFT2D(rows, cols, 1), 2), 1e-5);
    EXPECT_EQ(fft::fftwPlanState(rows, cols), fft::FFTWPlanState::measured);

    setL0FFTWPlanning(L0_FFTW_ADAPTIVE);
    const Ptr<fft::RealFFT2D> adaptive = fft::createFFTWRealFFT2D(rows + 2, cols, 1);
    EXPECT_EQ(fft::fftwPlanState(rows + 2, cols), fft::FFTWPlanState::estimated);
    EXPECT_LE(roundTripError(*adaptive, 3), 1e-5); // two transforms
    runTransforms(*adaptive, fft::kFFTWTransformsBeforeMeasuring - 3);
    EXPECT_EQ(fft::fftwPlanState(rows + 2, cols), fft::FFTWPlanState::estimated)
        << "measured before its last estimated transform";
    runTransforms(*adaptive, 1);
    EXPECT_EQ(fft::fftwPlanState(rows + 2, cols), fft::FFTWPlanState::measured);
    EXPECT_LE(roundTripError(*adaptive, 4), 1e-5);
    setL0FFTWPlanning(L0_FFTW_ESTIMATE); // the default, for the cases after this one in the process
}

} // namespace
} // namespace opencv_test
