// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_TRAINING_CHECKPOINT_HPP
#define DESMOOTH_TRAINING_CHECKPOINT_HPP

#include "gan_step.hpp"
#include "weight_average.hpp"

#include <random>
#include <string>

namespace cv {
namespace desmooth {
namespace training {

/** Writes G, D, both optimisers, the iteration, the data sampler's RNG state, the crops per step (all
ranks together; 0: not recorded) and, where given, G's weight average to `path` atomically (a temporary file,
then a rename): a run killed at any moment keeps its previous checkpoint whole. */
void saveCheckpoint(const std::string& path, GanStep& trainer, int64_t iteration, const std::mt19937_64& rng,
                    int cropsPerStep = 0, const WeightAverage* average = nullptr);

//! Where a checkpoint left off.
struct Checkpoint
{
    int64_t iteration = 0;
    int cropsPerStep = 0; //!< 0 where the checkpoint predates the record
};

//! Restores what saveCheckpoint wrote into a trainer built with the same configuration.
Checkpoint loadCheckpoint(const std::string& path, GanStep& trainer, std::mt19937_64& rng);

/** Reads G's weight average into `average`; false (and `average` untouched) where the checkpoint has none,
e.g. one written without --ema. */
bool loadWeightAverage(const std::string& path, WeightAverage& average);

/** Only the generator's and the discriminator's weights of a checkpoint (the optimisers, iteration and
sampler start afresh): how a run starts from another run's model, e.g. the detail end from the fidelity end.
G gets the weights that run exports: its weight average where the checkpoint has one (returns true then),
else its live weights. */
bool loadWeights(const std::string& path, GanStep& trainer);

} // namespace training
} // namespace desmooth
} // namespace cv

#endif
