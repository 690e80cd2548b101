// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_SMOOTHER_CALL_HPP
#define OPENCV_DESMOOTH_SMOOTHER_CALL_HPP

#include "opencv2/desmooth/smoother.hpp"

#include <functional>

namespace cv {
namespace desmooth {
namespace detail {

/** F(x) checked: a smoother is a black box (possibly the user's), so what it throws or returns (another size
 * or type, NaN) becomes a clear cv::Exception naming `caller` rather than garbage further on. */
Mat smoothChecked(Smoother& smoother, const Mat& x, const char* caller);

/** Keeps an estimate a possible image: inside 0..1 (the float range every iteration here works on). */
void clampToUnitRange(Mat& x);

/** What the photo itself leaves of |y - F(x)|^2 (summed over y's colour values on 0..1) where y was rounded
 * to an integer `depth`: the rounding's variance, 1/12 of a step squared per value. An alpha plane is not
 * counted: smoothers pass it through, so its residual is always 0. 0 for CV_32F (no rounding). An estimate
 * whose squared residual is within it is as consistent with y as the photo is; further steps fit the rounding
 * (the discrepancy principle). */
double roundingFloor(const Mat& y, int depth);

/** What JPEG compression after the smoothing adds to |y - F(x)|^2 (on 0..1, over y's colour values), 0 where
 * estimateJpegQuality(smoothed) finds no quality (and for inputs that are not 8-bit): the change that saving
 * F(recovered) at that quality makes, times DESMOOTH_COMPRESSION_FLOOR_SCALE (default 3). Steps that explain
 * y better than that fit the compression's errors and amplify them. One smoother call where a quality is
 * found. */
double compressionFloor(const Mat& smoothed, const Mat& recovered, Smoother& smoother, const char* caller);

/** The reverse-filtering iterations of reverseFilter() on CV_32F images on 0..1: y the smoothed image, the
 * estimate starting from `start` (y itself in the classical scheme). With `noiseFloor` > 0 they stop at the
 * first estimate whose squared residual is within it (the one whose F the scheme computes: x, or Nesterov's
 * extrapolated z) and return it. */
Mat reverseFilterFrom(const Mat& y, const Mat& start, Smoother& smoother, int iterations, int method,
                      const char* caller, double noiseFloor = 0);

/** Known-smoother recovery's consistency steps: the T-method's `iterations` steps from `start`, returning the
 * step whose residual |y - F(x)|_1 (summed absolute values) was least, not necessarily the last: on a
 * smoother the steps cannot invert (a median filter, a box blur) they leave the photo once the residual
 * starts to rise. Only the residuals the steps compute anyway are compared (x_0 .. x_{n-1}); where x_{n-1}
 * was the least, the residual was still falling and the last step x_n is returned. The steps stop at the
 * first x_k whose squared residual (summed over every value) is at most `noiseFloor` (roundingFloor()), and
 * return it: y is only known to within its quantisation, so an x closer to it than the photo is only fits
 * that noise (0: never). At most `iterations` smoother calls; `afterEachStep` (if any) is called after each
 * step. With `gradientWhereDiverging`, where the residual rose at each of the last two steps compared (the
 * steps diverge: F flips the sign of some frequencies, as a box blur does; needs 3 or more iterations), the
 * same number of REVERSE_FILTER_TDA's gradient steps run from `start` too (2 calls each, not reported to
 * `afterEachStep`), and the run whose least residual is lower gives the result: at most 3 x `iterations`
 * calls in all. */
Mat leastResidualSteps(const Mat& y, const Mat& start, Smoother& smoother, int iterations, const char* caller,
                       double noiseFloor = 0,
                       const std::function<void()>& afterEachStep = std::function<void()>(),
                       bool gradientWhereDiverging = false);

} // namespace detail
} // namespace desmooth
} // namespace cv

#endif
