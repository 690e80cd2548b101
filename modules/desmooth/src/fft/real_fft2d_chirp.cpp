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
//! of about twice the length a fixed multiple of a fast real one: measured on square planes of side 3p (a
//! forward and an inverse transform, one thread), cv::dft alone was faster up to p = 101, Bluestein's from
//! p = 113 (as fast; 1.4 times at 193, 4.7 times at 257).
const int kLargestDirectFactor = 110;

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

// Full complex spectra, row-major rows x cols (2 floats each). A real image's spectrum is Hermitian, X(-ky,
// -kx) = conj(X(ky, kx)), and so is every spectrum the callers make of it (sums, real symmetric weights):
// each pass transforms half of what a complex 2-D transform would. Forward: two real rows as one complex row
// a + ib, split after the transform; then only the columns kx <= cols/2, the rest by symmetry. Inverse (the
// forward transform of conj(X), which is real): the rows ky <= rows/2, the rest by symmetry; then two
// columns, each of real result, as one complex column.
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
        const int n = rows(), m = cols(), half = m / 2 + 1;
        const Mat image(n, m, CV_32F, plane);
        Mat packed(rowPairs(), m, CV_32FC2);
        for (int p = 0; p < packed.rows; ++p) {
            const float* a = image.ptr<float>(2 * p);
            const float* b = 2 * p + 1 < n ? image.ptr<float>(2 * p + 1) : nullptr;
            Complex* z = packed.ptr<Complex>(p);
            for (int x = 0; x < m; ++x)
                z[x] = Complex(a[x], b ? b[x] : 0.f);
        }
        alongRows_.apply(packed);

        // Z = A + iB with A, B Hermitian: A_k = (Z_k + conj Z_-k) / 2, B_k = (Z_k - conj Z_-k) / 2i. Stored
        // transposed (a row per frequency kx <= cols/2) for the transform along the columns.
        Mat columns(half, n, CV_32FC2);
        Complex* column = columns.ptr<Complex>();
        for (int p = 0; p < packed.rows; ++p) {
            const Complex* z = packed.ptr<Complex>(p);
            const bool second = 2 * p + 1 < n;
            for (int kx = 0; kx < half; ++kx) {
                const Complex zk = z[kx], partner = std::conj(z[kx ? m - kx : 0]);
                Complex* to = column + size_t(kx) * n + 2 * p;
                to[0] = 0.5f * (zk + partner);
                if (second) to[1] = Complex(0, -0.5f) * (zk - partner);
            }
        }
        alongColumns_.apply(columns);

        Mat spectrum(n, m, CV_32FC2, plane); // over the image, which `packed` holds now
        for (int ky = 0; ky < n; ++ky) {
            Complex* row = spectrum.ptr<Complex>(ky);
            for (int kx = 0; kx < half; ++kx)
                row[kx] = column[size_t(kx) * n + ky];
        }
        for (int ky = 0; ky < n; ++ky) {
            Complex* row = spectrum.ptr<Complex>(ky);
            const Complex* mirrored = spectrum.ptr<Complex>((n - ky) % n);
            for (int kx = half; kx < m; ++kx)
                row[kx] = std::conj(mirrored[m - kx]);
        }
    }

    void inverse(float* plane) const CV_OVERRIDE
    {
        const int n = rows(), m = cols(), top = n / 2 + 1;
        const Mat spectrum(n, m, CV_32FC2, plane);
        Mat rowPass(top, m, CV_32FC2);
        for (int ky = 0; ky < top; ++ky) {
            const Complex* from = spectrum.ptr<Complex>(ky);
            Complex* to = rowPass.ptr<Complex>(ky);
            for (int kx = 0; kx < m; ++kx)
                to[kx] = std::conj(from[kx]);
        }
        alongRows_.apply(rowPass);

        // Row n - ky of the row pass is the conjugate of row ky; a column's transform is real, so columns x
        // and x + 1 go as one complex column G_x + i G_x+1, transposed into a row.
        Mat packed(columnPairs(), n, CV_32FC2);
        Complex* column = packed.ptr<Complex>();
        for (int ky = 0; ky < n; ++ky) {
            const bool mirrored = ky >= top;
            const Complex* g = rowPass.ptr<Complex>(mirrored ? n - ky : ky);
            for (int p = 0; p < packed.rows; ++p) {
                Complex first = g[2 * p], second = 2 * p + 1 < m ? g[2 * p + 1] : Complex(0, 0);
                if (mirrored) {
                    first = std::conj(first);
                    second = std::conj(second);
                }
                column[size_t(p) * n + ky] = first + Complex(-second.imag(), second.real()); // + i second
            }
        }
        alongColumns_.apply(packed);

        Mat image(n, m, CV_32F, plane);
        for (int y = 0; y < n; ++y) {
            float* row = image.ptr<float>(y);
            for (int p = 0; p < packed.rows; ++p) {
                const Complex z = column[size_t(p) * n + y];
                row[2 * p] = z.real();
                if (2 * p + 1 < m) row[2 * p + 1] = z.imag();
            }
        }
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
    int rowPairs() const { return (rows() + 1) / 2; }
    int columnPairs() const { return (cols() + 1) / 2; }

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
