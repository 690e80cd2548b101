// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "recovery_methods.hpp"

#include <opencv2/imgproc.hpp>

#include <cstring>
#include <filesystem>
#include <limits>
#include <stdexcept>

namespace fs = std::filesystem;

namespace cv {
namespace desmooth {
namespace apps {

RecoveryMethod identityMethod()
{
    return {"identity", 0, [](const cv::Mat& smoothed) { return smoothed.clone(); }};
}

RecoveryMethod unsharpMethod(double sigma, double amount)
{
    return {cv::format("unsharp (sigma %g, amount %g)", sigma, amount), 0,
            [sigma, amount](const cv::Mat& smoothed) {
                cv::Mat blurred, sharpened;
                cv::GaussianBlur(smoothed, blurred, cv::Size(), sigma);
                cv::addWeighted(smoothed, 1.0 + amount, blurred, -amount, 0.0, sharpened, smoothed.depth());
                return sharpened;
            }};
}

std::pair<double, double> tuneUnsharp(const std::vector<cv::Mat>& smoothed,
                                      const std::vector<cv::Mat>& photos)
{
    std::pair<double, double> best{1.0, 0.0};
    double bestPsnr = -std::numeric_limits<double>::infinity();
    for (double sigma : {0.5, 1.0, 2.0, 3.0, 5.0})
        for (double amount : {0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0}) {
            const RecoveryMethod method = unsharpMethod(sigma, amount);
            double sum = 0;
            for (size_t i = 0; i < smoothed.size(); ++i)
                sum += cv::desmooth::psnr(method.recover(smoothed[i]), photos[i]);
            if (sum > bestPsnr) {
                bestPsnr = sum;
                best = {sigma, amount};
            }
        }
    return best;
}

cv::desmooth::Model readModel(const std::string& path)
{
    return path.empty() ? cv::desmooth::readBundledModel() : cv::desmooth::readModelFile(path);
}

namespace {

// The CLI's names of the ReverseFilterMethod values, in the enum's order.
const char* const kReverseFilterMethodNames[] = {"t", "tda", "nesterov"};

} // namespace

int reverseFilterMethodNamed(const std::string& name)
{
    for (int method = cv::desmooth::REVERSE_FILTER_T; method <= cv::desmooth::REVERSE_FILTER_T_NESTEROV;
         ++method)
        if (name == kReverseFilterMethodNames[method]) return method;
    throw std::invalid_argument("unknown reverse filtering method '" + name + "' (t, tda or nesterov)");
}

RecoveryMethod reverseMethod(const std::string& smootherSpec, int method, int iterations, bool stopAtRounding)
{
    CV_Assert(method < 0 || iterations >= 0);
    const cv::Ptr<cv::desmooth::Smoother> smoother = cv::desmooth::Smoother::create(smootherSpec);
    const std::string stop = stopAtRounding ? ", stopped within the rounding" : "";
    const std::string name =
        method >= 0 ? cv::format("reverse filtering (%s, %d iterations%s)", kReverseFilterMethodNames[method],
                                 iterations, stop.c_str())
        : iterations >= 0 ? cv::format("reverse filtering (%d iterations%s)", iterations, stop.c_str())
                          : "reverse filtering (known smoother" + stop + ")";
    // reverseFilter's own defaults where the row names none.
    if (method < 0) method = cv::desmooth::REVERSE_FILTER_T;
    if (iterations < 0) iterations = cv::desmooth::REVERSE_FILTER_DEFAULT_ITERATIONS;
    return {name, 0, [smoother, method, iterations, stopAtRounding](const cv::Mat& smoothed) {
                cv::Mat recovered;
                cv::desmooth::reverseFilter(smoothed, recovered, smoother, iterations, method,
                                            stopAtRounding);
                return recovered;
            }};
}

RecoveryMethod modelMethod(const std::string& name, const cv::desmooth::Model& model,
                           const ModelSettings& settings)
{
    const cv::Ptr<cv::desmooth::DeSmoother> desmoother = cv::desmooth::DeSmoother::create(model);
    if (settings.detail >= 0) desmoother->setDetail(settings.detail);
    desmoother->setSelfEnsemble(settings.selfEnsemble);
    desmoother->setConsistencyFromInput(settings.consistencyFromInput);
    if (settings.autoIterations >= 0) desmoother->setAutoIterations(settings.autoIterations);
    if (settings.autoMoveLimit >= 0) desmoother->setAutoMoveLimit(settings.autoMoveLimit);
    const std::string smoother = settings.smoother;
    long long parameters = 0;
    for (const auto& weight : model.weights)
        parameters += (long long)weight.second.total();
    return {name, parameters, [desmoother, smoother](const cv::Mat& smoothed) {
                cv::Mat recovered;
                if (smoother.empty())
                    desmoother->recover(smoothed, recovered);
                else
                    desmoother->recover(smoothed, recovered, smoother);
                return recovered;
            }};
}

std::vector<double> detailSettings(const cv::desmooth::Model& model, const std::vector<double>& details)
{
    if (details.empty()) return {-1};
    std::vector<double> accepted;
    for (double t : details)
        if (t == 0 || !model.detailWeights.empty()) accepted.push_back(t);
    return accepted;
}

std::pair<std::string, std::string> parseModelArgument(const std::string& argument)
{
    const size_t equals = argument.find('=');
    if (equals != std::string::npos) return {argument.substr(0, equals), argument.substr(equals + 1)};
    const fs::path path(argument);
    if (path.filename() == "model.yml.gz" && path.has_parent_path())
        return {path.parent_path().filename().string(), argument};
    std::string stem = path.filename().string();
    for (const char* extension : {".gz", ".yml", ".yaml", ".json", ".xml"})
        if (stem.size() > std::strlen(extension) &&
            stem.substr(stem.size() - std::strlen(extension)) == extension)
            stem.resize(stem.size() - std::strlen(extension));
    return {stem, argument};
}

} // namespace apps
} // namespace desmooth
} // namespace cv
