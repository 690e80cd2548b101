// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_ESTIMATE_SMOOTHER_HPP
#define OPENCV_DESMOOTH_ESTIMATE_SMOOTHER_HPP

#include <opencv2/core.hpp>
#include <opencv2/desmooth/smoother.hpp>

namespace cv {
namespace desmooth {

//! @addtogroup desmooth
//! @{

/** @brief The candidates estimateSmoother() tries by default: members of the kinds l0, fgs, bilateral, guided
and edge_preserving over the strengths the trainer draws, and "none" (specs in Smoother::create()'s syntax).
The kinds Smoother::create() makes for measurement only (gaussian, median, rolling_guidance,
domain_transform) are not among them. */
CV_EXPORTS_W std::vector<String> defaultSmootherCandidates();

/** @brief Semi-blind recovery's first step: the smoother that best explains a smoothed image.

Each candidate F is scored by how well it maps the blind recovery x back onto the input y, relative to how
far x is from y: score(F) = RMS(F(x) - y) / RMS(x - y), on the centre of the image (at most 256x256, so the
cost is bounded: one call of each candidate on that crop). "none" scores 1 by definition; the lowest score
wins, so an input that no candidate explains better than leaving x alone is called "none". Where the library
carries a smoother classifier (haveBundledSmootherClassifier()) and `useClassifier` is set, the classifier's
pick (classifySmoother() of the input) wins when it is among the candidates, else the best-scoring candidate
of its kind (of all, where none is of that kind): the score alone leans to mild smoothers, since a recovery
close to y is "explained" best by removing a little.

@param smoothed y: CV_8U/CV_16U/CV_32F, 1, 3 or 4 channels, at least 2x2.
@param recovered the blind recovery x of y (same size and type); empty: the bundled model's fidelity end's
(detail 0: the detail end's texture is what a mild smoother removes best).
@param candidates specs for Smoother::create(); empty: defaultSmootherCandidates().
@param scores if given, a CV_64F column of every candidate's score, in their order.
@param useClassifier whether the bundled classifier chooses (where the library has one); false: the score
alone, over all candidates.
@return the winning candidate (describe() gives its spec); an L0 winner comes back with the border the input
shows (withL0BorderOf()).
 */
CV_EXPORTS_W Ptr<Smoother> estimateSmoother(InputArray smoothed, InputArray recovered = noArray(),
                                            const std::vector<String>& candidates = std::vector<String>(),
                                            OutputArray scores = noArray(), bool useClassifier = true);

/** @brief The smoother with the L0 border a smoothed image shows: `smoother` itself, unless it is L0
smoothing with #L0_BORDER_CIRCULAR and estimateL0Border() finds cv::ximgproc::l0Smooth's border in `smoothed`;
then the same L0 smoothing with #L0_BORDER_REPLICATE (a new object).

Consistency steps that enforce the other border leave the input's mean where ximgproc's scheme moved it
(docs/results.md), and a user who names a strength may not know which border made the input. A photo with a
drawn frame (a uniform line around it) shows the same mark, so this is an estimate.

@param smoother any smoother (Smoother::create()); not empty.
@param smoothed the image it is to explain: CV_8U/CV_16U/CV_32F, 1, 3 or 4 channels.
 */
CV_EXPORTS_W Ptr<Smoother> withL0BorderOf(const Ptr<Smoother>& smoother, InputArray smoothed);

//! @}

} // namespace desmooth
} // namespace cv

#endif
