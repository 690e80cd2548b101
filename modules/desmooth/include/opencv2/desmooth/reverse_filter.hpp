// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_REVERSE_FILTER_HPP
#define OPENCV_DESMOOTH_REVERSE_FILTER_HPP

#include <opencv2/core.hpp>
#include <opencv2/desmooth/smoother.hpp>

namespace cv {
namespace desmooth {

//! @addtogroup desmooth
//! @{

/** @brief How reverseFilter() updates its estimate x of the photo, given the smoothed image y and the
smoother F as a black box (x_0 = y in every scheme). */
enum ReverseFilterMethod
{
    /** Zero-order reverse filtering (Tao et al., ICCV 2017; Galetto and Deng's "T-method"):
     * x <- x + (y - F(x)). One smoother call per iteration. */
    REVERSE_FILTER_T = 0,
    /** Gradient descent on |y - F(x)|^2 / 2 with the Jacobian-vector product taken by the total derivative
     * approximation (Galetto and Deng, IEEE Access 2022): r = y - F(x), x <- x + F(x + r) - F(x). Two
     * smoother calls per iteration; converges where the T-method oscillates (a smoother that overshoots). */
    REVERSE_FILTER_TDA = 1,
    /** The T-method with Nesterov's momentum: x_k = z_{k-1} + (y - F(z_{k-1})),
     * z_k = x_k + (k - 1) / (k + 2) * (x_k - x_{k-1}). One smoother call per iteration; reaches in fewer
     * iterations what the T-method reaches, and amplifies what F cannot see sooner. */
    REVERSE_FILTER_T_NESTEROV = 2
};

//! reverseFilter()'s default number of iterations: the T-method's best is at 5 or 6 on photos
//! (docs/results.md).
const int REVERSE_FILTER_DEFAULT_ITERATIONS = 5;

/** @brief Reverses a known smoother without learning: finds x with F(x) = src by fixed-point iteration.

The detail an edge-preserving smoother attenuates but does not erase comes back; what it erases cannot. Past
a few iterations (4 to 6 on photos) the estimate amplifies what F cannot see, so `iterations` is a budget,
not a convergence setting. The estimate is kept within the value range at every step (a photo is).

@param src the smoothed image: CV_8U/CV_16U/CV_32F (0..255, 0..65535, 0..1), 1, 3 or 4 channels (alpha
passes through).
@param dst the estimate, of src's type and size.
@param smoother F, the smoother that made src (any Smoother, including user subclasses).
@param iterations the number of updates (>= 0; 0 returns src); with stopAtRounding, the most.
@param method a ReverseFilterMethod.
@param stopAtRounding for a CV_8U or CV_16U src: stop at the first estimate x whose residual |src - F(x)|^2
(summed over every value, on 0..1) is within src's rounding, 1/12 of a step squared per value, and return it
(the discrepancy principle: src is only known to within its rounding, and iterations that explain it better
fit that rounding, amplified). Guided-filtered 8-bit photos are explained within a few iterations, and the
iterations after lose detail; a CV_32F src never stops early. Off by default: the classical scheme runs every
iteration.
 */
CV_EXPORTS_W void reverseFilter(InputArray src, OutputArray dst, const Ptr<Smoother>& smoother,
                                int iterations = REVERSE_FILTER_DEFAULT_ITERATIONS,
                                int method = REVERSE_FILTER_T, bool stopAtRounding = false);

//! @}

} // namespace desmooth
} // namespace cv

#endif
