// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// The fidelity-detail control: a model file with two ends (format version 2), DeSmoother::setDetail's network
// interpolation, and model files with one end (version 1) read and run exactly as before.

#include "test_precomp.hpp"

#include "random_model.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace opencv_test {
namespace {

using namespace cv;
using namespace cv::desmooth;

std::string temporaryFile(const std::string& name)
{
    return (std::filesystem::temp_directory_path() /
            ("desmooth_detail_" + std::to_string(::getpid()) + "_" + name))
        .string();
}

Model twoEnds(double defaultDetail)
{
    Model model = randomModel(tinyConfig(), 41);
    model.detailWeights = randomModel(tinyConfig(), 42).weights;
    model.defaultDetail = defaultDetail;
    return model;
}

Mat recoverWith(const Model& model, const Mat& input, double detail = -1)
{
    const Ptr<DeSmoother> desmoother = DeSmoother::create(model);
    if (detail >= 0) desmoother->setDetail(detail);
    Mat out;
    desmoother->recover(input, out);
    return out;
}

Mat testInput()
{
    Mat image(40, 56, CV_32FC3);
    randu(image, 0.2, 0.8);
    GaussianBlur(image, image, Size(0, 0), 2);
    return image;
}

TEST(Desmooth_DetailControl, ends_give_each_ends_output_exactly)
{
    const Model model = twoEnds(0.3);
    Model fidelity = model, detailEnd = model;
    fidelity.detailWeights.clear();
    fidelity.defaultDetail = 0;
    detailEnd.weights = model.detailWeights;
    detailEnd.detailWeights.clear();
    detailEnd.defaultDetail = 0;
    const Mat input = testInput();
    EXPECT_EQ(cv::norm(recoverWith(model, input, 0), recoverWith(fidelity, input), NORM_INF), 0);
    EXPECT_EQ(cv::norm(recoverWith(model, input, 1), recoverWith(detailEnd, input), NORM_INF), 0);
    EXPECT_GT(cv::norm(recoverWith(model, input, 0), recoverWith(model, input, 1), NORM_INF), 1e-3)
        << "the two ends must differ for this test to mean anything";
}

TEST(Desmooth_DetailControl, halfway_equals_a_model_holding_the_averaged_weights)
{
    const Model model = twoEnds(0);
    Model averaged = model;
    averaged.detailWeights.clear();
    for (auto& entry : averaged.weights) {
        Mat mixed; // a new buffer: the copied model's Mats share their data with `model`'s
        addWeighted(model.weights.at(entry.first), 0.5, model.detailWeights.at(entry.first), 0.5, 0, mixed);
        entry.second = mixed;
    }
    const std::string path = temporaryFile("averaged.yml.gz");
    writeModelFile(path, averaged);
    const Mat input = testInput();
    EXPECT_EQ(cv::norm(recoverWith(model, input, 0.5), recoverWith(readModelFile(path), input), NORM_INF), 0);
    std::remove(path.c_str());
}

TEST(Desmooth_DetailControl, starts_at_the_models_default_and_switches_back_and_forth)
{
    const Model model = twoEnds(0.25);
    const Ptr<DeSmoother> desmoother = DeSmoother::create(model);
    EXPECT_TRUE(desmoother->hasDetailEnd());
    EXPECT_DOUBLE_EQ(desmoother->getDetail(), 0.25);
    const Mat input = testInput();
    Mat atDefault, atOne, again;
    desmoother->recover(input, atDefault);
    EXPECT_EQ(cv::norm(atDefault, recoverWith(model, input, 0.25), NORM_INF), 0);
    desmoother->setDetail(1);
    desmoother->recover(input, atOne);
    desmoother->setDetail(0.25);
    desmoother->recover(input, again);
    EXPECT_EQ(cv::norm(again, atDefault, NORM_INF), 0) << "networks built for another setting are not reused";
    EXPECT_GT(cv::norm(atOne, atDefault, NORM_INF), 1e-4);
    EXPECT_THROW(desmoother->setDetail(-0.1), cv::Exception);
    EXPECT_THROW(desmoother->setDetail(1.1), cv::Exception);
    EXPECT_THROW(desmoother->setDetail(std::nan("")), cv::Exception);
}

TEST(Desmooth_DetailControl, two_ends_round_trip_as_version2)
{
    const Model written = twoEnds(0.4);
    const std::string path = temporaryFile("two_ends.yml");
    writeModelFile(path, written);
    std::stringstream text;
    text << std::ifstream(path).rdbuf();
    EXPECT_NE(text.str().find("version: 2"), std::string::npos);
    const Model read = readModelFile(path);
    EXPECT_DOUBLE_EQ(read.defaultDetail, 0.4);
    ASSERT_EQ(read.detailWeights.size(), written.detailWeights.size());
    for (const auto& entry : written.detailWeights)
        EXPECT_EQ(cv::norm(read.detailWeights.at(entry.first), entry.second, NORM_INF), 0) << entry.first;
    std::remove(path.c_str());
}

TEST(Desmooth_DetailControl, one_end_models_are_version1_and_read_as_before)
{
    const Model single = randomModel(tinyConfig(), 43);
    const std::string path = temporaryFile("one_end.yml");
    writeModelFile(path, single);
    std::stringstream text;
    text << std::ifstream(path).rdbuf();
    EXPECT_NE(text.str().find("version: 1"), std::string::npos);
    EXPECT_EQ(text.str().find("detail"), std::string::npos) << "nothing an earlier reader does not know";
    const Model read = readModelFile(path);
    EXPECT_TRUE(read.detailWeights.empty());
    EXPECT_EQ(read.defaultDetail, 0);
    const Ptr<DeSmoother> desmoother = DeSmoother::create(read);
    EXPECT_FALSE(desmoother->hasDetailEnd());
    EXPECT_EQ(desmoother->getDetail(), 0);
    EXPECT_NO_THROW(desmoother->setDetail(0));
    try {
        desmoother->setDetail(0.5);
        ADD_FAILURE() << "no exception";
    } catch (const cv::Exception& e) {
        EXPECT_NE(e.err.find("one end only"), std::string::npos) << e.err;
    }
    std::remove(path.c_str());
}

TEST(Desmooth_DetailControl, broken_detail_ends_are_rejected)
{
    Model model = twoEnds(0.5);
    model.detailWeights.erase(model.detailWeights.begin());
    EXPECT_THROW(DeSmoother::create(model), cv::Exception);
    EXPECT_THROW(writeModelFile(temporaryFile("broken.yml"), model), cv::Exception);
    model = twoEnds(1.5);
    EXPECT_THROW(DeSmoother::create(model), cv::Exception);
    model = randomModel(tinyConfig(), 44);
    model.defaultDetail = 0.5; // a default above 0 without a detail end
    EXPECT_THROW(DeSmoother::create(model), cv::Exception);
    // A version-2 file without its detail end.
    const std::string path = temporaryFile("v2_without_detail.yml");
    writeModelFile(path, randomModel(tinyConfig(), 45));
    std::stringstream text;
    text << std::ifstream(path).rdbuf();
    std::string contents = text.str();
    contents.replace(contents.find("version: 1"), 10, "version: 2");
    std::ofstream(path) << contents;
    try {
        readModelFile(path);
        ADD_FAILURE() << "no exception";
    } catch (const cv::Exception& e) {
        EXPECT_NE(e.err.find("detail_weights"), std::string::npos) << e.err;
    }
    std::remove(path.c_str());
}

} // namespace
} // namespace opencv_test
