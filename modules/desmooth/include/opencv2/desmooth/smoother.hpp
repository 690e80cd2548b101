// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_SMOOTHER_HPP
#define OPENCV_DESMOOTH_SMOOTHER_HPP

#include <opencv2/core.hpp>
#include <opencv2/desmooth/l0_smooth.hpp>

#include <functional>

namespace cv {
namespace desmooth {

//! @addtogroup desmooth
//! @{

/** @brief What a smoother of one's own runs (Smoother::createFromFunction()): `src` has 1 or 3 channels (an
alpha plane is kept apart and passed through) of the depth asked for; `dst` must come back with src's size and
channel count, at any depth, its values on src's scale. It may throw: the caller gets a cv::Exception. */
typedef std::function<void(const Mat& src, Mat& dst)> SmootherFunction;

/** @brief An edge-preserving smoothing filter, by name and parameters: what makes a de-smoother's inputs and
what the smooth-consistency score re-applies to its outputs (paper Eq. 12 needs THE SAME smoother on both).

Five kinds the bundled model trained on or is scored on: L0 gradient minimisation (the paper's, the default),
the fast global smoother (Min et al. 2014, cv::ximgproc::fastGlobalSmootherFilter; paper Sec. 4.4), the
bilateral filter (cv::bilateralFilter), the guided filter (cv::ximgproc::guidedFilter) and OpenCV's
edge-preserving filter (cv::edgePreservingFilter); and four it never trained on, to measure how recovery
carries over to smoothers no one tuned it for and to reverse them when they are known: the Gaussian blur, the
median filter, the rolling guidance filter (cv::ximgproc::rollingGuidanceFilter) and the domain transform
(cv::ximgproc::dtFilter).
Inputs as L0Smooth takes them: CV_8U/CV_16U/CV_32F, 1, 3 or 4 channels (alpha passes through), result of the
input's type and size.
 */
class CV_EXPORTS_W Smoother : public Algorithm
{
public:
    /** @brief L0 smoothing, see L0Smooth(). */
    CV_WRAP static Ptr<Smoother> createL0(double lambda = L0_DEFAULT_LAMBDA, double kappa = L0_DEFAULT_KAPPA,
                                          int border = L0_BORDER_CIRCULAR);
    /** @brief The fast global smoother: lambda (> 0) the smoothness weight, sigmaColor (> 0) on the 0..255
     * scale. Needs opencv_contrib's ximgproc (a clear exception where the library was built without it). */
    CV_WRAP static Ptr<Smoother> createFGS(double lambda = 100.0, double sigmaColor = 5.0);
    /** @brief The bilateral filter: diameter d (> 0), sigmaColor on the 0..255 scale, sigmaSpace in pixels.
     */
    CV_WRAP static Ptr<Smoother> createBilateral(int d = 9, double sigmaColor = 50.0,
                                                 double sigmaSpace = 5.0);
    /** @brief The self-guided filter (He et al. 2013, cv::ximgproc::guidedFilter): window radius (>= 1) and
     * eps (> 0), a variance on the 0..255 scale (e.g. 400 = 20^2). Needs opencv_contrib's ximgproc. */
    CV_WRAP static Ptr<Smoother> createGuided(int radius = 4, double eps = 400.0);
    /** @brief cv::edgePreservingFilter (recursive domain transform, Gastal and Oliveira 2011): sigmaS (> 0)
     * in pixels, sigmaR in (0, 1]. It works on 8 bits: other depths are rounded to 8 bits first. */
    CV_WRAP static Ptr<Smoother> createEdgePreserving(double sigmaS = 60.0, double sigmaR = 0.4);
    /** @brief cv::GaussianBlur with sigma (0 < sigma <= 100) pixels in both directions. */
    CV_WRAP static Ptr<Smoother> createGaussian(double sigma = 1.5);
    /** @brief cv::medianBlur over an odd ksize x ksize window (3..255). It works on 8 bits: other depths are
     * rounded to 8 bits first. */
    CV_WRAP static Ptr<Smoother> createMedian(int ksize = 5);
    /** @brief The rolling guidance filter (Zhang et al. 2014, cv::ximgproc::rollingGuidanceFilter): removes
     * structures smaller than sigmaSpace pixels (0 < sigmaSpace <= 100), sigmaColor (> 0) on the 0..255
     * scale, 1..100 iterations. Needs opencv_contrib's ximgproc. */
    CV_WRAP static Ptr<Smoother> createRollingGuidance(double sigmaColor = 25.0, double sigmaSpace = 3.0,
                                                       int iterations = 4);
    /** @brief The self-guided domain transform, recursive filter (cv::ximgproc::dtFilter, DTF_RF, 3
     * iterations): sigmaS (> 0) in pixels, sigmaR (> 0) on the 0..255 scale. Needs opencv_contrib's ximgproc.
     */
    CV_WRAP static Ptr<Smoother> createDomainTransform(double sigmaS = 30.0, double sigmaR = 40.0);
    /** @brief cv::blur over a ksize x ksize window (2..255): a linear blur whose frequency response turns
     * negative, on which the T-method's steps diverge (known-smoother recovery then takes gradient steps,
     * docs/design.md). Not among the `untrained` kinds the evaluator scores by default. */
    CV_WRAP static Ptr<Smoother> createBox(int ksize = 5);
    /** @brief A smoother of one's own: the filter one's pipeline ran, for reverseFilter() and known-smoother
     * recovery (DeSmoother::recover() with a smoother) where it is none of the kinds above.
     *
     * @param function the filter, see SmootherFunction; not empty. Known-smoother recovery calls it on
     * estimates that are between grey levels, so it should take them as they are where it can.
     * @param name what describe() returns and what error messages call it; not empty.
     * @param depth what the function is given: CV_32F (default), float values on the 0..255 scale of 8-bit
     * images whatever the caller's type; or CV_8U, the same rounded to 8 bits, for filters that take 8-bit
     * images only (cv::edgePreservingFilter, cv::stylization): the estimates' fractions are lost, as
     * createEdgePreserving() loses them.
     *
     * In Python: `cv2.desmooth.Smoother_createFromFunction(function, name[, depth])`, where `function`
     * takes a numpy array and returns one (e.g. `lambda img: cv2.bilateralFilter(img, 9, 50, 5)`); what it
     * raises comes back as cv2.error naming the exception. */
    static Ptr<Smoother> createFromFunction(const SmootherFunction& function, const String& name,
                                            int depth = CV_32F);
    /** @brief Parses a kind with optional parameters (any left out take the create*() defaults), e.g.
     * "l0:lambda=0.02,kappa=2", "fgs:lambda=100,sigma=5", "bilateral:d=9,sigma_color=50,sigma_space=5",
     * "guided:radius=4,eps=400", "edge_preserving:sigma_s=60,sigma_r=0.4", "gaussian:sigma=1.5",
     * "median:ksize=5", "rolling_guidance:sigma_color=25,sigma_space=3,iterations=4",
     * "domain_transform:sigma_s=30,sigma_r=40", "box:ksize=5"; or "none", which returns its input unchanged
     * (to measure what a de-smoother does to photos that were never smoothed). Whole-number parameters (d,
     * radius, border, ksize, iterations) must be whole numbers. "l0:...,border=1" is #L0_BORDER_REPLICATE,
     * the output of cv::ximgproc::l0Smooth: the spec to give known-smoother recovery for an input that
     * function made. */
    CV_WRAP static Ptr<Smoother> create(const String& spec);

    /** @brief Smooths src into dst (may be src). */
    CV_WRAP virtual void apply(InputArray src, OutputArray dst) = 0;
    /** @brief The smoother and its parameters in create(spec)'s syntax, e.g. "l0:lambda=0.02,kappa=2". */
    CV_WRAP virtual String describe() const = 0;
};

//! @}

} // namespace desmooth
} // namespace cv

#endif
