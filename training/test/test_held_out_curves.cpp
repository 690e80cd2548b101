// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "held_out_curves.hpp"
#include "tiny_config.hpp"

#include <opencv2/desmooth/metrics.hpp>
#include <opencv2/desmooth/reverse_filter.hpp>
#include <opencv2/desmooth/smoother.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace {

using namespace cv::desmooth::training;

cv::Mat randomPhoto(int rows, int cols, uint64_t seed)
{
    cv::Mat photo(rows, cols, CV_8UC3);
    cv::RNG(seed).fill(photo, cv::RNG::UNIFORM, 0, 256);
    cv::GaussianBlur(photo, photo, cv::Size(5, 5), 1.5); // some structure for the smoothers to remove
    return photo;
}

std::string tempPath(const std::string& name)
{
    return (std::filesystem::temp_directory_path() / ("desmooth_held_out_" + name)).string();
}

// A photo smaller than the crop side is taken whole, so its input PSNR is the smoother's on the photo; a
// restore generator with zero weights is the identity (its output is residual), so its PSNR is the input's.
TEST(Desmooth_HeldOutCurves, input_psnr_is_the_smoothers_and_an_identity_generator_gains_nothing)
{
    const PhotoPair pair{"a.png", randomPhoto(48, 64, 1), cv::Mat()};
    const std::vector<std::string> specs{"guided:radius=4,eps=400",
                                         "bilateral:d=9,sigma_color=50,sigma_space=5"};
    const HeldOutCurves curves({pair}, specs, 256, 8);
    ASSERT_FALSE(curves.empty());

    torch::manual_seed(3);
    Generator generator(opencv_test::tinyRestoreConfig());
    {
        torch::NoGradGuard noGrad;
        for (auto& parameter : generator->parameters())
            parameter.zero_();
    }
    generator->train();
    const std::vector<HeldOutPoint> points = curves.score(generator, torch::kCPU);
    EXPECT_TRUE(generator->is_training()) << "score() must restore the training mode";
    ASSERT_EQ(points.size(), 2u);
    for (size_t k = 0; k < specs.size(); ++k) {
        EXPECT_EQ(points[k].spec, specs[k]);
        // 48 x 48 (a multiple of 8) from the centre of 48 x 64; the smoother saw a margin of 6 around it.
        cv::Mat wide;
        cv::desmooth::Smoother::create(specs[k])->apply(pair.photo(cv::Rect(2, 0, 60, 48)), wide);
        EXPECT_NEAR(points[k].inputPsnr,
                    cv::desmooth::psnr(wide(cv::Rect(6, 0, 48, 48)), pair.photo(cv::Rect(8, 0, 48, 48))),
                    1e-3);
        EXPECT_NEAR(points[k].psnr, points[k].inputPsnr, 1e-3) << specs[k];
    }
    EXPECT_NEAR(meanGain(points), 0.0, 1e-3);

    // With reverse-filtered inputs, the identity generator scores what reverse filtering alone does, on the
    // same window the smoother saw; the input PSNR stays the smoothed crop's.
    const HeldOutCurves reversed({pair}, specs, 256, 8, 2);
    const std::vector<HeldOutPoint> start = reversed.scoreInputs(),
                                    identity = reversed.score(generator, torch::kCPU);
    ASSERT_EQ(start.size(), 2u);
    for (size_t k = 0; k < specs.size(); ++k) {
        EXPECT_NEAR(start[k].inputPsnr, points[k].inputPsnr, 1e-9);
        const cv::Ptr<cv::desmooth::Smoother> smoother = cv::desmooth::Smoother::create(specs[k]);
        cv::Mat wide, reversedWide;
        smoother->apply(pair.photo(cv::Rect(2, 0, 60, 48)), wide);
        cv::desmooth::reverseFilter(wide, reversedWide, smoother, 2);
        EXPECT_NEAR(
            start[k].psnr,
            cv::desmooth::psnr(reversedWide(cv::Rect(6, 0, 48, 48)), pair.photo(cv::Rect(8, 0, 48, 48))),
            1e-3);
        EXPECT_NEAR(identity[k].psnr, start[k].psnr, 1e-3) << specs[k];
    }
}

TEST(Desmooth_HeldOutCurves, csv_appends_across_calls_and_plots)
{
    const std::string csv = tempPath("curves.csv"), png = tempPath("curves.png");
    std::remove(csv.c_str());
    appendHeldOutPoints(csv, 10, {{"l0:lambda=0.02,kappa=2", 27.0, 27.5}, {"none", 40.0, 39.0}});
    appendHeldOutPoints(csv, 20, {{"l0:lambda=0.02,kappa=2", 27.0, 27.75}, {"none", 40.0, 39.5}});
    std::ifstream in(csv);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    ASSERT_EQ(lines.size(), 5u);
    EXPECT_EQ(lines[0], "iteration,spec,input_psnr,psnr");
    EXPECT_EQ(lines[3], "20,\"l0:lambda=0.02,kappa=2\",27.0000,27.7500");
    EXPECT_NEAR(meanGain({{"a", 27.0, 27.75}, {"b", 40.0, 39.5}}), 0.125, 1e-12);

    std::remove(png.c_str());
    plotHeldOutCurves(csv, png);
    const cv::Mat plot = cv::imread(png);
    ASSERT_FALSE(plot.empty());
    EXPECT_EQ(plot.size(), cv::Size(800, 400));

    std::ofstream(csv) << "not,a,curve\n";
    EXPECT_THROW(plotHeldOutCurves(csv, png), std::runtime_error);
}

TEST(Desmooth_HeldOutCurves, bad_arguments_are_clear_errors)
{
    const PhotoPair pair{"a.png", randomPhoto(32, 32, 2), cv::Mat()};
    EXPECT_THROW(HeldOutCurves({pair}, {"guided:radius=4,eps=400"}, 4, 8), std::invalid_argument);
    EXPECT_THROW(HeldOutCurves({pair}, {"no_such_smoother"}, 64, 8), cv::Exception);
    // A photo smaller than one size multiple has no crop: the set is empty, not an error.
    const PhotoPair tiny{"b.png", randomPhoto(4, 4, 3), cv::Mat()};
    EXPECT_TRUE(HeldOutCurves({tiny}, {"guided:radius=4,eps=400"}, 64, 8).empty());
}

} // namespace
