// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_SMOOTHER_HPP
#define OPENCV_DESMOOTH_SMOOTHER_HPP

#include <opencv2/core.hpp>
#include <opencv2/desmooth/l0_smooth.hpp>

namespace cv {
namespace desmooth {

//! @addtogroup desmooth
//! @{

/** @brief An edge-preserving smoothing filter, by name and parameters: what makes a de-smoother's inputs and
what the smooth-consistency score re-applies to its outputs (paper Eq. 12 needs THE SAME smoother on both).

Five kinds: L0 gradient minimisation (the paper's, the default), the fast global smoother (Min et al. 2014,
cv::ximgproc::fastGlobalSmootherFilter; paper Sec. 4.4), the bilateral filter (cv::bilateralFilter), the
guided filter (cv::ximgproc::guidedFilter) and OpenCV's edge-preserving filter (cv::edgePreservingFilter).
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
    /** @brief Parses "l0", "fgs", "bilateral", "guided" or "edge_preserving" with optional parameters, e.g.
     * "l0:lambda=0.02,kappa=2", "fgs:lambda=100,sigma=5", "bilateral:d=9,sigma_color=50,sigma_space=5",
     * "guided:radius=4,eps=400", "edge_preserving:sigma_s=60,sigma_r=0.4"; or "none", which returns its input
     * unchanged (to measure what a de-smoother does to photos that were never smoothed). */
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
