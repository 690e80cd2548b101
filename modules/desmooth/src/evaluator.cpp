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

// A score that needs a larger image than this one (SSIM's window, GMSD's gradients, BRISQUE's scales: each
// says so with StsBadSize) is NaN, as BRISQUE is where its model files are not installed and LPIPS without
// weights: one small image or a missing optional file does not stop a whole evaluation. The metrics
// themselves say clearly what is missing.
template <typename Score> double orNaN(Score score, bool missingFilesToo = false)
{
    try {
        return score();
    } catch (const cv::Exception& e) {
        if (e.code == Error::StsBadSize || (missingFilesToo && e.code == Error::StsObjectNotFound))
            return std::numeric_limits<double>::quiet_NaN();
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
        scores.ssim = orNaN([&] { return ssim(recovered, groundTruth); });
        scores.psnr = psnr(recovered, groundTruth);
        scores.lpips =
            lpips_ ? lpips_->compute(recovered, groundTruth) : std::numeric_limits<double>::quiet_NaN();
        scores.gmsd = orNaN([&] { return gmsd(recovered, groundTruth); });
        scores.brisque = brisqueOf(recovered);
        scores.detail = detailRatio(recovered, groundTruth);
        return scores;
    }
    double brisqueOf(InputArray image) const CV_OVERRIDE
    {
        return orNaN([&] { return brisque(image); }, true);
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
