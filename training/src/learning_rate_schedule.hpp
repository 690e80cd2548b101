// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_TRAINING_LEARNING_RATE_SCHEDULE_HPP
#define DESMOOTH_TRAINING_LEARNING_RATE_SCHEDULE_HPP

#include <cstdint>

namespace cv {
namespace desmooth {
namespace training {

/** pix2pix's schedule: the base rate until iteration `decayFrom`, then linearly down to zero at `total`.
`decayFrom` <= 0 (or >= total) keeps the rate constant. A function of the iteration alone, so a resumed run
follows the schedule of an uninterrupted one. `iteration` counts the steps already taken. */
double scheduledLearningRate(double base, int64_t iteration, int64_t total, int64_t decayFrom);

/** Cosine annealing (Loshchilov and Hutter 2017, without restarts): base * (1 + cos(pi * iteration / total))
/ 2, from the base rate at iteration 0 to zero at `total`; a function of the iteration alone, like the above.
A run resumed with a larger `total` continues on the longer curve. */
double cosineLearningRate(double base, int64_t iteration, int64_t total);

} // namespace training
} // namespace desmooth
} // namespace cv

#endif
