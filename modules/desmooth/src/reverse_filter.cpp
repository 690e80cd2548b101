// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "configuration.hpp"
#include "metrics_input.hpp"
#include "smoother_call.hpp"

#include <cfloat>
#include <exception>
#include <vector>

namespace cv {
namespace desmooth {

namespace detail {

Mat smoothChecked(Smoother& smoother, const Mat& x, const char* caller)
{
    Mat smoothed;
    try {
        smoother.apply(x, smoothed);
    } catch (const cv::Exception&) {
        throw;
    } catch (const std::exception& e) {
        CV_Error(Error::StsError, cv::format("%s: the smoother failed: %s", caller, e.what()));
    }
    if (smoothed.size() != x.size() || smoothed.type() != x.type())
        CV_Error(Error::StsUnmatchedSizes,
                 cv::format("%s: the smoother returned a %dx%d image of type %d for a %dx%d image of type %d",
                            caller, smoothed.cols, smoothed.rows, smoothed.type(), x.cols, x.rows, x.type()));
    if (!cv::checkRange(smoothed))
        CV_Error(Error::StsError, cv::format("%s: the smoother returned NaN or infinite values", caller));
    return smoothed;
}

void clampToUnitRange(Mat& x)
{
    cv::max(x, 0.0, x);
    cv::min(x, 1.0, x);
}

double roundingFloor(const Mat& y, int depth)
{
    const double step = depth == CV_32F ? 0 : scaleToUnit(depth);
    const int colourChannels = y.channels() == 4 ? 3 : y.channels();
    return double(y.total() * colourChannels) * step * step / 12;
}

Mat reverseFilterFrom(const Mat& y, const Mat& start, Smoother& smoother, int iterations, int method,
                      const char* caller, double noiseFloor)
{
    // Residuals are only summed where someone stops on them.
    const auto withinFloor = [&](const Mat& residual) {
        return noiseFloor > 0 && cv::norm(residual, NORM_L2SQR) <= noiseFloor;
    };
    Mat x = start.clone();
    if (method == REVERSE_FILTER_T) {
        for (int k = 0; k < iterations; ++k) {
            const Mat residual = y - smoothChecked(smoother, x, caller);
            if (withinFloor(residual)) break;
            x += residual;
            clampToUnitRange(x);
        }
    } else if (method == REVERSE_FILTER_TDA) {
        for (int k = 0; k < iterations; ++k) {
            const Mat smoothed = smoothChecked(smoother, x, caller), residual = y - smoothed;
            if (withinFloor(residual)) break;
            Mat probe = x + residual;
            clampToUnitRange(probe);
            x += smoothChecked(smoother, probe, caller) - smoothed;
            clampToUnitRange(x);
        }
    } else {
        Mat z = x.clone();
        for (int k = 1; k <= iterations; ++k) {
            const Mat residual = y - smoothChecked(smoother, z, caller);
            if (withinFloor(residual)) return z;
            Mat next = z + residual;
            clampToUnitRange(next);
            const double momentum = double(k - 1) / (k + 2);
            z = next + momentum * (next - x);
            clampToUnitRange(z);
            x = next;
        }
    }
    return x;
}

/** The norm the consistency steps' residuals are compared in: DESMOOTH_STEP_RESIDUAL_NORM, l1 (the default)
 * or l2 (the rule before; docs/results.md compares them). Read at each use, as DESMOOTH_TILE_SIZE is. */
static int stepResidualNorm()
{
    const std::string name = utils::getConfigurationParameterString("DESMOOTH_STEP_RESIDUAL_NORM", "l1");
    if (name == "l1") return NORM_L1;
    if (name == "l2") return NORM_L2SQR;
    CV_Error(Error::StsBadArg, "DESMOOTH_STEP_RESIDUAL_NORM must be l1 or l2 (got \"" + name + "\")");
}

namespace {

//! One run of consistency steps: the step it returns, its residual, and whether the residual turned upward.
struct StepRun
{
    Mat x;
    double residual = DBL_MAX; //!< of the step returned (or of the one before it, where that was the least)
    bool diverged = false;     //!< its residual rose at each of the last two steps compared
};

/** leastResidualSteps()'s run with the T-method's steps (x += r) or, with `gradient`, the gradient steps of
 * reverseFilter()'s REVERSE_FILTER_TDA (x += F(x + r) - F(x): two smoother calls a step). */
StepRun stepRun(const Mat& y, const Mat& start, Smoother& smoother, int iterations, bool gradient,
                const char* caller, double noiseFloor, const std::function<void()>& afterEachStep)
{
    const int residualNorm = stepResidualNorm();
    StepRun run;
    Mat x = start.clone();
    std::vector<double> residuals;
    bool lastWasLeast = true;
    for (int k = 0; k < iterations; ++k) {
        const Mat smoothed = smoothChecked(smoother, x, caller), residual = y - smoothed;
        const double squared = cv::norm(residual, NORM_L2SQR);
        // L1 by default, not L2: a few places where F(x) parts from y sharply (an L0 segment that merges or
        // splits) rule the squared residual while the rest of x still nears the photo (docs/design.md).
        residuals.push_back(residualNorm == NORM_L2SQR ? squared : cv::norm(residual, residualNorm));
        if (squared <= noiseFloor) { // as consistent with y as the photo is
            run.x = x;
            run.residual = residuals.back();
            return run;
        }
        lastWasLeast = residuals.back() < run.residual;
        if (lastWasLeast) {
            run.residual = residuals.back();
            x.copyTo(run.x);
        }
        if (gradient) {
            Mat probe = x + residual;
            clampToUnitRange(probe);
            x += smoothChecked(smoother, probe, caller) - smoothed;
        } else {
            x += residual;
        }
        clampToUnitRange(x);
        if (afterEachStep) afterEachStep();
    }
    if (lastWasLeast) run.x = x;
    // A box blur's residual falls for a step or two, then climbs at every step; L0's wanders, and climbs
    // twice in a row in a third to a half of its runs, where the gradient steps then run and lose on residual
    // (docs/design.md).
    const size_t n = residuals.size();
    run.diverged = n >= 3 && residuals[n - 3] < residuals[n - 2] && residuals[n - 2] < residuals[n - 1];
    return run;
}

} // namespace

Mat leastResidualSteps(const Mat& y, const Mat& start, Smoother& smoother, int iterations, const char* caller,
                       double noiseFloor, const std::function<void()>& afterEachStep,
                       bool gradientWhereDiverging)
{
    const StepRun plain = stepRun(y, start, smoother, iterations, false, caller, noiseFloor, afterEachStep);
    if (!gradientWhereDiverging || !plain.diverged) return plain.x;
    // The T-method's steps amplify what F turns upside down (a box blur's negative lobes); gradient steps
    // shrink the residual whatever the sign of a linear, symmetric F's response. Not counted as progress: the
    // total was laid out before anyone knew they would run.
    const StepRun gradient = stepRun(y, start, smoother, iterations, true, caller, noiseFloor, nullptr);
    return gradient.residual < plain.residual ? gradient.x : plain.x;
}

} // namespace detail

void reverseFilter(InputArray _src, OutputArray _dst, const Ptr<Smoother>& smoother, int iterations,
                   int method, bool stopAtRounding)
{
    const Mat src = _src.getMat();
    detail::checkImageInput(src, "reverseFilter: the input");
    if (!smoother) CV_Error(Error::StsNullPtr, "reverseFilter: no smoother given");
    CV_CheckGE(iterations, 0, "reverseFilter: iterations must not be negative");
    if (method != REVERSE_FILTER_T && method != REVERSE_FILTER_TDA && method != REVERSE_FILTER_T_NESTEROV)
        CV_Error(Error::StsOutOfRange, cv::format("reverseFilter: unknown method %d (REVERSE_FILTER_T, "
                                                  "REVERSE_FILTER_TDA or REVERSE_FILTER_T_NESTEROV)",
                                                  method));

    // Everything runs on float 0..1 (CV_32F as the smoothers take it), so 8-bit inputs are not rounded
    // between iterations.
    const double toUnit = detail::scaleToUnit(src.depth());
    Mat y;
    src.convertTo(y, CV_32F, toUnit);
    const double noiseFloor = stopAtRounding ? detail::roundingFloor(y, src.depth()) : 0;
    const Mat x = detail::reverseFilterFrom(y, y, *smoother, iterations, method, "reverseFilter", noiseFloor);
    Mat result;
    x.convertTo(result, src.depth(), 1.0 / toUnit);
    _dst.assign(result);
}

} // namespace desmooth
} // namespace cv
