// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "test_precomp.hpp"

#include <fstream>
#include <unistd.h>

namespace opencv_test {
namespace {

using namespace cv;

// A weightless two-layer "feature network": leaky ReLU, then 2x2 average pooling. Its features are easy to
// compute by hand, which is what a test of the LPIPS formula needs (no LPIPS weights ship with any package).
const char* const kTinyNet = R"(name: "tiny"
input: "data"
input_dim: 1
input_dim: 3
input_dim: 16
input_dim: 16
layer { name: "feat1" type: "ReLU" bottom: "data" top: "feat1" relu_param { negative_slope: 0.2 } }
layer { name: "feat2" type: "Pooling" bottom: "feat1" top: "feat2" pooling_param { pool: AVE kernel_size: 2 stride: 2 } }
)";

const double kShift[3] = {-0.030, -0.088, -0.188}, kScale[3] = {0.458, 0.448, 0.450};
const double kWeights[2][3] = {{0.5, 1.0, 2.0}, {1.5, 0.25, 1.0}};

std::string tempPath(const std::string& name)
{
    return std::string(::testing::TempDir()) + "desmooth_lpips_" + std::to_string(::getpid()) + "_" + name;
}

/** Features of the tiny net, by hand: [layer][channel] planes of doubles. */
std::vector<std::vector<Mat>> referenceFeatures(const Mat& bgr)
{
    std::vector<Mat> layer1(3), layer2(3);
    for (int c = 0; c < 3; ++c) {
        layer1[c].create(bgr.size(), CV_64F);
        for (int y = 0; y < bgr.rows; ++y)
            for (int x = 0; x < bgr.cols; ++x) {
                const double v = bgr.at<Vec3b>(y, x)[2 - c] / 255.0 * 2.0 - 1.0; // RGB order, [-1, 1]
                const double scaled = (v - kShift[c]) / kScale[c];
                layer1[c].at<double>(y, x) = scaled > 0 ? scaled : 0.2 * scaled;
            }
        layer2[c].create(bgr.rows / 2, bgr.cols / 2, CV_64F);
        for (int y = 0; y < bgr.rows / 2; ++y)
            for (int x = 0; x < bgr.cols / 2; ++x) {
                const Mat& f = layer1[c];
                layer2[c].at<double>(y, x) =
                    (f.at<double>(2 * y, 2 * x) + f.at<double>(2 * y, 2 * x + 1) +
                     f.at<double>(2 * y + 1, 2 * x) + f.at<double>(2 * y + 1, 2 * x + 1)) /
                    4.0;
            }
    }
    return {layer1, layer2};
}

/** Zhang et al.'s formula written out: unit-normalise over channels, squared difference, weights, spatial
 * mean, sum. */
double referenceLpips(const Mat& a, const Mat& b)
{
    const auto fa = referenceFeatures(a), fb = referenceFeatures(b);
    double distance = 0;
    for (int l = 0; l < 2; ++l) {
        const Size size = fa[l][0].size();
        double sum = 0;
        for (int y = 0; y < size.height; ++y)
            for (int x = 0; x < size.width; ++x) {
                double na = 0, nb = 0;
                for (int c = 0; c < 3; ++c) {
                    na += std::pow(fa[l][c].at<double>(y, x), 2);
                    nb += std::pow(fb[l][c].at<double>(y, x), 2);
                }
                na = std::sqrt(na) + 1e-10;
                nb = std::sqrt(nb) + 1e-10;
                for (int c = 0; c < 3; ++c)
                    sum += kWeights[l][c] *
                           std::pow(fa[l][c].at<double>(y, x) / na - fb[l][c].at<double>(y, x) / nb, 2);
            }
        distance += sum / size.area();
    }
    return distance;
}

/** Writes the tiny net and an LPIPS description of it; returns the description's path. */
std::string writeDescription(const std::string& tag, const std::string& layers = "[ \"feat1\", \"feat2\" ]")
{
    const std::string net = tempPath(tag + ".prototxt"), description = tempPath(tag + ".yml");
    std::ofstream(net) << kTinyNet;
    FileStorage fs(description, FileStorage::WRITE);
    fs << "net" << net.substr(net.find_last_of('/') + 1); // relative to the description file
    fs.writeComment("layers");
    fs.release();
    std::ofstream out(description, std::ios::app);
    out << "layers: " << layers << "\n";
    out << "weights:\n";
    for (int l = 0; l < 2; ++l)
        out << "  - !!opencv-matrix\n    rows: 1\n    cols: 3\n    dt: d\n    data: [ " << kWeights[l][0]
            << ", " << kWeights[l][1] << ", " << kWeights[l][2] << " ]\n";
    return description;
}

TEST(Desmooth_Lpips, equals_the_formula_written_out_on_a_hand_built_net)
{
    const std::string description = writeDescription("formula");
    const Ptr<desmooth::Lpips> lpips = desmooth::Lpips::create(description);
    const Mat photo = readPhoto("butterfly.jpg")(Rect(100, 100, 20, 14)).clone();
    Mat blurred;
    cv::GaussianBlur(photo, blurred, Size(5, 5), 1.5);
    const double reference = referenceLpips(photo, blurred);
    EXPECT_GT(reference, 1e-3);
    EXPECT_NEAR(lpips->compute(photo, blurred), reference, 1e-5 * reference);
    EXPECT_NEAR(lpips->compute(blurred, photo), reference, 1e-5 * reference); // symmetric
    EXPECT_EQ(lpips->compute(photo, photo), 0.0);
    // Through the Evaluator, too.
    Mat smoothed;
    desmooth::L0Smooth(photo, smoothed);
    const desmooth::Scores scores = desmooth::Evaluator::create(Ptr<desmooth::Smoother>(), description)
                                        ->evaluate(blurred, smoothed, photo);
    EXPECT_NEAR(scores.lpips, reference, 1e-5 * reference);
}

TEST(Desmooth_Lpips, bad_descriptions_throw_clear_exceptions)
{
    EXPECT_THROW(desmooth::Lpips::create(tempPath("missing.yml")), cv::Exception);
    EXPECT_THROW(desmooth::Lpips::create(writeDescription("nolayer", "[ \"feat1\", \"conv9\" ]")),
                 cv::Exception);
    EXPECT_THROW(desmooth::Lpips::create(writeDescription("onelayer", "[ \"feat1\" ]")), cv::Exception);
    const std::string notYaml = tempPath("garbage.yml");
    std::ofstream(notYaml) << "%YAML:1.0\nnet: 3\n";
    EXPECT_THROW(desmooth::Lpips::create(notYaml), cv::Exception);
}

} // namespace
} // namespace opencv_test
