// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "model_validation.hpp"

namespace cv {
namespace desmooth {
namespace detail {

namespace {

const char* const kErrorPrefix = "desmooth model file '";

// An empty source is a configuration not (yet) in a file: ModelConfig::validate().
[[noreturn]] void fail(const String& source, const String& what)
{
    if (source.empty()) CV_Error(Error::StsBadArg, "desmooth model configuration: " + what);
    modelFileError(source, what);
}

void checkRangeOf(const char* name, int value, int low, int high, const String& source)
{
    if (value < low || value > high)
        fail(source, format("config.%s = %d is outside [%d, %d]", name, value, low, high));
}

std::vector<int> matShape(const Mat& m)
{
    return std::vector<int>(m.size.p, m.size.p + m.dims);
}

} // namespace

void modelFileError(const String& source, const String& what, int code)
{
    CV_Error(code, kErrorPrefix + source + "': " + what);
}

bool isModelFileError(const cv::Exception& e)
{
    return e.err.rfind(kErrorPrefix, 0) == 0;
}

std::vector<int> storageShape(const std::vector<int>& shape)
{
    return shape.size() == 1 ? std::vector<int>{1, shape[0]} : shape;
}

std::string shapeToString(const std::vector<int>& shape)
{
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

void validateConfig(const ModelConfig& c, const String& source)
{
    if (c.architecture != "unet" && c.architecture != "restore")
        fail(source, "config.architecture must be 'unet' or 'restore', not '" + c.architecture + "'");
    checkRangeOf("depth", c.depth, 2, 10, source);
    checkRangeOf("blocks", c.blocks, 0, c.isRestore() ? 64 : 0, source);
    checkRangeOf("full_res_blocks", c.fullResBlocks, 0, c.isRestore() ? 64 : 0, source);
    if (c.isRestore() && !c.residual) fail(source, "config.residual must be 1 for the restore architecture");
    checkRangeOf("ngf", c.ngf, 1, 512, source);
    if (c.maxChannels != 0 || !c.isRestore())
        checkRangeOf("max_channels", c.maxChannels, c.isRestore() ? c.ngf : 0, c.isRestore() ? 8 * c.ngf : 0,
                     source);
    checkRangeOf("ndf", c.ndf, 1, 1024, source);
    checkRangeOf("fa_levels", c.faLevels, 0, c.modulatedBlocks(), source);
    checkRangeOf("sft_hidden", c.sftHidden, 1, 1024, source);
    checkRangeOf("mlp_ratio", c.mlpRatio, 1, 4096, source);
    if (c.smoother != "l0") fail(source, "config.smoother.name must be 'l0', not '" + c.smoother + "'");
    if (!(c.smootherLambda > 0) || !std::isfinite(c.smootherLambda) || !(c.smootherKappa > 1) ||
        !std::isfinite(c.smootherKappa))
        fail(source, "config.smoother needs lambda > 0 and kappa > 1");
    if (c.smootherBorder != L0_BORDER_CIRCULAR && c.smootherBorder != L0_BORDER_REPLICATE)
        fail(source, "config.smoother.border must be circular or replicate");
}

namespace {

void validateWeights(const std::map<String, Mat>& weights, const std::map<String, std::vector<int>>& shapes,
                     const String& source, const char* prefix)
{
    for (const auto& entry : weights)
        if (!shapes.count(entry.first))
            fail(source, format("unexpected tensor '%s%s' for this config", prefix, entry.first.c_str()));
    for (const auto& entry : shapes) {
        const auto found = weights.find(entry.first);
        const char* name = entry.first.c_str();
        if (found == weights.end()) fail(source, format("missing tensor '%s%s'", prefix, name));
        const Mat& tensor = found->second;
        if (tensor.type() != CV_32F)
            fail(source, format("tensor '%s%s' must be float32 (CV_32F)", prefix, name));
        const std::vector<int> expected = storageShape(entry.second);
        if (matShape(tensor) != expected)
            fail(source, format("tensor '%s%s' has shape %s but the config needs %s", prefix, name,
                                shapeToString(matShape(tensor)).c_str(), shapeToString(expected).c_str()));
        if (!checkRange(tensor, true))
            fail(source, format("tensor '%s%s' contains NaN or Inf", prefix, name));
    }
}

} // namespace

void validateModel(const Model& model, const String& source)
{
    const std::map<String, std::vector<int>> shapes = modelWeightShapes(model.config);
    validateWeights(model.weights, shapes, source, "");
    if (!model.detailWeights.empty()) validateWeights(model.detailWeights, shapes, source, "detail end: ");
    if (!(model.defaultDetail >= 0 && model.defaultDetail <= 1))
        fail(source, format("the default detail %g is not in [0, 1]", model.defaultDetail));
    if (model.detailWeights.empty() && model.defaultDetail != 0)
        fail(source, "a default detail above 0 needs a detail end");
}

} // namespace detail
} // namespace desmooth
} // namespace cv
