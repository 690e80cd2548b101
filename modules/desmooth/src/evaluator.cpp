// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "opencv2/desmooth/evaluator.hpp"

#include <limits>

namespace cv {
namespace desmooth {

namespace {

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
        const Size size = recovered.size();
        scores.brisque = size.width >= 16 && size.height >= 16 ? brisque(recovered)
                                                               : std::numeric_limits<double>::quiet_NaN();
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
