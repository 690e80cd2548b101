// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "opencv2/desmooth/evaluator.hpp"

#include <limits>

namespace cv {
namespace desmooth {

Scores::Scores() : sc(0), ssim(0), psnr(0), lpips(0), gmsd(0), brisque(0), detail(0) {}

namespace {

// BRISQUE where it can be computed; NaN for images under 16x16 and where its model files are not installed
// (as LPIPS without weights): the other scores do not depend on it. brisque() itself says clearly what is
// missing.
double brisqueOrNaN(InputArray image)
{
    const Size size = image.size();
    if (size.width < 16 || size.height < 16) return std::numeric_limits<double>::quiet_NaN();
    try {
        return brisque(image);
    } catch (const cv::Exception& e) {
        if (e.code == Error::StsObjectNotFound) return std::numeric_limits<double>::quiet_NaN();
        throw;
    }
}

class EvaluatorImpl CV_FINAL : public Evaluator
{
public:
    EvaluatorImpl(const Ptr<Smoother>& smoother, const Ptr<Lpips>& lpips)
        : smoother_(smoother ? smoother : Smoother::createL0()), lpips_(lpips)
    {
    }

    Scores evaluate(InputArray recovered, InputArray smoothed, InputArray groundTruth) CV_OVERRIDE
    {
        Scores scores;
        scores.sc = smoothConsistency(recovered, smoothed, smoother_);
        scores.ssim = ssim(recovered, groundTruth);
        scores.psnr = psnr(recovered, groundTruth);
        scores.lpips =
            lpips_ ? lpips_->compute(recovered, groundTruth) : std::numeric_limits<double>::quiet_NaN();
        scores.gmsd = gmsd(recovered, groundTruth);
        scores.brisque = brisqueOrNaN(recovered);
        scores.detail = detailRatio(recovered, groundTruth);
        return scores;
    }
    Ptr<Smoother> getSmoother() const CV_OVERRIDE { return smoother_; }
    bool hasLpips() const CV_OVERRIDE { return !lpips_.empty(); }

private:
    Ptr<Smoother> smoother_;
    Ptr<Lpips> lpips_;
};

} // namespace

Ptr<Evaluator> Evaluator::create(const Ptr<Smoother>& smoother, const String& lpipsDescription)
{
    return create(smoother, lpipsDescription.empty() ? Ptr<Lpips>() : Lpips::create(lpipsDescription));
}

Ptr<Evaluator> Evaluator::create(const Ptr<Smoother>& smoother, const Ptr<Lpips>& lpips)
{
    return makePtr<EvaluatorImpl>(smoother, lpips);
}

} // namespace desmooth
} // namespace cv
