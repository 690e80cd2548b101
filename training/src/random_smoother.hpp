// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_TRAINING_RANDOM_SMOOTHER_HPP
#define DESMOOTH_TRAINING_RANDOM_SMOOTHER_HPP

#include <random>
#include <string>
#include <vector>

namespace cv {
namespace desmooth {
namespace training {

/** Draws the smoother of one training pair, so that one model serves inputs whose smoother nobody knows: a
kind chosen uniformly from `kinds` ("l0", "fgs", "bilateral", "guided", "edge_preserving", "gaussian",
"median", "rolling_guidance", "domain_transform"), its strength drawn log-uniformly over a range that spans
light to heavy smoothing (docs/training.md lists the ranges), or "none" (the photo itself: a model must leave
unsmoothed photos alone) with probability `identityShare`. Wide strengths move the heavy end of each range of
the five filter kinds about twice as far (L0 lambda to 0.16, the bilateral filter's sigmas to 250 and 25,
...): a share `wideShare` of the draws (0..1) is at wide strengths. At 0 or 1 the draws are the same, so a run
keeps its stream of crops, at strengths that reach heavier smoothing; a share between draws once more per
smoother to choose. The result is a cv::desmooth::Smoother::create spec, or "none". */
std::string drawSmootherSpec(const std::vector<std::string>& kinds, double identityShare,
                             std::mt19937_64& rng, double wideShare = 0);

//! "l0,fgs,bilateral" -> its items; every item must be a kind drawSmootherSpec knows (std::invalid_argument).
std::vector<std::string> parseSmootherKinds(const std::string& list);

//! A value whose logarithm is uniform between log(low) and log(high): strengths spread evenly by ratio.
double logUniform(double low, double high, std::mt19937_64& rng);

} // namespace training
} // namespace desmooth
} // namespace cv

#endif
