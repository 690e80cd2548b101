// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// The model file's schema, both ways: what readModelFile() accepts and what writeModelFile() writes.

#include "precomp.hpp"

#include "model_io.hpp"

namespace cv {
namespace desmooth {

namespace {

const char* const kFormat = "desmooth-model";
// Version 1: one set of weights. Version 2 adds the detail end (`detail_weights`, `detail_default`); a model
// with one end is still written as version 1, so that every earlier reader keeps reading it.
const int kVersion = 1, kVersionWithDetail = 2;
const char* const kConfigKeys[] = {"name",      "depth",      "ngf",       "ndf",      "sft",     "fa",
                                   "fa_levels", "sft_hidden", "mlp_ratio", "residual", "smoother"};
const char* const kSmootherKeys[] = {"name", "lambda", "kappa", "border"};
[[noreturn]] void fail(const String& path, const String& what)
{
    detail::parseFailure(path, what);
}

void checkKeys(const FileNode& map, const char* const* known, size_t count, const String& path,
               const String& where)
{
    if (!map.isMap()) fail(path, format("'%s' must be a map", where.c_str()));
    for (const String& key : map.keys())
        if (std::find(known, known + count, key) == known + count)
            fail(path, format("unknown key '%s' in '%s'", key.c_str(), where.c_str()));
}

int readInt(const FileNode& map, const char* key, const String& path)
{
    const FileNode node = map[key];
    if (!node.isInt()) fail(path, format("config key '%s' is missing or not an integer", key));
    return int(node);
}

double readReal(const FileNode& map, const char* key, const String& path)
{
    const FileNode node = map[key];
    if (!node.isInt() && !node.isReal())
        fail(path, format("config key '%s' is missing or not a number", key));
    return double(node);
}

String readString(const FileNode& map, const char* key, const String& path)
{
    const FileNode node = map[key];
    if (!node.isString()) fail(path, format("config key '%s' is missing or not a string", key));
    return String(node);
}

ModelConfig readConfig(const FileNode& node, const String& path)
{
    checkKeys(node, kConfigKeys, sizeof(kConfigKeys) / sizeof(*kConfigKeys), path, "config");
    ModelConfig config;
    config.name = readString(node, "name", path);
    config.depth = readInt(node, "depth", path);
    config.ngf = readInt(node, "ngf", path);
    config.ndf = readInt(node, "ndf", path);
    config.sft = readInt(node, "sft", path) != 0;
    config.fa = readInt(node, "fa", path) != 0;
    config.faLevels = readInt(node, "fa_levels", path);
    config.sftHidden = readInt(node, "sft_hidden", path);
    config.mlpRatio = readInt(node, "mlp_ratio", path);
    config.residual =
        !node["residual"].empty() && readInt(node, "residual", path) != 0; // optional: added later
    const FileNode smoother = node["smoother"];
    checkKeys(smoother, kSmootherKeys, sizeof(kSmootherKeys) / sizeof(*kSmootherKeys), path,
              "config.smoother");
    config.smoother = readString(smoother, "name", path);
    config.smootherLambda = readReal(smoother, "lambda", path);
    config.smootherKappa = readReal(smoother, "kappa", path);
    const String border = readString(smoother, "border", path);
    if (border != "circular" && border != "replicate")
        fail(path, "config.smoother.border must be 'circular' or 'replicate', not '" + border + "'");
    config.smootherBorder = border == "circular" ? L0_BORDER_CIRCULAR : L0_BORDER_REPLICATE;
    return config;
}

// The shape a stored matrix declares, read from its header alone: nothing is allocated yet.
std::vector<int> storedShape(const FileNode& node, const String& path, const String& name)
{
    if (!node.isMap()) fail(path, format("tensor '%s' is not a matrix", name.c_str()));
    const FileNode type = node["dt"];
    if (!type.isString() || String(type) != "f")
        fail(path, format("tensor '%s' must be float32 (dt: f)", name.c_str()));
    std::vector<int> shape;
    const FileNode sizes = node["sizes"];
    if (!sizes.empty()) {
        if (!sizes.isSeq() || sizes.size() > 8)
            fail(path, format("tensor '%s' has malformed sizes", name.c_str()));
        for (const FileNode& size : sizes) {
            if (!size.isInt()) fail(path, format("tensor '%s' has malformed sizes", name.c_str()));
            shape.push_back(int(size));
        }
    } else {
        const FileNode rows = node["rows"], cols = node["cols"];
        if (!rows.isInt() || !cols.isInt()) fail(path, format("tensor '%s' has no rows/cols", name.c_str()));
        shape = {int(rows), int(cols)};
    }
    return shape;
}

Mat readTensor(const FileNode& node, const std::vector<int>& expected, const String& path, const String& name)
{
    const std::vector<int> stored = storedShape(node, path, name);
    const std::vector<int> storedExpected = detail::storageShape(expected);
    if (stored != storedExpected)
        fail(path,
             format("tensor '%s' is stored as %s but the config needs %s", name.c_str(),
                    detail::shapeToString(stored).c_str(), detail::shapeToString(storedExpected).c_str()));
    Mat tensor;
    try {
        node >> tensor;
    } catch (const cv::Exception& e) {
        fail(path, format("tensor '%s' cannot be read (%s)", name.c_str(), e.err.c_str()));
    }
    return tensor;
}

// One set of weights: every tensor the config needs, nothing else, each checked before it is read.
std::map<String, Mat> readWeights(const FileNode& weights, const std::map<String, std::vector<int>>& shapes,
                                  const String& path, const char* key)
{
    if (!weights.isMap()) fail(path, format("'%s' is missing or not a map", key));
    const String prefix = String(key) == "weights" ? String() : String(key) + "/";
    for (const String& name : weights.keys())
        if (!shapes.count(name))
            fail(path, format("unexpected tensor '%s%s' for this config", prefix.c_str(), name.c_str()));
    std::map<String, Mat> tensors;
    for (const auto& entry : shapes) {
        const FileNode node = weights[entry.first];
        if (node.empty()) fail(path, format("missing tensor '%s%s'", prefix.c_str(), entry.first.c_str()));
        tensors[entry.first] = readTensor(node, entry.second, path, prefix + entry.first);
    }
    return tensors;
}

} // namespace

namespace detail {

Model readModelSchema(FileStorage& fs, const String& path)
{
    Model model;
    try {
        const FileNode root = fs.root();
        const FileNode formatNode = root["format"], versionNode = root["version"];
        if (!formatNode.isString() || String(formatNode) != kFormat)
            fail(path, format("'format' must be \"%s\"", kFormat));
        if (!versionNode.isInt() || (int(versionNode) != kVersion && int(versionNode) != kVersionWithDetail))
            fail(path, format("unsupported 'version' (this library reads versions %d and %d)", kVersion,
                              kVersionWithDetail));
        const bool twoEnds = int(versionNode) == kVersionWithDetail;
        model.config = readConfig(root["config"], path);
        detail::validateConfig(model.config, path);

        const FileNode train = root["train"];
        if (!train.empty()) {
            if (!train.isMap()) fail(path, "'train' must be a map");
            for (const String& key : train.keys()) {
                const FileNode value = train[key];
                if (value.isString())
                    model.train[key] = String(value);
                else if (value.isInt())
                    model.train[key] = std::to_string(int(value));
                else if (value.isReal())
                    model.train[key] = format("%.17g", double(value));
                else
                    fail(path, format("train.%s must be a string or a number", key.c_str()));
            }
        }

        const std::map<String, std::vector<int>> shapes = modelWeightShapes(model.config);
        model.weights = readWeights(root["weights"], shapes, path, "weights");
        if (twoEnds) {
            model.detailWeights = readWeights(root["detail_weights"], shapes, path, "detail_weights");
            const FileNode detailDefault = root["detail_default"];
            if (!detailDefault.isReal() && !detailDefault.isInt())
                fail(path, "'detail_default' is missing or not a number");
            model.defaultDetail = double(detailDefault);
        }
    } catch (const cv::Exception& e) {
        if (detail::isModelFileError(e)) throw;
        fail(path, e.err);
    } catch (const std::exception& e) {
        fail(path, e.what());
    }
    detail::validateModel(model, path);
    return model;
}

} // namespace detail

void writeModelFile(const String& path, const Model& model)
{
    detail::validateConfig(model.config, path);
    detail::validateModel(model, path);
    FileStorage fs(path, FileStorage::WRITE | FileStorage::BASE64);
    if (!fs.isOpened()) CV_Error(Error::StsError, "desmooth: cannot write the model file '" + path + "'");
    fs << "format" << kFormat << "version" << (model.detailWeights.empty() ? kVersion : kVersionWithDetail);
    const ModelConfig& c = model.config;
    fs << "config"
       << "{";
    fs << "name" << c.name << "depth" << c.depth << "ngf" << c.ngf << "ndf" << c.ndf << "sft" << int(c.sft)
       << "fa" << int(c.fa) << "fa_levels" << c.faLevels << "sft_hidden" << c.sftHidden << "mlp_ratio"
       << c.mlpRatio << "residual" << int(c.residual);
    fs << "smoother"
       << "{"
       << "name" << c.smoother << "lambda" << c.smootherLambda << "kappa" << c.smootherKappa << "border"
       << (c.smootherBorder == L0_BORDER_CIRCULAR ? "circular" : "replicate") << "}";
    fs << "}";
    fs << "train"
       << "{";
    for (const auto& entry : model.train)
        fs << entry.first << entry.second;
    fs << "}";
    fs << "weights"
       << "{";
    for (const auto& entry : model.weights)
        fs << entry.first << entry.second;
    fs << "}";
    if (!model.detailWeights.empty()) {
        fs << "detail_default" << model.defaultDetail;
        fs << "detail_weights"
           << "{";
        for (const auto& entry : model.detailWeights)
            fs << entry.first << entry.second;
        fs << "}";
    }
    fs.release();
}

} // namespace desmooth
} // namespace cv
