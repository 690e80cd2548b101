// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "metrics_input.hpp"

#include <exception>

namespace cv {
namespace desmooth {

namespace {

/** F(x) for a float image on 0..1, checked: a smoother is a black box (possibly the user's), so what it
 * throws or returns is turned into a clear error here rather than garbage further on. */
Mat smoothChecked(Smoother& smoother, const Mat& x)
{
    Mat smoothed;
    try {
        smoother.apply(x, smoothed);
    } catch (const cv::Exception&) {
        throw;
    } catch (const std::exception& e) {
        CV_Error(Error::StsError, cv::format("reverseFilter: the smoother failed: %s", e.what()));
    }
    if (smoothed.size() != x.size() || smoothed.type() != x.type())
        CV_Error(Error::StsUnmatchedSizes,
                 cv::format("reverseFilter: the smoother returned a %dx%d image of type %d for a %dx%d "
                            "image of type %d",
                            smoothed.cols, smoothed.rows, smoothed.type(), x.cols, x.rows, x.type()));
    if (!cv::checkRange(smoothed))
        CV_Error(Error::StsError, "reverseFilter: the smoother returned NaN or infinite values");
    return smoothed;
}

/** Keeps an estimate a possible image: inside the value range (0..1 here). */
void clampToRange(Mat& x)
{
    cv::max(x, 0.0, x);
    cv::min(x, 1.0, x);
}

} // namespace

void reverseFilter(InputArray _src, OutputArray _dst, const Ptr<Smoother>& smoother, int iterations,
                   int method)
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
    const double toUnit = detail::scaleTo255(src.depth()) / 255.0;
    Mat y;
    src.convertTo(y, CV_32F, toUnit);
    Mat x = y.clone();
    if (method == REVERSE_FILTER_T) {
        for (int k = 0; k < iterations; ++k) {
            x += y - smoothChecked(*smoother, x);
            clampToRange(x);
        }
    } else if (method == REVERSE_FILTER_TDA) {
        for (int k = 0; k < iterations; ++k) {
            const Mat smoothed = smoothChecked(*smoother, x);
            Mat probe = x + (y - smoothed);
            clampToRange(probe);
            x += smoothChecked(*smoother, probe) - smoothed;
            clampToRange(x);
        }
    } else {
        Mat z = x.clone();
        for (int k = 1; k <= iterations; ++k) {
            Mat next = z + (y - smoothChecked(*smoother, z));
            clampToRange(next);
            const double momentum = double(k - 1) / (k + 2);
            z = next + momentum * (next - x);
            clampToRange(z);
            x = next;
        }
    }
    Mat result;
    x.convertTo(result, src.depth(), 1.0 / toUnit);
    _dst.assign(result);
}

} // namespace desmooth
} // namespace cv
