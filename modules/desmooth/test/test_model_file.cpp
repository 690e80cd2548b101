// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "test_precomp.hpp"

#include "random_model.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

namespace opencv_test {
namespace {

using namespace cv;
using namespace cv::desmooth;

//! The tiny configuration with full attention at one level (the text edits below rely on `fa_levels: 1`).
ModelConfig smallConfig()
{
    return tinyConfig(true, true, 1);
}

std::string tempPath(const std::string& name)
{
    return (std::string(::testing::TempDir()) + "desmooth_" + std::to_string(::getpid()) + "_" + name);
}

std::string readText(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void writeText(const std::string& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

//! Writes the documented format directly with FileStorage and no validation, as a broken trainer might.
void writeUnchecked(const std::string& path, const Model& model, bool base64 = true)
{
    FileStorage fs(path, FileStorage::WRITE | (base64 ? FileStorage::BASE64 : 0));
    const ModelConfig& c = model.config;
    fs << "format"
       << "desmooth-model"
       << "version" << 1;
    fs << "config"
       << "{"
       << "name" << c.name << "depth" << c.depth << "ngf" << c.ngf << "ndf" << c.ndf << "sft" << int(c.sft)
       << "fa" << int(c.fa) << "fa_levels" << c.faLevels << "sft_hidden" << c.sftHidden << "mlp_ratio"
       << c.mlpRatio << "smoother"
       << "{"
       << "name"
       << "l0"
       << "lambda" << 0.02 << "kappa" << 2.0 << "border"
       << "circular"
       << "}"
       << "}";
    fs << "weights"
       << "{";
    for (const auto& entry : model.weights)
        fs << entry.first << entry.second;
    fs << "}";
}

//! Writes a valid small model with plain-text (not base64) tensors and returns its text, for tests that
//! corrupt it.
std::string validModelText(const std::string& path)
{
    writeUnchecked(path, randomModel(smallConfig(), 5), false);
    readModelFile(path); // valid as written
    return readText(path);
}

std::string replaced(std::string text, const std::string& from, const std::string& to)
{
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << "test set-up: '" << from << "' not in the model text";
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

//! Expects readModelFile to throw a cv::Exception whose message contains every fragment (the file, the
//! culprit).
void expectReadError(const std::string& path, std::initializer_list<std::string> fragments)
{
    try {
        readModelFile(path);
        ADD_FAILURE() << "readModelFile accepted a bad file; expected an error mentioning "
                      << *fragments.begin();
    } catch (const cv::Exception& e) {
        for (const std::string& fragment : fragments)
            EXPECT_NE(e.err.find(fragment), std::string::npos)
                << "message: " << e.err << "\nmissing: " << fragment;
    }
}

TEST(Desmooth_ModelFile, round_trip_keeps_everything)
{
    for (const char* extension : {".yml", ".yml.gz", ".json", ".xml"}) {
        const std::string path = tempPath(std::string("roundtrip") + extension);
        Model written = randomModel(smallConfig(), 11);
        written.config.residual = std::string(extension) == ".json" || std::string(extension) == ".yml.gz";
        writeModelFile(path, written);
        const Model read = readModelFile(path);
        EXPECT_EQ(read.config.residual, written.config.residual) << extension;
        EXPECT_EQ(read.config.depth, written.config.depth);
        EXPECT_EQ(read.config.ngf, written.config.ngf);
        EXPECT_EQ(read.config.sftHidden, written.config.sftHidden);
        EXPECT_EQ(read.config.faLevels, written.config.faLevels);
        EXPECT_EQ(read.config.mlpRatio, written.config.mlpRatio);
        EXPECT_EQ(read.config.name, written.config.name);
        EXPECT_EQ(read.train, written.train);
        ASSERT_EQ(read.weights.size(), written.weights.size());
        for (const auto& entry : written.weights)
            EXPECT_EQ(cv::norm(read.weights.at(entry.first), entry.second, NORM_INF), 0)
                << entry.first << extension;
        std::remove(path.c_str());
    }
}

// The restore architecture adds two config keys; a unet file is written without them, so that readers which
// predate them (and reject unknown keys) keep reading it.
TEST(Desmooth_ModelFile, restore_round_trip_and_unet_files_without_the_new_keys)
{
    const std::string path = tempPath("restore.yml");
    const Model written = randomModel(tinyRestoreConfig(2), 12);
    writeModelFile(path, written);
    const Model read = readModelFile(path);
    EXPECT_EQ(read.config.architecture, "restore");
    EXPECT_TRUE(read.config.isRestore());
    EXPECT_EQ(read.config.blocks, written.config.blocks);
    EXPECT_EQ(read.config.fullResBlocks, 0);
    EXPECT_EQ(read.config.faLevels, 2);
    ASSERT_EQ(read.weights.size(), written.weights.size());
    for (const auto& entry : written.weights)
        EXPECT_EQ(cv::norm(read.weights.at(entry.first), entry.second, NORM_INF), 0) << entry.first;
    const std::string text = readText(path);
    EXPECT_NE(text.find("architecture"), std::string::npos);

    writeText(path, replaced(text, "architecture: restore", "architecture: resnet"));
    expectReadError(path, {path, "architecture", "resnet"});
    writeText(path, replaced(text, "residual: 1", "residual: 0"));
    expectReadError(path, {path, "residual"});
    // full_res_blocks is written only where there are any: a file without them stays what earlier readers
    // took.
    EXPECT_EQ(text.find("full_res_blocks"), std::string::npos);
    // tinyRestoreConfig(2) with one switch changed, written and read back.
    const auto writtenAndRead = [&](int ModelConfig::*field, int value, int seed) {
        ModelConfig config = tinyRestoreConfig(2);
        config.*field = value;
        writeModelFile(path, randomModel(config, seed));
        return readModelFile(path);
    };
    const Model deeper = writtenAndRead(&ModelConfig::fullResBlocks, 2, 14);
    EXPECT_EQ(deeper.config.fullResBlocks, 2);
    EXPECT_EQ(deeper.weights.size(),
              written.weights.size() + 2 * 2 * 2); // 2 blocks x 2 convolutions x (w, b)
    EXPECT_TRUE(deeper.weights.count("dec2_res1_conv2_w"));
    writeText(path, replaced(readText(path), "full_res_blocks: 2", "full_res_blocks: 65"));
    expectReadError(path, {path, "full_res_blocks"});
    // max_channels likewise: absent when 0; a cap narrows the coarse levels (ngf 4: 4, 8, 16 -> 4, 8, 8) and
    // is refused below ngf, above 8 ngf and on the U-Net.
    EXPECT_EQ(text.find("max_channels"), std::string::npos);
    const Model narrower = writtenAndRead(&ModelConfig::maxChannels, 8, 15);
    EXPECT_EQ(narrower.config.maxChannels, 8);
    EXPECT_EQ(narrower.weights.at("enc2_down_w").size[0], 8);
    EXPECT_EQ(written.weights.at("enc2_down_w").size[0], 16);
    const std::string cappedText = readText(path);
    writeText(path, replaced(cappedText, "max_channels: 8", "max_channels: 3"));
    expectReadError(path, {path, "max_channels", "[4, 32]"});
    writeText(path, replaced(cappedText, "max_channels: 8", "max_channels: 33"));
    expectReadError(path, {path, "max_channels"});
    ModelConfig cappedUnet = smallConfig();
    cappedUnet.maxChannels = 8;
    try {
        cappedUnet.validate();
        ADD_FAILURE() << "a U-Net with max_channels validated";
    } catch (const cv::Exception& e) {
        EXPECT_NE(e.err.find("desmooth model configuration: config.max_channels = 8"), std::string::npos)
            << e.err;
    }
    EXPECT_NO_THROW(narrower.config.validate());

    writeModelFile(path, randomModel(smallConfig(), 13));
    EXPECT_EQ(readText(path).find("architecture"), std::string::npos);
    EXPECT_EQ(readText(path).find("blocks"), std::string::npos);
    EXPECT_EQ(readModelFile(path).config.architecture, "unet");
    std::remove(path.c_str());
}

TEST(Desmooth_ModelFile, named_configs_have_the_documented_size)
{
    const auto parameters = [](const ModelConfig& config) {
        size_t count = 0;
        for (const auto& entry : modelWeightShapes(config)) {
            size_t n = 1;
            for (int d : entry.second)
                n *= d;
            count += n;
        }
        return count;
    };
    // docs/design.md: lite ~2.9 M parameters, paper ~58 M, restore ~0.14 M.
    EXPECT_NEAR(double(parameters(ModelConfig::lite())), 2.9e6, 0.15e6);
    EXPECT_NEAR(double(parameters(ModelConfig::paper())), 58e6, 3e6);
    EXPECT_NEAR(double(parameters(ModelConfig::restore())), 0.144e6, 0.01e6);
}

TEST(Desmooth_ModelFile, configs_by_name)
{
    for (const char* name : {"lite", "paper", "restore"})
        EXPECT_EQ(ModelConfig::named(name).name, name);
    EXPECT_TRUE(ModelConfig::named("restore").isRestore());
    // fa_levels is bounded by the decoder blocks that can carry it: all of restore's, all but unet's last.
    EXPECT_EQ(ModelConfig::named("restore").modulatedBlocks(), ModelConfig::restore().depth);
    EXPECT_EQ(ModelConfig::named("lite").modulatedBlocks(), ModelConfig::lite().depth - 1);
    try {
        ModelConfig::named("huge");
        ADD_FAILURE() << "an unknown name was accepted";
    } catch (const cv::Exception& e) {
        EXPECT_NE(e.err.find("huge"), std::string::npos) << e.err;
    }
}

TEST(Desmooth_ModelFile, wrong_format_or_version)
{
    const std::string path = tempPath("format.yml");
    const std::string text = validModelText(path);
    writeText(path, replaced(text, "desmooth-model", "other-model"));
    expectReadError(path, {path, "format"});
    writeText(path, replaced(text, "version: 1", "version: 4"));
    expectReadError(path, {path, "version"});
}

TEST(Desmooth_ModelFile, config_keys_are_strict)
{
    const std::string path = tempPath("config.yml");
    const std::string text = validModelText(path);
    writeText(path, replaced(text, "ngf: 4", "ngf: 4\n   colour: 3"));
    expectReadError(path, {path, "colour"});
    writeText(path, replaced(text, "ngf: 4", "ngf_typo: 4"));
    expectReadError(path, {path, "ngf_typo"});
    writeText(path, replaced(text, "depth: 3", "depth: 40"));
    expectReadError(path, {path, "depth"});
    writeText(path, replaced(text, "ngf: 4", "ngf: four"));
    expectReadError(path, {path, "ngf"});
    writeText(path, replaced(text, "border: circular", "border: wrap"));
    expectReadError(path, {path, "border"});
}

TEST(Desmooth_ModelFile, missing_unexpected_or_misshapen_tensor)
{
    const std::string path = tempPath("tensors.yml");
    const std::string text = validModelText(path);
    // The config decides which tensors must exist: without FA the FA tensors are unexpected ...
    writeText(path, replaced(text, "fa: 1", "fa: 0"));
    expectReadError(path, {path, "unexpected tensor", "dec0_fa_"});
    // ... and with one more FA level a tensor of block 2 is missing.
    writeText(path, replaced(text, "fa_levels: 1", "fa_levels: 2"));
    expectReadError(path, {path, "missing tensor", "dec1_fa_"});
    // A stored shape that does not fit the config: wider than ngf says.
    writeText(path, replaced(text, "sizes: [ 4, 3, 4, 4 ]", "sizes: [ 5, 3, 4, 4 ]"));
    expectReadError(path, {path, "enc0_conv_w", "[4, 3, 4, 4]"});
    // Not float32.
    writeText(path, replaced(text, "enc0_conv_b: !!opencv-matrix\n      rows: 1\n      cols: 4\n      dt: f",
                             "enc0_conv_b: !!opencv-matrix\n      rows: 1\n      cols: 4\n      dt: i"));
    expectReadError(path, {path, "enc0_conv_b", "float32"});
}

// A forged header must not make the reader allocate what it claims: sizes are checked before any data is
// read.
TEST(Desmooth_ModelFile, forged_sizes_are_rejected_before_allocating)
{
    const std::string path = tempPath("forged.yml");
    const std::string text = validModelText(path);
    writeText(path, replaced(text, "sizes: [ 4, 3, 4, 4 ]", "sizes: [ 400000, 300000, 4000, 4000 ]"));
    expectReadError(path, {path, "enc0_conv_w"});
    writeText(path, replaced(text, "sizes: [ 4, 3, 4, 4 ]", "sizes: [ -4, 3, 4, 4 ]"));
    expectReadError(path, {path, "enc0_conv_w"});
}

// The header says 4 values, the data holds 3.
TEST(Desmooth_ModelFile, data_shorter_than_its_header_is_rejected)
{
    const std::string path = tempPath("short.yml");
    std::string text = validModelText(path);
    const size_t tensor = text.find("enc0_conv_b:");
    const size_t data = text.find("data: [", tensor) + std::string("data: [").size();
    const size_t comma = text.find(',', data);
    ASSERT_NE(tensor, std::string::npos);
    text.erase(data, comma + 1 - data);
    writeText(path, text);
    expectReadError(path, {path, "enc0_conv_b"});
}

TEST(Desmooth_ModelFile, non_finite_weights_are_rejected)
{
    const std::string path = tempPath("nan.yml");
    for (float bad : {std::nanf(""), std::numeric_limits<float>::infinity()}) {
        Model model = randomModel(smallConfig(), 6);
        model.weights["dec1_sft_beta_w"].ptr<float>()[7] = bad;
        EXPECT_THROW(writeModelFile(path, model), cv::Exception); // the writer validates too
        writeUnchecked(path, model);
        expectReadError(path, {path, "dec1_sft_beta_w", "NaN or Inf"});
    }
}

TEST(Desmooth_ModelFile, truncated_or_random_files_throw_cleanly)
{
    const std::string path = tempPath("truncated.yml");
    const std::string text = validModelText(path);
    for (size_t length : {size_t(0), size_t(10), text.size() / 3, text.size() / 2, text.size() - 40}) {
        writeText(path, text.substr(0, length));
        EXPECT_THROW(readModelFile(path), cv::Exception) << "length " << length;
    }
    RNG rng(9);
    for (int trial = 0; trial < 20; ++trial) {
        std::string noise(size_t(rng.uniform(1, 4000)), '\0');
        for (char& c : noise)
            c = char(rng.uniform(0, 256));
        writeText(path, noise);
        EXPECT_THROW(readModelFile(path), cv::Exception) << "trial " << trial;
    }
    expectReadError(tempPath("does_not_exist.yml"), {"does_not_exist.yml", "cannot be opened"});
}

// Found by fuzz/run_model_fuzzer.sh: one byte 0xF2 after "!!binary |", or a backtick inside a base64 block,
// sends OpenCV 4.6's FileStorage parser into an endless loop. The reader screens the text before the parser
// runs.
TEST(Desmooth_ModelFile, inputs_that_hang_opencvs_parser_are_refused)
{
    std::string path = dataPath("fuzz/opencv_parse_base64_hang.yml");
    expectReadError(path, {path, "ASCII"});
    path = dataPath("fuzz/opencv_parse_base64_hang_backtick.yml");
    expectReadError(path, {path, "malformed base64"});
    path = dataPath("fuzz/opencv_parse_base64_hang_bad_header.json");
    expectReadError(path, {path, "element type"});
}

// Found by fuzzing: a 16-byte "<?xmlnary ..." makes OpenCV 4.6's XML parser dereference NULL.
TEST(Desmooth_ModelFile, input_that_crashes_opencvs_xml_parser_is_refused)
{
    const std::string path = dataPath("fuzz/opencv_xml_prolog_segv.xml");
    expectReadError(path, {path, "opencv_storage"});
}

// Found by fuzzing: an unterminated quote in a 113-byte YAML file hangs OpenCV 4.6's parser. No screen knows
// this pattern: the parse runs first in a forked child under an alarm, and the hang costs only the child.
TEST(Desmooth_ModelFile, parser_hang_is_contained)
{
    setenv("DESMOOTH_MODEL_PARSE_TIMEOUT", "2", 1);
    const std::string path = dataPath("fuzz/opencv_yaml_unterminated_quote_hang.yml");
    expectReadError(path, {path, "did not finish"});
    unsetenv("DESMOOTH_MODEL_PARSE_TIMEOUT");
}

// Found by fuzzing: this input makes OpenCV 4.6's parser throw std::length_error, which must become a
// cv::Exception.
TEST(Desmooth_ModelFile, parser_std_exceptions_become_cv_exceptions)
{
    const std::string path = dataPath("fuzz/opencv_parse_length_error.yml");
    expectReadError(path, {path});
}

TEST(Desmooth_ModelFile, truncated_gzip_is_a_damaged_stream)
{
    const std::string path = tempPath("model.yml.gz");
    writeModelFile(path, randomModel(smallConfig(), 12));
    const std::string bytes = readText(path);
    writeText(path, bytes.substr(0, bytes.size() / 2));
    EXPECT_THROW(readModelFile(path), cv::Exception);
}

// Each weight, rounded to half precision as cv::Mat::convertTo rounds it.
Mat roundedToFloat16(const Mat& weight)
{
    Mat half, rounded;
    weight.convertTo(half, CV_16F);
    half.convertTo(rounded, CV_32F);
    return rounded;
}

size_t fileSize(const std::string& path)
{
    return readText(path).size();
}

TEST(Desmooth_ModelFile, float16_storage_rounds_each_weight_and_halves_the_file)
{
    for (const bool twoEnds : {false, true}) {
        Model written = randomModel(smallConfig(), 13);
        if (twoEnds) {
            written.detailWeights = randomModel(smallConfig(), 14).weights;
            written.defaultDetail = 0.25;
        }
        const std::string half = tempPath("half.yml.gz"), single = tempPath("single.yml.gz");
        writeModelFile(half, written, CV_16F);
        writeModelFile(single, written);
        const Model read = readModelFile(half);
        EXPECT_EQ(read.train, written.train);
        EXPECT_EQ(read.defaultDetail, written.defaultDetail);
        ASSERT_EQ(read.detailWeights.size(), written.detailWeights.size());
        for (const auto* ends : {&written.weights, &written.detailWeights}) {
            const auto& readEnd = ends == &written.weights ? read.weights : read.detailWeights;
            ASSERT_EQ(readEnd.size(), ends->size());
            for (const auto& entry : *ends) {
                const Mat& weight = readEnd.at(entry.first);
                EXPECT_EQ(weight.type(), CV_32F) << entry.first;
                EXPECT_EQ(cv::norm(weight, roundedToFloat16(entry.second), NORM_INF), 0) << entry.first;
                EXPECT_LE(cv::norm(weight, entry.second, NORM_INF), cv::norm(entry.second, NORM_INF) / 2048)
                    << entry.first;
            }
        }
        EXPECT_LT(fileSize(half), 0.6 * fileSize(single)) << "two ends: " << twoEnds;
        std::remove(half.c_str());
        std::remove(single.c_str());
    }
}

TEST(Desmooth_ModelFile, float16_files_are_checked_like_the_others)
{
    const std::string path = tempPath("half.yml");
    const Model model = randomModel(smallConfig(), 15);
    writeModelFile(path, model, CV_16F);
    const std::string text = readText(path);
    EXPECT_NE(text.find("version: 3"), std::string::npos);
    EXPECT_NE(text.find("weights_dtype: float16"), std::string::npos);
    writeText(path, replaced(text, "weights_dtype: float16", "weights_dtype: float8"));
    expectReadError(path, {path, "weights_dtype"});
    writeText(path, replaced(text, "dt: w", "dt: f"));
    expectReadError(path, {path, "float16 bits (dt: w)"});

    // Refused before the file is touched: a model already there stays as it was.
    writeText(path, text);
    Model beyondRange = model;
    beyondRange.weights.at("enc1_conv_b").at<float>(0) = 70000.f;
    try {
        writeModelFile(path, beyondRange, CV_16F);
        ADD_FAILURE() << "a weight beyond float16's range was written";
    } catch (const cv::Exception& e) {
        EXPECT_NE(e.err.find("enc1_conv_b"), std::string::npos) << e.err;
    }
    EXPECT_EQ(readText(path), text);
    writeModelFile(path, beyondRange); // float32 holds it
    EXPECT_THROW(writeModelFile(path, model, CV_64F), cv::Exception);
    std::remove(path.c_str());
}

TEST(Desmooth_ModelFile, writer_rejects_invalid_models)
{
    const std::string path = tempPath("invalid.yml");
    Model model = randomModel(smallConfig(), 7);
    model.weights.erase("enc1_conv_b");
    EXPECT_THROW(writeModelFile(path, model), cv::Exception);
    model = randomModel(smallConfig(), 7);
    model.weights["extra"] = Mat(1, 1, CV_32F, Scalar(0));
    EXPECT_THROW(writeModelFile(path, model), cv::Exception);
    model = randomModel(smallConfig(), 7);
    model.config.faLevels = 5;
    EXPECT_THROW(writeModelFile(path, model), cv::Exception);
}

} // namespace
} // namespace opencv_test
