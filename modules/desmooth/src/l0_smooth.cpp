// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "fft/real_fft2d.hpp"

namespace cv {
namespace desmooth {

namespace {

const double kBetaMax = 1e5;     // Xu et al.'s stopping point for beta
const int kMaxIterations = 1000; // beyond this kappa is so close to 1 that the call would look hung

int iterationCount(double lambda, double kappa)
{
    int count = 0;
    for (double beta = 2 * lambda; beta < kBetaMax && count <= kMaxIterations; beta *= kappa)
        ++count;
    return count;
}

// Rows of masked gradients for all colour channels: the scratch of one parallel stripe. v of the row above is
// kept beside v of the current row; swapV() exchanges their roles.
struct GradientRows
{
    GradientRows(int planes, int cols) : storage(size_t(planes) * cols * 3 + cols), planes(planes), cols(cols)
    {
    }
    float* h(int plane) { return row(plane); }
    float* v(int plane) { return row((current + 1) * planes + plane); }
    float* previousV(int plane) { return row((2 - current) * planes + plane); }
    float* energy() { return row(3 * planes); }
    void swapV() { current = 1 - current; }

    std::vector<float> storage;
    int planes, cols, current = 0;

private:
    float* row(int index) { return storage.data() + size_t(index) * cols; }
};

template <typename T>
void loadPlanes(const Mat& src, int planes, float scale, float* image, size_t planeStride, int rowStride)
{
    const int cn = src.channels();
    parallel_for_(Range(0, src.rows), [&](const Range& r) {
        for (int y = r.start; y < r.end; ++y) {
            const T* row = src.ptr<T>(y);
            for (int p = 0; p < planes; ++p) {
                float* out = image + p * planeStride + size_t(y) * rowStride;
                for (int x = 0; x < src.cols; ++x)
                    out[x] = float(row[x * cn + p]) * scale;
            }
        }
    });
}

template <typename T>
void storePlanes(const float* image, size_t planeStride, int rowStride, int planes, float scale, Mat& dst)
{
    const int cn = dst.channels();
    parallel_for_(Range(0, dst.rows), [&](const Range& r) {
        for (int y = r.start; y < r.end; ++y) {
            T* row = dst.ptr<T>(y);
            for (int p = 0; p < planes; ++p) {
                const float* in = image + p * planeStride + size_t(y) * rowStride;
                for (int x = 0; x < dst.cols; ++x)
                    row[x * cn + p] = saturate_cast<T>(in[x] * scale);
            }
        }
    });
}

class L0SmootherImpl CV_FINAL : public L0Smoother
{
public:
    L0SmootherImpl(double lambda, double kappa, int border, int fft)
    {
        setLambda(lambda);
        setKappa(kappa);
        setBorder(border);
        setFFT(fft);
    }

    void apply(InputArray src, OutputArray dst) CV_OVERRIDE;

    double getLambda() const CV_OVERRIDE { return lambda_; }
    void setLambda(double lambda) CV_OVERRIDE
    {
        if (!(lambda > 0) || !std::isfinite(lambda))
            CV_Error(Error::StsBadArg, format("L0Smooth: lambda must be > 0 and finite (got %g)", lambda));
        lambda_ = lambda;
    }
    double getKappa() const CV_OVERRIDE { return kappa_; }
    void setKappa(double kappa) CV_OVERRIDE
    {
        if (!(kappa > 1) || !std::isfinite(kappa))
            CV_Error(Error::StsBadArg, format("L0Smooth: kappa must be > 1 and finite (got %g)", kappa));
        kappa_ = kappa;
    }
    int getBorder() const CV_OVERRIDE { return border_; }
    void setBorder(int border) CV_OVERRIDE
    {
        if (border != L0_BORDER_CIRCULAR && border != L0_BORDER_REPLICATE)
            CV_Error(Error::StsBadArg,
                     format("L0Smooth: border must be L0_BORDER_CIRCULAR or L0_BORDER_REPLICATE (got %d)",
                            border));
        border_ = border;
    }
    int getFFT() const CV_OVERRIDE { return fft_; }
    void setFFT(int fft) CV_OVERRIDE
    {
        if (fft == L0_FFT_AUTO) fft = haveFFTW() ? L0_FFT_FFTW : L0_FFT_OPENCV;
        if (fft != L0_FFT_FFTW && fft != L0_FFT_OPENCV)
            CV_Error(Error::StsBadArg, format("L0Smooth: unknown FFT implementation %d", fft));
        if (fft == L0_FFT_FFTW && !haveFFTW())
            CV_Error(Error::StsNotImplemented, "L0Smooth: this build has no FFTW (DESMOOTH_WITH_FFTW=OFF)");
        fft_ = fft;
    }

private:
    void prepare(int rows, int cols, int planes);
    void maskedGradientRow(const float* image, int y, float threshold, GradientRows& rows) const;
    void gradientDivergence(const float* image, float threshold, float* divergence) const;
    void solvePlane(double beta, int plane, float* spectrum) const;
    void combineSpectra(double beta, int plane, float* spectrum) const;

    double lambda_ = L0_DEFAULT_LAMBDA, kappa_ = L0_DEFAULT_KAPPA;
    int border_ = L0_BORDER_CIRCULAR, fft_ = L0_FFT_OPENCV;

    // Kept between calls: a second call at the same size plans nothing and allocates nothing.
    Ptr<detail::RealFFT2D> transform_;
    int transformKind_ = -1, transformThreads_ = -1;
    // Two buffers take turns: one holds S while the other receives the divergence of its masked gradients, is
    // transformed, combined and transformed back in place, and so becomes the next S.
    detail::FloatBuffer buffers_[2];
    detail::FloatBuffer inputSpectrum_;     // F(I) / (rows * cols)
    detail::FloatBuffer laplacianSpectrum_; // |F(dx)|^2 + |F(dy)|^2 laid out as one spectrum plane
};

void L0SmootherImpl::prepare(int rows, int cols, int planes)
{
    const int threads = getNumThreads();
    if (transform_ && transform_->rows() == rows && transform_->cols() == cols &&
        transform_->planes() == planes && transformKind_ == fft_ && transformThreads_ == threads)
        return;
    transform_ = fft_ == L0_FFT_FFTW ? detail::createFFTWRealFFT2D(rows, cols, planes)
                                     : detail::createOpenCVRealFFT2D(rows, cols, planes);
    transformKind_ = fft_;
    transformThreads_ = threads;
    const size_t planeStride = transform_->planeStride();
    buffers_[0].resize(planeStride * planes);
    buffers_[1].resize(planeStride * planes);
    inputSpectrum_.resize(planeStride * planes);
    laplacianSpectrum_.resize(planeStride);

    // The circular difference [1, -1] has |F|^2 = 2 - 2 cos(2 pi k / n) along its axis.
    Mat laplacian(rows, cols / 2 + 1, CV_32F);
    for (int ky = 0; ky < rows; ++ky)
        for (int kx = 0; kx <= cols / 2; ++kx)
            laplacian.at<float>(ky, kx) = float(4.0 - 2.0 * std::cos(2.0 * CV_PI * kx / cols) -
                                                2.0 * std::cos(2.0 * CV_PI * ky / rows));
    transform_->spreadWeights(laplacian, laplacianSpectrum_.data());
}

// Masked forward differences of row y: h = S(x+1) - S(x), v = S(y+1) - S(x), both zeroed where the summed
// gradient energy over the colour channels is below the threshold (circular: kept at >=, as in Xu et al.'s
// code; replicate: kept at >, as ximgproc's THRESH_BINARY).
void L0SmootherImpl::maskedGradientRow(const float* image, int y, float threshold, GradientRows& g) const
{
    const int rows = transform_->rows(), cols = transform_->cols(), planes = transform_->planes();
    const size_t planeStride = transform_->planeStride(), rowStride = transform_->rowStride();
    const bool circular = border_ == L0_BORDER_CIRCULAR;
    const int nextY = y + 1 < rows ? y + 1 : (circular ? 0 : y); // replicate: v = 0 on the last row
    float* energy = g.energy();
    std::fill(energy, energy + cols, 0.f);
    for (int p = 0; p < planes; ++p) {
        const float* s = image + p * planeStride + y * rowStride;
        const float* below = image + p * planeStride + nextY * rowStride;
        float* h = g.h(p);
        float* v = g.v(p);
        for (int x = 0; x + 1 < cols; ++x)
            h[x] = s[x + 1] - s[x];
        h[cols - 1] = circular ? s[0] - s[cols - 1] : 0.f;
        for (int x = 0; x < cols; ++x)
            v[x] = below[x] - s[x];
        for (int x = 0; x < cols; ++x)
            energy[x] += h[x] * h[x] + v[x] * v[x];
    }
    for (int p = 0; p < planes; ++p) {
        float* h = g.h(p);
        float* v = g.v(p);
        if (circular) {
            for (int x = 0; x < cols; ++x) {
                const float keep = energy[x] >= threshold ? 1.f : 0.f;
                h[x] *= keep;
                v[x] *= keep;
            }
        } else {
            for (int x = 0; x < cols; ++x) {
                const float keep = energy[x] > threshold ? 1.f : 0.f;
                h[x] *= keep;
                v[x] *= keep;
            }
        }
    }
}

// divergence = Dx^T h + Dy^T v: backward differences h(x-1) - h(x) + v(y-1) - v(y), computed row by row from
// S so that the full h and v images are never stored. Circular wraps around; replicate mirrors (h(-1) = h(1),
// as ximgproc's filter2D with BORDER_REFLECT_101).
void L0SmootherImpl::gradientDivergence(const float* image, float threshold, float* divergence) const
{
    const int rows = transform_->rows(), cols = transform_->cols(), planes = transform_->planes();
    const size_t planeStride = transform_->planeStride(), rowStride = transform_->rowStride();
    const bool circular = border_ == L0_BORDER_CIRCULAR;
    const int stripes = std::max(1, std::min(rows, getNumThreads() * 4));
    parallel_for_(
        Range(0, rows),
        [&](const Range& r) {
            GradientRows g(planes, cols);
            const int rowAbove = r.start > 0 ? r.start - 1 : (circular ? rows - 1 : std::min(1, rows - 1));
            maskedGradientRow(image, rowAbove, threshold, g);
            g.swapV();
            for (int y = r.start; y < r.end; ++y) {
                maskedGradientRow(image, y, threshold, g);
                for (int p = 0; p < planes; ++p) {
                    const float* h = g.h(p);
                    const float* v = g.v(p);
                    const float* vAbove = g.previousV(p);
                    float* out = divergence + p * planeStride + y * rowStride;
                    const float hLeft = circular ? h[cols - 1] : h[std::min(1, cols - 1)];
                    out[0] = hLeft - h[0] + vAbove[0] - v[0];
                    for (int x = 1; x < cols; ++x)
                        out[x] = h[x - 1] - h[x] + vAbove[x] - v[x];
                }
                g.swapV();
            }
        },
        stripes);
}

// S = F^-1[(F(I) + beta F(div)) / (1 + beta (|F(dx)|^2 + |F(dy)|^2))] for one plane, which holds div and
// receives S. The plane goes through forward transform, combination and inverse transform while it is still
// in cache.
void L0SmootherImpl::solvePlane(double beta, int plane, float* data) const
{
    transform_->forward(data);
    combineSpectra(beta, plane, data);
    transform_->inverse(data);
}

// The 1/(rows*cols) of the inverse transform is folded into F(I) (once) and into beta (here).
void L0SmootherImpl::combineSpectra(double beta, int plane, float* spectrum) const
{
    const size_t used = transform_->spectrumFloats();
    const float scaledBeta = float(beta / (double(transform_->rows()) * transform_->cols()));
    const float betaF = float(beta);
    const float* input = inputSpectrum_.data() + plane * transform_->planeStride();
    const float* laplacian = laplacianSpectrum_.data();
    const size_t chunk = 16384;
    parallel_for_(Range(0, int((used + chunk - 1) / chunk)), [&](const Range& r) {
        const size_t begin = r.start * chunk, end = std::min(used, r.end * chunk);
        for (size_t i = begin; i < end; ++i)
            spectrum[i] = (input[i] + scaledBeta * spectrum[i]) / (1.f + betaF * laplacian[i]);
    });
}

void L0SmootherImpl::apply(InputArray _src, OutputArray _dst)
{
    if (_src.empty()) CV_Error(Error::StsBadArg, "L0Smooth: the input image is empty");
    Mat src = _src.getMat();
    const int depth = src.depth(), cn = src.channels();
    if (depth != CV_8U && depth != CV_16U && depth != CV_32F && depth != CV_64F)
        CV_Error(Error::StsUnsupportedFormat,
                 format("L0Smooth: unsupported depth %s; use CV_8U, CV_16U, CV_32F or CV_64F",
                        depthToString(depth)));
    if (cn < 1 || cn > 4)
        CV_Error(Error::StsUnsupportedFormat, format("L0Smooth: %d channels; 1 to 4 are supported", cn));
    if ((depth == CV_32F || depth == CV_64F) && !checkRange(src, true))
        CV_Error(Error::StsBadArg, "L0Smooth: the input contains NaN or infinite values");
    const int iterations = iterationCount(lambda_, kappa_);
    if (iterations > kMaxIterations)
        CV_Error(Error::StsBadArg,
                 format("L0Smooth: kappa = %g is so close to 1 that lambda = %g needs more than %d "
                        "iterations; use a larger kappa",
                        kappa_, lambda_, kMaxIterations));

    const int planes = (cn == 2 || cn == 4) ? cn - 1 : cn; // the last of 2 or 4 channels is alpha
    const float toUnit = depth == CV_8U ? 1.f / 255 : depth == CV_16U ? 1.f / 65535 : 1.f;
    prepare(src.rows, src.cols, planes);
    const size_t planeStride = transform_->planeStride();
    const int rowStride = transform_->rowStride();

    float* image = buffers_[0].data();
    float* other = buffers_[1].data();
    for (float* target : {image, inputSpectrum_.data()}) {
        switch (depth) {
        case CV_8U:
            loadPlanes<uchar>(src, planes, toUnit, target, planeStride, rowStride);
            break;
        case CV_16U:
            loadPlanes<ushort>(src, planes, toUnit, target, planeStride, rowStride);
            break;
        case CV_32F:
            loadPlanes<float>(src, planes, toUnit, target, planeStride, rowStride);
            break;
        default:
            loadPlanes<double>(src, planes, toUnit, target, planeStride, rowStride);
            break;
        }
    }
    const float normalisation = float(1.0 / (double(src.rows) * src.cols));
    for (int p = 0; p < planes; ++p) {
        float* spectrum = inputSpectrum_.data() + p * planeStride;
        transform_->forward(spectrum);
        for (size_t i = 0; i < transform_->spectrumFloats(); ++i)
            spectrum[i] *= normalisation;
    }

    double beta = 2 * lambda_;
    for (int i = 0; i < iterations; ++i, beta *= kappa_) {
        gradientDivergence(image, float(lambda_ / beta), other);
        if (transform_->threadedInside()) {
            for (int p = 0; p < planes; ++p)
                solvePlane(beta, p, other + p * planeStride);
        } else {
            parallel_for_(Range(0, planes), [&](const Range& r) {
                for (int p = r.start; p < r.end; ++p)
                    solvePlane(beta, p, other + p * planeStride);
            });
        }
        std::swap(image, other);
    }

    // Alpha is copied before the colour channels are written, in case dst shares memory with src.
    _dst.create(src.size(), src.type());
    Mat dst = _dst.getMat();
    if (planes != cn && dst.data != src.data) {
        const int alphaPair[2] = {cn - 1, cn - 1};
        mixChannels(&src, 1, &dst, 1, alphaPair, 1);
    }
    const float fromUnit = 1.f / toUnit;
    switch (depth) {
    case CV_8U:
        storePlanes<uchar>(image, planeStride, rowStride, planes, fromUnit, dst);
        break;
    case CV_16U:
        storePlanes<ushort>(image, planeStride, rowStride, planes, fromUnit, dst);
        break;
    case CV_32F:
        storePlanes<float>(image, planeStride, rowStride, planes, fromUnit, dst);
        break;
    default:
        storePlanes<double>(image, planeStride, rowStride, planes, fromUnit, dst);
        break;
    }
}

} // namespace

Ptr<L0Smoother> L0Smoother::create(double lambda, double kappa, int border, int fft)
{
    return makePtr<L0SmootherImpl>(lambda, kappa, border, fft);
}

void L0Smooth(InputArray src, OutputArray dst, double lambda, double kappa, int border)
{
    // One smoother per thread keeps FFT plans and buffers warm across calls without sharing state.
    thread_local Ptr<L0Smoother> smoother;
    if (!smoother) smoother = L0Smoother::create(lambda, kappa, border);
    smoother->setLambda(lambda);
    smoother->setKappa(kappa);
    smoother->setBorder(border);
    smoother->apply(src, dst);
}

bool haveFFTW()
{
#ifdef DESMOOTH_HAVE_FFTW
    return true;
#else
    return false;
#endif
}

void setL0FFTWPlanning(int planning)
{
    detail::setFFTWPlanning(planning);
}

} // namespace desmooth
} // namespace cv
