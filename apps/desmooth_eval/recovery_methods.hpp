// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_EVAL_RECOVERY_METHODS_HPP
#define DESMOOTH_EVAL_RECOVERY_METHODS_HPP

#include <opencv2/desmooth.hpp>

#include <functional>
#include <string>
#include <vector>

namespace cv {
namespace desmooth {
namespace apps {

/** One row of the table: a way to turn a smoothed image into a recovery. */
struct RecoveryMethod
{
    std::string name;
    long long parameters = 0; //!< learned parameters (0 for the non-learned baselines)
    std::function<cv::Mat(const cv::Mat& smoothed)> recover;
};

/** The smoothed input itself: the floor every method must beat. */
RecoveryMethod identityMethod();

/** An unsharp mask, input + amount * (input - GaussianBlur(input, sigma)). */
RecoveryMethod unsharpMethod(double sigma, double amount);

/** Picks the unsharp mask's sigma and amount that give the highest mean PSNR over the pairs (a grid search):
 * the best this baseline can do on them. Returns {sigma, amount}. */
std::pair<double, double> tuneUnsharp(const std::vector<cv::Mat>& smoothed,
                                      const std::vector<cv::Mat>& photos);

/** Reverse filtering with the smoother that made the input (cv::desmooth::reverseFilter): the classical
 * anchor of known-smoother recovery. `iterations` < 0 keeps reverseFilter's default count and `method` < 0
 * its default scheme (a scheme needs a count); a row that names either is labelled with it, and so is one
 * that stops within the input's rounding (`stopAtRounding`). */
RecoveryMethod reverseMethod(const std::string& smootherSpec, int method = -1, int iterations = -1,
                             bool stopAtRounding = false);

/** "t", "tda" or "nesterov" -> the ReverseFilterMethod; throws std::invalid_argument otherwise. */
int reverseFilterMethodNamed(const std::string& name);

/** A DeSmoothGAN model file ("" = the bundled model). */
cv::desmooth::Model readModel(const std::string& path);

/** How a model recovers: each a DeSmoother setting, the defaults leaving the DeSmoother's own. */
struct ModelSettings
{
    double detail = -1;   //!< < 0: the model's default fidelity-detail setting, else DeSmoother::setDetail
    std::string smoother; //!< "": blind recovery; a spec: known-smoother recovery with it; "auto": estimated
    int autoIterations = -1;   //!< < 0: "auto"'s default number of steps, else DeSmoother::setAutoIterations
    double autoMoveLimit = -1; //!< < 0: "auto"'s default move limit, else DeSmoother::setAutoMoveLimit
    int selfEnsemble = 1;      //!< DeSmoother::setSelfEnsemble
    bool consistencyFromInput = true; //!< DeSmoother::setConsistencyFromInput
};

/** A model, labelled `name`, recovering with `settings` (DeSmoother::recover). */
RecoveryMethod modelMethod(const std::string& name, const cv::desmooth::Model& model,
                           const ModelSettings& settings = ModelSettings());

/** The model's fidelity-detail settings to score: each of `details` the model accepts (all of them for a
 * model with a detail end, only 0 for one without), or {-1} (its default) when `details` is empty. */
std::vector<double> detailSettings(const cv::desmooth::Model& model, const std::vector<double>& details);

/** "name=path" -> {name, path}; a bare path is named after its folder when the file is model.yml.gz (a
 * training run's output), else after the file. */
std::pair<std::string, std::string> parseModelArgument(const std::string& argument);

} // namespace apps
} // namespace desmooth
} // namespace cv

#endif
