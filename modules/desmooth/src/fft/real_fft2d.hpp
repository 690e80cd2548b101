// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_REAL_FFT2D_HPP
#define OPENCV_DESMOOTH_REAL_FFT2D_HPP

#include <opencv2/core.hpp>

#include <algorithm>
#include <cstddef>
#include <memory>

namespace cv {
namespace desmooth {
namespace detail {

//! Floats are grouped in 64-byte blocks so that every plane of a buffer starts SIMD-aligned: FFTW plans made
//! on one buffer then run on any other buffer of the same layout.
inline size_t alignedFloatCount(size_t n)
{
    const size_t block = 16;
    return (n + block - 1) / block * block;
}

//! A 64-byte-aligned float array, allocated once and reused across iterations and calls.
class FloatBuffer
{
public:
    FloatBuffer() = default;
    explicit FloatBuffer(size_t count) { resize(count); }
    void resize(size_t count)
    {
        if (count == count_) return;
        data_.reset(count ? static_cast<float*>(fastMalloc(count * sizeof(float))) : nullptr);
        count_ = count;
    }
    float* data() const { return data_.get(); }
    size_t size() const { return count_; }

private:
    struct Free
    {
        void operator()(float* p) const { fastFree(p); }
    };
    std::unique_ptr<float, Free> data_;
    size_t count_ = 0;
};

/** In-place 2-D real-to-complex FFTs of images of rows x cols floats, a plane at a time.

Buffers hold `planes` planes one after another, planeStride() floats apart, each 64-byte aligned
(FloatBuffer); in a plane, image rows are rowStride() floats apart (FFTW needs room for the spectrum's extra
column). The forward transform turns an image into its spectrum in place, the inverse turns it back; the
layout of a spectrum plane belongs to the implementation: callers only add spectra, scale them, and multiply
them by per-frequency real weights laid out with spreadWeights(). Transforms may run from several threads at
once on different planes.
*/
class CV_EXPORTS RealFFT2D
{
public:
    RealFFT2D(int rows, int cols, int planes, int rowStride, size_t spectrumFloats)
        : rows_(rows), cols_(cols), planes_(planes), rowStride_(rowStride), spectrumFloats_(spectrumFloats),
          planeStride_(alignedFloatCount(std::max(size_t(rows) * rowStride, spectrumFloats)))
    {
    }
    virtual ~RealFFT2D() = default;

    int rows() const { return rows_; }
    int cols() const { return cols_; }
    int planes() const { return planes_; }
    //! Floats between two image rows of a plane.
    int rowStride() const { return rowStride_; }
    //! Floats between two planes of a buffer; a buffer holds planes() * planeStride() floats.
    size_t planeStride() const { return planeStride_; }
    //! Floats of a spectrum plane that carry data.
    size_t spectrumFloats() const { return spectrumFloats_; }

    //! Forward transform of one plane, in place: image in, spectrum out.
    virtual void forward(float* plane) const = 0;
    //! Inverse transform of one plane, in place and unnormalised (rows*cols times the original image).
    virtual void inverse(float* plane) const = 0;
    //! Whether one transform already uses every thread (then planes are best transformed one after another).
    virtual bool threadedInside() const = 0;
    /** Lays real per-frequency weights out as one spectrum plane: each float of the plane gets the weight of
    the frequency it belongs to. `halfPlane` is rows x (cols/2 + 1) CV_32F, element (ky, kx) the weight of
    frequency (ky, kx); it must be symmetric where the real transform folds frequencies: w(ky, kx) = w((rows -
    ky) % rows, kx) in the columns kx = 0 and kx = cols/2. */
    virtual void spreadWeights(const Mat& halfPlane, float* spectrum) const = 0;

private:
    int rows_, cols_, planes_, rowStride_;
    size_t spectrumFloats_, planeStride_;
};

//! cv::dft, always available: packed CCS spectra (rows*cols floats a plane), or createChirpRealFFT2D()'s
//! where a side has a large prime factor (needsChirpRealFFT2D()).
CV_EXPORTS Ptr<RealFFT2D> createOpenCVRealFFT2D(int rows, int cols, int planes);

//! Whether a side has a prime factor so large that cv::dft alone, which takes O(n p) operations for a length
//! n with a prime factor p, is slower than Bluestein's transform (a 1009 x 1013 image: 40 times slower).
CV_EXPORTS bool needsChirpRealFFT2D(int rows, int cols);

//! cv::dft with Bluestein's chirp-z transform along a side that needsChirpRealFFT2D() (along both sides with
//! `chirpAlways`, for tests): full complex spectra, 2*rows*cols floats a plane.
CV_EXPORTS Ptr<RealFFT2D> createChirpRealFFT2D(int rows, int cols, int planes, bool chirpAlways = false);

//! FFTW's planning of new sizes from now on (an L0FFTWPlanning); nothing without FFTW.
void setFFTWPlanning(int planning);

/** FFTW3 single precision, multi-threaded, plans cached for the process and kept as wisdom on disk, planned
as setFFTWPlanning() asks (under the adaptive planning a size the wisdom does not know runs on estimated plans
until it has run kFFTWTransformsBeforeMeasuring transforms, then on measured ones). Throws when the library
was built without FFTW. */
CV_EXPORTS Ptr<RealFFT2D> createFFTWRealFFT2D(int rows, int cols, int planes);

//! Transforms a size runs on estimated plans before the adaptive planning measures it (real_fft2d_fftw.cpp).
const long kFFTWTransformsBeforeMeasuring = 2000;

enum class FFTWPlanState
{
    none,      //!< not planned in this process
    estimated, //!< FFTW_ESTIMATE's plans
    measured   //!< measured plans (or patient ones; from the wisdom file where it knew the size)
};

//! How FFTW has planned a size at getNumThreads() threads in this process; for tests and benchmarks. None
//! without FFTW.
CV_EXPORTS FFTWPlanState fftwPlanState(int rows, int cols);

//! Whether FFTW's plans are kept as wisdom in a file (DESMOOTH_FFTW_WISDOM is not "off"); for tests.
CV_EXPORTS bool fftwWisdomOn();

} // namespace detail
} // namespace desmooth
} // namespace cv

#endif
