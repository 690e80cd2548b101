// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_L0_SMOOTH_HPP
#define OPENCV_DESMOOTH_L0_SMOOTH_HPP

#include <opencv2/core.hpp>

namespace cv {
namespace desmooth {

//! @addtogroup desmooth
//! @{

/** @brief How L0Smooth treats the image border. */
enum L0Border
{
    /** Circular differences, as in Xu et al.'s original code and the paper's training data. The default. */
    L0_BORDER_CIRCULAR = 0,
    /** Reproduces cv::ximgproc::l0Smooth: zero forward difference past the last column and row, mirrored
       backward difference, and a gradient kept only where its energy is strictly above the threshold. */
    L0_BORDER_REPLICATE = 1
};

/** @brief Which FFT implementation L0Smooth runs on. */
enum L0FFT
{
    /** FFTW when the library was built with it, else cv::dft. */
    L0_FFT_AUTO = 0,
    /** FFTW3, single precision (GPL-2+; only in builds with DESMOOTH_WITH_FFTW). */
    L0_FFT_FFTW = 1,
    /** OpenCV's cv::dft. Always available. */
    L0_FFT_OPENCV = 2
};

/** @brief L0 smoothing's defaults (Xu et al.'s and the paper's): lambda, the weight of the gradient count,
and kappa, beta's growth factor per iteration. */
const double L0_DEFAULT_LAMBDA = 0.02;
const double L0_DEFAULT_KAPPA = 2.0;

/** @brief L0 gradient-minimisation smoothing (Xu et al. 2011) with the FFT solver, as an object that keeps
its plans and buffers between calls: smoothing many images of one size (video frames, training data) reuses
them.

Solves min_S |S - I|^2 + lambda * #{p : grad S(p) != 0} by half-quadratic splitting: beta starts at 2*lambda
and is multiplied by kappa until it reaches 1e5 (22 iterations at the defaults). One object is not meant to be
used by several threads at once; give each thread its own (the free function L0Smooth does that).
 */
class CV_EXPORTS_W L0Smoother : public Algorithm
{
public:
    /** @brief Creates a smoother.
    @param lambda weight of the gradient count; larger smooths more. Must be > 0.
    @param kappa growth factor of beta per iteration; smaller is slower and more accurate. Must be > 1.
    @param border one of #L0Border.
    @param fft one of #L0FFT.
     */
    CV_WRAP static Ptr<L0Smoother> create(double lambda = L0_DEFAULT_LAMBDA, double kappa = L0_DEFAULT_KAPPA,
                                          int border = L0_BORDER_CIRCULAR, int fft = L0_FFT_AUTO);

    /** @brief Smooths an image.
    @param src 1 to 4 channels (2: gray + alpha, 4: BGR + alpha; alpha passes through untouched), depth CV_8U,
    CV_16U, CV_32F or CV_64F, value range as in the module description; floating-point values must be finite.
    @param dst the smoothed image, of the type and size of src. May be src itself.
     */
    CV_WRAP virtual void apply(InputArray src, OutputArray dst) = 0;

    CV_WRAP virtual double getLambda() const = 0;
    CV_WRAP virtual void setLambda(double lambda) = 0;
    CV_WRAP virtual double getKappa() const = 0;
    CV_WRAP virtual void setKappa(double kappa) = 0;
    CV_WRAP virtual int getBorder() const = 0;
    CV_WRAP virtual void setBorder(int border) = 0;
    /** @brief The FFT implementation actually used (#L0_FFT_FFTW or #L0_FFT_OPENCV, never #L0_FFT_AUTO). */
    CV_WRAP virtual int getFFT() const = 0;
    CV_WRAP virtual void setFFT(int fft) = 0;
};

/** @brief L0 gradient-minimisation smoothing (Xu et al. 2011), FFT solver.

Drop-in for cv::ximgproc::l0Smooth with border = #L0_BORDER_REPLICATE (same output, faster). Each calling
thread keeps its own L0Smoother, so repeated calls at one size reuse FFT plans and buffers.
@param src 1 to 4 channels (2 and 4: the last is alpha and passes through), CV_8U/CV_16U/CV_32F/CV_64F.
@param dst the smoothed image, of src's type and size.
@param lambda weight of the gradient count, > 0.
@param kappa growth factor of beta, > 1.
@param border one of #L0Border.
 */
CV_EXPORTS_W void L0Smooth(InputArray src, OutputArray dst, double lambda = L0_DEFAULT_LAMBDA,
                           double kappa = L0_DEFAULT_KAPPA, int border = L0_BORDER_CIRCULAR);

/** @brief How strongly an L0-smoothed image shows the mark of #L0_BORDER_REPLICATE (cv::ximgproc::l0Smooth's
border): about 1 or below with #L0_BORDER_CIRCULAR, several times more with replicate.

ximgproc's scheme has no gradient across the image's wrap-around (its forward differences are zero past the
last row and column) while its solve is circular, so its first and last rows (and columns) end nearly equal
and the step moves inward, between the first row and the second. The score is the mean step between each edge
line and its neighbour inside against the mean step across the wrap, each plus half a grey level (0..255
scale, rows and columns, every colour channel). Where the borders are flat it is about 1: there the two
borders give nearly the same output. A photo with a drawn frame (a uniform line around it) also scores high.

@param smoothed CV_8U/CV_16U/CV_32F (0..255, 0..65535, 0..1), 1, 3 or 4 channels (alpha ignored). Under 4x4: 1
(no evidence).
@return the score, > 0.
 */
CV_EXPORTS_W double l0ReplicateBorderScore(InputArray smoothed);

/** @brief The border an L0-smoothed image was most likely made with: #L0_BORDER_REPLICATE where
l0ReplicateBorderScore() is at least 2 (chosen on training photos, docs/results.md), else #L0_BORDER_CIRCULAR.
estimateSmoother() (and so recover(src, dst, "auto")) gives an L0 estimate this border. */
CV_EXPORTS_W int estimateL0Border(InputArray smoothed);

/** @brief Whether this build of the library has the FFTW implementation (#L0_FFT_FFTW). */
CV_EXPORTS_W bool haveFFTW();

/** @brief How FFTW plans a transform size the first time it meets it. */
enum L0FFTWPlanning
{
    /** The default. A heuristic plan at once, kept for the process, without reading the wisdom on disk (which
    FFTW would use where it knows a size): results depend on the size alone, not on what the machine once
    measured, and a first call at a new size pays no measuring. */
    L0_FFTW_ESTIMATE = 0,
    /** Measured plans at once (measuring takes about 1 s for a 512x512 size, 7 s at 1920x1080 on 2 cores, as
    long as 50 or more calls gain from it: docs/benchmarks.md; kept as wisdom on disk, so that a later process
    plans a known size in milliseconds): for a size known to be used very many times. */
    L0_FFTW_MEASURE = 1,
    /** Longer measurement, sometimes faster plans. */
    L0_FFTW_PATIENT = 2,
    /** A heuristic plan at once, measured once the size has run 2000 transforms in the process (about 15
    L0Smooth calls of a colour image, about as long as measuring takes): for a process that may meet a size
    very often, or once. Sizes the wisdom on disk knows are measured at once. A call's result may differ in
    its last bits from the same call's before the measuring. */
    L0_FFTW_ADAPTIVE = 3
};

/** @brief Sets how FFTW plans sizes from now on, for the whole process (#L0FFTWPlanning): a new size is
 * planned as asked; a size already planned heuristically is measured at its next use where measuring is
 * asked, and keeps its plans otherwise. The default is the configuration parameter DESMOOTH_FFTW_PLANNER
 * ("estimate", "measure", "patient" or "adaptive"; else estimate). No effect in a build without FFTW. */
CV_EXPORTS_W void setL0FFTWPlanning(int planning);

//! @}

} // namespace desmooth
} // namespace cv

#endif
