// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_TRAINING_EXPORT_MODEL_HPP
#define DESMOOTH_TRAINING_EXPORT_MODEL_HPP

#include "generator.hpp"

#include <opencv2/desmooth/model.hpp>

#include <map>
#include <string>

namespace cv {
namespace desmooth {
namespace training {

/** The generator as the module's Model: spectral norm (with the stored u, v, as in eval mode) and BatchNorm
(running statistics) folded into plain convolution weights and biases, named as
cv::desmooth::modelWeightShapes says. */
cv::desmooth::Model exportModel(Generator& generator, const std::map<std::string, std::string>& train);

/** Starts a restore generator from a model file's fidelity-end weights (`model.weights`): a model of the same
configuration, or one level shallower, or with fewer full-resolution blocks. A shallower model's levels become
the generator's finer ones and the new coarsest level starts switched off (its upward convolution zero); a
full-resolution block the model lacks starts as the identity (its second convolution zero). Either way the
generator computes exactly what the model does and training adds the new layers from there (a network grown,
not retrained). Throws std::invalid_argument where the model does not fit: another architecture or width, a
gap of more than one level, more full-resolution blocks than the generator, full attention on other levels, a
generator with BatchNorm put back, a tensor of another shape. */
void importModel(const cv::desmooth::Model& model, Generator& generator);

/** Writes the model file, reloads it through cv::desmooth::DeSmoother and compares both forward passes on
seeded random input; throws std::runtime_error when they differ by more than `tolerance` (max abs, network
scale [-1, 1]). Returns that difference. */
double exportAndVerify(Generator& generator, const std::map<std::string, std::string>& train,
                       const std::string& path, double tolerance = 1e-4);

} // namespace training
} // namespace desmooth
} // namespace cv

#endif
