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
// with one end is still written as version 1, so that every earlier reader keeps reading it. Version 3 stores
// the tensors as float16 (`weights_dtype: float16`), with or without a detail end; float32 models keep 1
// and 2.
const int kVersion = 1, kVersionWithDetail = 2, kVersionFloat16 = 3;
const char* const kFloat16 = "float16";
// The largest finite float16: a weight beyond it cannot be stored as float16.
const double kFloat16Max = 65504;
// `architecture` and `blocks` are written for the restore architecture only, so that a unet model stays
// readable by readers that predate them (which reject unknown keys); `full_res_blocks` and `max_channels`
// only when not 0, so that a restore model without them stays readable by readers that predate those keys,
// and one with them is refused.
const char* const kConfigKeys[] = {"name",         "architecture", "depth",           "blocks",   "ngf",
                                   "max_channels", "ndf",          "full_res_blocks", "sft",      "fa",
                                   "fa_levels",    "sft_hidden",   "mlp_ratio",       "residual", "smoother"};
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
    // optional: added with the restore architecture; absent means the paper's U-Net
    config.architecture =
        node["architecture"].empty() ? String("unet") : readString(node, "architecture", path);
    config.depth = readInt(node, "depth", path);
    config.blocks = node["blocks"].empty() ? 0 : readInt(node, "blocks", path);
    config.fullResBlocks = node["full_res_blocks"].empty() ? 0 : readInt(node, "full_res_blocks", path);
    config.ngf = readInt(node, "ngf", path);
    config.maxChannels = node["max_channels"].empty() ? 0 : readInt(node, "max_channels", path);
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
// A float16 tensor is stored as the bits of its values in a 16U matrix (dt: w): OpenCV 4.6's base64 writer
// has no float16 type.
std::vector<int> storedShape(const FileNode& node, bool float16, const String& path, const String& name)
{
    if (!node.isMap()) fail(path, format("tensor '%s' is not a matrix", name.c_str()));
    const FileNode type = node["dt"];
    if (!type.isString() || String(type) != (float16 ? "w" : "f"))
        fail(path, format(float16 ? "tensor '%s' must be float16 bits (dt: w)"
                                  : "tensor '%s' must be float32 (dt: f)",
                          name.c_str()));
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

Mat readTensor(const FileNode& node, const std::vector<int>& expected, bool float16, const String& path,
               const String& name)
{
    const std::vector<int> stored = storedShape(node, float16, path, name);
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
    if (!float16) return tensor;
    Mat values;
    Mat(tensor.dims, tensor.size.p, CV_16F, tensor.data).convertTo(values, CV_32F);
    return values;
}

// Checked before the file is opened, so that a refused model leaves an existing file as it was.
void checkFitsFloat16(const std::map<String, Mat>& weights, const String& path)
{
    for (const auto& entry : weights)
        if (norm(entry.second, NORM_INF) > kFloat16Max)
            CV_Error(Error::StsOutOfRange,
                     format("desmooth: cannot write '%s' as float16: tensor '%s' has values beyond +-%g",
                            path.c_str(), entry.first.c_str(), kFloat16Max));
}

// The tensors as stored: float32 as they are, float16 as the bits of the rounded values (see storedShape).
void writeTensors(FileStorage& fs, const char* key, const std::map<String, Mat>& weights, bool float16)
{
    fs << key << "{";
    for (const auto& entry : weights) {
        if (!float16) {
            fs << entry.first << entry.second;
            continue;
        }
        Mat values;
        entry.second.convertTo(values, CV_16F);
        fs << entry.first << Mat(values.dims, values.size.p, CV_16U, values.data);
    }
    fs << "}";
}

// One set of weights: every tensor the config needs, nothing else, each checked before it is read.
std::map<String, Mat> readWeights(const FileNode& weights, const std::map<String, std::vector<int>>& shapes,
                                  bool float16, const String& path, const char* key)
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
        tensors[entry.first] = readTensor(node, entry.second, float16, path, prefix + entry.first);
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
        const int version = versionNode.isInt() ? int(versionNode) : 0;
        if (version != kVersion && version != kVersionWithDetail && version != kVersionFloat16)
            fail(path, format("unsupported 'version' (this library reads versions %d to %d)", kVersion,
                              kVersionFloat16));
        const bool float16 = version == kVersionFloat16;
        if (float16) {
            const FileNode dtype = root["weights_dtype"];
            if (!dtype.isString() || String(dtype) != kFloat16)
                fail(path, format("version %d needs 'weights_dtype: %s'", kVersionFloat16, kFloat16));
        }
        const bool twoEnds = version == kVersionWithDetail || (float16 && !root["detail_weights"].empty());
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
        model.weights = readWeights(root["weights"], shapes, float16, path, "weights");
        if (twoEnds) {
            model.detailWeights =
                readWeights(root["detail_weights"], shapes, float16, path, "detail_weights");
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

void writeModelFile(const String& path, const Model& model, int depth)
{
    CV_CheckDepth(depth, depth == CV_32F || depth == CV_16F,
                  "desmooth: model files store CV_32F or CV_16F weights");
    const bool float16 = depth == CV_16F;
    detail::validateConfig(model.config, path);
    detail::validateModel(model, path);
    if (float16) {
        checkFitsFloat16(model.weights, path);
        checkFitsFloat16(model.detailWeights, path);
    }
    FileStorage fs(path, FileStorage::WRITE | FileStorage::BASE64);
    if (!fs.isOpened()) CV_Error(Error::StsError, "desmooth: cannot write the model file '" + path + "'");
    fs << "format" << kFormat << "version"
       << (float16                       ? kVersionFloat16
           : model.detailWeights.empty() ? kVersion
                                         : kVersionWithDetail);
    if (float16) fs << "weights_dtype" << kFloat16;
    const ModelConfig& c = model.config;
    fs << "config"
       << "{";
    fs << "name" << c.name;
    if (c.isRestore()) fs << "architecture" << c.architecture << "blocks" << c.blocks;
    if (c.fullResBlocks != 0) fs << "full_res_blocks" << c.fullResBlocks;
    if (c.maxChannels != 0) fs << "max_channels" << c.maxChannels;
    fs << "depth" << c.depth << "ngf" << c.ngf << "ndf" << c.ndf << "sft" << int(c.sft) << "fa" << int(c.fa)
       << "fa_levels" << c.faLevels << "sft_hidden" << c.sftHidden << "mlp_ratio" << c.mlpRatio << "residual"
       << int(c.residual);
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
    writeTensors(fs, "weights", model.weights, float16);
    if (!model.detailWeights.empty()) {
        fs << "detail_default" << model.defaultDetail;
        writeTensors(fs, "detail_weights", model.detailWeights, float16);
    }
    fs.release();
}

} // namespace desmooth
} // namespace cv
