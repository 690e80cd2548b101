// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "metrics_input.hpp"
#include "smoother_call.hpp"
#include "smoother_classifier_internals.hpp"

namespace cv {
namespace desmooth {

namespace {

// Candidates are scored on the centre of the image: enough context for every smoother's window, a bounded
// cost at any image size.
const int kScoredSide = 256;

Rect centre(Size size)
{
    const int w = std::min(size.width, kScoredSide), h = std::min(size.height, kScoredSide);
    return Rect((size.width - w) / 2, (size.height - h) / 2, w, h);
}

//! "l0:lambda=0.02" -> "l0"
String kindOf(const String& spec)
{
    const size_t colon = spec.find(':');
    return colon == String::npos ? spec : spec.substr(0, colon);
}

double rms(const Mat& a, const Mat& b)
{
    return std::sqrt(detail::pooledMse(a, b));
}

} // namespace

std::vector<String> defaultSmootherCandidates()
{
    // Low, middle and high strengths of the ranges the trainer draws from (docs/design.md), per kind.
    return {"none",
            "l0:lambda=0.005",
            "l0:lambda=0.01",
            "l0:lambda=0.02",
            "l0:lambda=0.04",
            "l0:lambda=0.08",
            "fgs:lambda=30,sigma=5",
            "fgs:lambda=100,sigma=5",
            "fgs:lambda=300,sigma=7",
            "fgs:lambda=1000,sigma=12",
            "bilateral:d=5,sigma_color=30,sigma_space=3",
            "bilateral:d=9,sigma_color=50,sigma_space=5",
            "bilateral:d=15,sigma_color=100,sigma_space=10",
            "bilateral:d=15,sigma_color=150,sigma_space=15",
            "guided:radius=2,eps=100",
            "guided:radius=4,eps=400",
            "guided:radius=8,eps=1600",
            "edge_preserving:sigma_s=20,sigma_r=0.2",
            "edge_preserving:sigma_s=60,sigma_r=0.4",
            "edge_preserving:sigma_s=150,sigma_r=0.6"};
}

Ptr<Smoother> estimateSmoother(InputArray _smoothed, InputArray _recovered,
                               const std::vector<String>& _candidates, OutputArray _scores,
                               bool useClassifier)
{
    const Mat smoothed = _smoothed.getMat();
    detail::checkImageInput(smoothed, "estimateSmoother: the smoothed image");
    if (detail::tooSmallToClassify(smoothed))
        CV_Error(
            Error::StsBadSize,
            format("estimateSmoother: the smoothed image must be at least %dx%d (nothing to estimate from; "
                   "recover(src, dst, \"auto\") recovers it blind)",
                   detail::kClassifierMinSide, detail::kClassifierMinSide));
    Mat recovered = _recovered.getMat();
    if (!recovered.empty()) {
        detail::checkImageInput(recovered, "estimateSmoother: the recovered image");
        detail::checkSameShape(smoothed, recovered, "estimateSmoother: the smoothed and recovered images");
    }
    const std::vector<String> specs = _candidates.empty() ? defaultSmootherCandidates() : _candidates;
    std::vector<Ptr<Smoother>> candidates;
    for (const String& spec : specs)
        candidates.push_back(Smoother::create(spec)); // an unknown spec fails before any work

    // The classifier's pick where there is one: the score alone leans to mild smoothers (a recovery close to
    // y is "explained" best by removing a little), so it decides only what the classifier leaves open.
    const String picked =
        useClassifier && haveBundledSmootherClassifier() ? classifySmoother(smoothed) : String();
    std::vector<size_t> eligible;
    if (!picked.empty()) {
        const String pickedSpec = Smoother::create(picked)->describe();
        for (size_t i = 0; i < candidates.size(); ++i)
            if (candidates[i]->describe() == pickedSpec) eligible.push_back(i);
        // The pick is a candidate and no one asks for the scores: they would decide nothing.
        if (!eligible.empty() && !_scores.needed())
            return withL0BorderOf(candidates[eligible.front()], smoothed);
        if (eligible.empty()) // not among the given candidates: those of its kind
            for (size_t i = 0; i < candidates.size(); ++i)
                if (kindOf(candidates[i]->describe()) == kindOf(pickedSpec)) eligible.push_back(i);
    }
    if (eligible.empty())
        for (size_t i = 0; i < candidates.size(); ++i)
            eligible.push_back(i);

    if (recovered.empty()) {
        // Made once, as recover()'s bundled DeSmoother (reading the model file per call would dominate).
        static const Ptr<DeSmoother> bundledFidelityEnd = [] {
            const Ptr<DeSmoother> bundled = DeSmoother::create("");
            bundled->setDetail(0);
            return bundled;
        }();
        bundledFidelityEnd->recover(smoothed, recovered);
    }
    const Rect crop = centre(smoothed.size());
    const double toUnit = detail::scaleToUnit(smoothed.depth());
    Mat y, x;
    smoothed(crop).convertTo(y, CV_32F, toUnit);
    recovered(crop).convertTo(x, CV_32F, toUnit);
    // A recovery that changed nothing explains nothing: every candidate but "none" would divide by 0.
    const double change = std::max(rms(x, y), 1e-6);

    std::vector<double> scores;
    for (const Ptr<Smoother>& candidate : candidates)
        scores.push_back(rms(detail::smoothChecked(*candidate, x, "estimateSmoother"), y) / change);
    const size_t best = *std::min_element(eligible.begin(), eligible.end(),
                                          [&scores](size_t a, size_t b) { return scores[a] < scores[b]; });
    if (_scores.needed()) Mat(scores, true).copyTo(_scores);
    return withL0BorderOf(candidates[best], smoothed);
}

} // namespace desmooth
} // namespace cv
