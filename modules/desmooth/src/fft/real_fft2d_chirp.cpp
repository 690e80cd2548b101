// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "../precomp.hpp"

#include "real_fft2d.hpp"

#include <complex>

namespace cv {
namespace desmooth {
namespace detail {

namespace {

using Complex = std::complex<float>;

//! cv::dft takes O(n p) operations for a length with a prime factor p, Bluestein's three complex transforms
//! of about twice the length a fixed multiple of a fast real one: measured on square planes, cv::dft alone
//! was faster up to p = 193 (a side of 579), Bluestein's from p = 257 (twice as fast; 4.5 times at 1009).
const int kLargestDirectFactor = 200;

int largestPrimeFactor(int n)
{
    int largest = 1;
    for (int p = 2; p * p <= n; ++p)
        while (n % p == 0) {
            largest = p;
            n /= p;
        }
    return std::max(largest, n);
}

//! Whether cv::dft alone is slower than Bluestein's transform along a side of this length.
bool slowForDft(int length)
{
    return largestPrimeFactor(length) > kLargestDirectFactor;
}

void multiplyRows(Mat& rows, const Mat& factors, int count)
{
    const Complex* f = factors.ptr<Complex>();
    for (int r = 0; r < rows.rows; ++r) {
        Complex* row = rows.ptr<Complex>(r);
        for (int i = 0; i < count; ++i)
            row[i] *= f[i];
    }
}

/** The forward DFT of every row of a CV_32FC2 matrix, in place: cv::dft, or Bluestein's chirp-z transform
(X_k = w_k sum_n x_n w_n conj(w_{k-n}), w_j = exp(-i pi j^2 / n): a circular convolution of a length m >= 2n -
1 that cv::dft transforms fast). */
class RowDft
{
public:
    RowDft(int length, bool chirp) : length_(length), chirp_(chirp)
    {
        if (!chirp_) return;
        padded_ = getOptimalDFTSize(2 * length_ - 1);
        weights_.create(1, length_, CV_32FC2);
        Mat kernel = Mat::zeros(1, padded_, CV_32FC2);
        for (int j = 0; j < length_; ++j) {
            // j^2 mod 2n keeps the angle exact for large j.
            const double angle = CV_PI * double((int64_t(j) * j) % (2 * int64_t(length_))) / length_;
            const Complex w(float(std::cos(angle)), float(-std::sin(angle)));
            weights_.at<Complex>(0, j) = w;
            kernel.at<Complex>(0, j) = std::conj(w);
            if (j > 0) kernel.at<Complex>(0, padded_ - j) = std::conj(w);
        }
        dft(kernel, kernelSpectrum_, DFT_ROWS);
    }

    void apply(Mat& rows) const
    {
        if (!chirp_) {
            dft(rows, rows, DFT_ROWS);
            return;
        }
        Mat work = Mat::zeros(rows.rows, padded_, CV_32FC2);
        rows.copyTo(work.colRange(0, length_));
        multiplyRows(work, weights_, length_);
        dft(work, work, DFT_ROWS);
        multiplyRows(work, kernelSpectrum_, padded_);
        dft(work, work, DFT_ROWS | DFT_INVERSE | DFT_SCALE);
        multiplyRows(work, weights_, length_);
        work.colRange(0, length_).copyTo(rows);
    }

private:
    int length_;
    bool chirp_;
    int padded_ = 0;
    Mat weights_;        // 1 x n: w_j
    Mat kernelSpectrum_; // 1 x m: the DFT of conj(w) wrapped around
};

// Full complex spectra, row-major rows x cols (2 floats each): the transform runs along the rows, then along
// the columns (on the transpose). The inverse is conj(DFT(conj(X))), of which the real part is kept.
class ChirpRealFFT2D CV_FINAL : public RealFFT2D
{
public:
    ChirpRealFFT2D(int rows, int cols, int planes, bool chirpAlways)
        : RealFFT2D(rows, cols, planes, cols, 2 * size_t(rows) * cols),
          alongRows_(cols, chirpAlways || slowForDft(cols)),
          alongColumns_(rows, chirpAlways || slowForDft(rows))
    {
    }

    void forward(float* plane) const CV_OVERRIDE
    {
        const Mat image(rows(), cols(), CV_32F, plane);
        Mat spectrum;
        merge(std::vector<Mat>{image, Mat::zeros(image.size(), CV_32F)}, spectrum);
        transform(spectrum);
        spectrum.copyTo(Mat(rows(), cols(), CV_32FC2, plane));
    }

    void inverse(float* plane) const CV_OVERRIDE
    {
        Mat spectrum = Mat(rows(), cols(), CV_32FC2, plane).clone();
        conjugate(spectrum);
        transform(spectrum);
        Mat image(rows(), cols(), CV_32F, plane);
        extractChannel(spectrum, image, 0);
    }

    bool threadedInside() const CV_OVERRIDE { return false; }

    void spreadWeights(const Mat& halfPlane, float* spectrum) const CV_OVERRIDE
    {
        CV_Assert(halfPlane.type() == CV_32F && halfPlane.rows == rows() && halfPlane.cols == cols() / 2 + 1);
        for (int ky = 0; ky < rows(); ++ky)
            for (int kx = 0; kx < cols(); ++kx) {
                // Past cols/2 a frequency has its conjugate partner's weight.
                const float w = kx <= cols() / 2 ? halfPlane.at<float>(ky, kx)
                                                 : halfPlane.at<float>((rows() - ky) % rows(), cols() - kx);
                float* element = spectrum + 2 * (size_t(ky) * cols() + kx);
                element[0] = element[1] = w;
            }
    }

private:
    void transform(Mat& spectrum) const
    {
        alongRows_.apply(spectrum);
        Mat transposed;
        cv::transpose(spectrum, transposed);
        alongColumns_.apply(transposed);
        cv::transpose(transposed, spectrum);
    }

    static void conjugate(Mat& spectrum)
    {
        for (int r = 0; r < spectrum.rows; ++r) {
            Complex* row = spectrum.ptr<Complex>(r);
            for (int c = 0; c < spectrum.cols; ++c)
                row[c] = std::conj(row[c]);
        }
    }

    RowDft alongRows_, alongColumns_;
};

} // namespace

bool needsChirpRealFFT2D(int rows, int cols)
{
    return slowForDft(rows) || slowForDft(cols);
}

Ptr<RealFFT2D> createChirpRealFFT2D(int rows, int cols, int planes, bool chirpAlways)
{
    CV_Assert(rows > 0 && cols > 0 && planes > 0);
    return makePtr<ChirpRealFFT2D>(rows, cols, planes, chirpAlways);
}

} // namespace detail
} // namespace desmooth
} // namespace cv
