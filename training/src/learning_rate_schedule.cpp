// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "learning_rate_schedule.hpp"

#include <algorithm>
#include <cmath>

namespace cv {
namespace desmooth {
namespace training {

double scheduledLearningRate(double base, int64_t iteration, int64_t total, int64_t decayFrom)
{
    if (decayFrom <= 0 || decayFrom >= total || iteration < decayFrom) return base;
    const double remaining = double(std::max<int64_t>(0, total - iteration));
    return base * remaining / double(total - decayFrom);
}

double cosineLearningRate(double base, int64_t iteration, int64_t total)
{
    if (total <= 0) return base;
    const double progress = std::min(1.0, std::max(0.0, double(iteration) / double(total)));
    return base * 0.5 * (1.0 + std::cos(3.14159265358979323846 * progress));
}

} // namespace training
} // namespace desmooth
} // namespace cv
