// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// The training recipe's parts: random smoothers, per-crop smoothing with scale augmentation, the
// feature-matching loss and starting a run from another run's weights.

#include "checkpoint.hpp"
#include "gan_step.hpp"
#include "photo_dataset.hpp"
#include "random_smoother.hpp"
#include "smooth_image.hpp"
#include "tiny_config.hpp"

#include <gtest/gtest.h>
#include <opencv2/desmooth.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <filesystem>
#include <functional>

namespace opencv_test {
namespace {

using namespace cv::desmooth::training;
namespace fs = std::filesystem;

TEST(Desmooth_RandomSmoother, draws_valid_specs_of_the_given_kinds_and_the_unsmoothed_share)
{
    std::mt19937_64 rng(3);
    const std::vector<std::string> kinds = parseSmootherKinds(
        "l0,fgs,bilateral,guided,edge_preserving,gaussian,median,rolling_guidance,domain_transform");
    std::map<std::string, int> seen;
    int none = 0;
    for (int i = 0; i < 400; ++i) {
        const std::string spec = drawSmootherSpec(kinds, 0.25, rng);
        if (spec == "none") {
            ++none;
            continue;
        }
        ++seen[spec.substr(0, spec.find(':'))];
        EXPECT_NO_THROW(cv::desmooth::Smoother::create(spec)) << spec; // every draw is a valid smoother
    }
    EXPECT_EQ(seen.size(), kinds.size());
    EXPECT_GT(none, 60); // 25% of 400 is 100: far from 0 and from the rest
    EXPECT_LT(none, 140);
    for (int i = 0; i < 50; ++i) {
        const std::string spec = drawSmootherSpec({"l0"}, 0.0, rng);
        ASSERT_EQ(spec.rfind("l0:lambda=", 0), 0u) << spec;
        const double lambda = std::stod(spec.substr(10));
        EXPECT_GE(lambda, 0.005 * 0.999);
        EXPECT_LE(lambda, 0.08 * 1.001);
    }
    EXPECT_EQ(drawSmootherSpec({}, 0.0, rng), "none");
    EXPECT_THROW(parseSmootherKinds("l0,magic"), std::invalid_argument);
}

// The numbers of a spec, in order: "bilateral:d=9,sigma_color=50,sigma_space=5" -> 9, 50, 5.
std::vector<double> specNumbers(const std::string& spec)
{
    std::vector<double> numbers;
    for (size_t at = spec.find('='); at != std::string::npos; at = spec.find('=', at + 1))
        numbers.push_back(std::stod(spec.substr(at + 1)));
    return numbers;
}

// Wide strengths: the same stream of draws (same kind, every parameter at least the normal one's), reaching
// past the normal ranges' heavy ends, and every draw still a valid smoother.
TEST(Desmooth_RandomSmoother, wide_strengths_keep_the_draws_and_reach_heavier_smoothing)
{
    const std::vector<std::string> kinds = parseSmootherKinds("l0,fgs,bilateral,guided,edge_preserving");
    std::mt19937_64 normalRng(5), wideRng(5);
    double heaviestLambda = 0, heaviestSigmaSpace = 0;
    for (int i = 0; i < 600; ++i) {
        const std::string normal = drawSmootherSpec(kinds, 0.1, normalRng);
        const std::string wide = drawSmootherSpec(kinds, 0.1, wideRng, 1.0);
        ASSERT_EQ(normal.substr(0, normal.find(':')), wide.substr(0, wide.find(':'))) << i;
        if (wide == "none") continue;
        EXPECT_NO_THROW(cv::desmooth::Smoother::create(wide)) << wide;
        const std::vector<double> a = specNumbers(normal), b = specNumbers(wide);
        ASSERT_EQ(a.size(), b.size()) << wide;
        for (size_t j = 0; j < a.size(); ++j)
            EXPECT_GE(b[j], a[j] * 0.999) << normal << " / " << wide;
        if (wide.rfind("l0:", 0) == 0) {
            heaviestLambda = std::max(heaviestLambda, b[0]);
            EXPECT_LE(b[0], 0.16 * 1.001) << wide;
        }
        if (wide.rfind("bilateral:", 0) == 0) {
            heaviestSigmaSpace = std::max(heaviestSigmaSpace, b[2]);
            EXPECT_LE(b[2], 25 * 1.001) << wide;
        }
    }
    EXPECT_GT(heaviestLambda, 0.08);     // past the normal range's 0.08
    EXPECT_GT(heaviestSigmaSpace, 10.0); // and its 10
}

// A share of wide strengths: about that share of the draws reaches past the normal ranges, against none at
// normal strengths and all that wide strengths reach.
TEST(Desmooth_RandomSmoother, a_share_of_wide_strengths_mixes_the_two_ranges)
{
    const std::vector<std::string> kinds = {"bilateral"};
    const auto pastNormal = [&](double wideShare) {
        std::mt19937_64 rng(7);
        int past = 0;
        const int draws = 4000;
        for (int i = 0; i < draws; ++i) {
            const std::vector<double> p = specNumbers(drawSmootherSpec(kinds, 0, rng, wideShare));
            past += p[0] > 15 || p[1] > 120 * 1.001 || p[2] > 10 * 1.001; // d, sigma_color, sigma_space
        }
        return double(past) / draws;
    };
    const double none = pastNormal(0), half = pastNormal(0.5), all = pastNormal(1);
    EXPECT_EQ(none, 0);
    EXPECT_GT(all, 0.5); // a wide draw of every parameter stays within the normal range a third of the time
    EXPECT_NEAR(half, all / 2, 0.05) << "at wide strengths: " << all;
}

TEST(Desmooth_PhotoDataset, per_crop_smoothing_and_scales_give_aligned_crops_in_range)
{
    DatasetOptions options;
    options.validationFraction = 0;
    options.smootherKinds = {"l0", "bilateral"};
    options.minLongSide = 128;
    const PhotoDataset data(std::string(DESMOOTH_DATA_DIR) + "/photos", options);
    ASSERT_EQ(data.training().size(), 4u);
    for (const PhotoPair& pair : data.training())
        EXPECT_TRUE(pair.smoothed.empty()) << "smoothed per crop, not per photo";
    std::mt19937_64 rng(5);
    const auto batch = data.sampleBatch(6, 64, rng);
    ASSERT_EQ(batch.first.sizes(), (std::vector<int64_t>{6, 3, 64, 64}));
    ASSERT_EQ(batch.second.sizes(), (std::vector<int64_t>{6, 3, 64, 64}));
    EXPECT_LE(batch.first.abs().max().item<float>(), 1.0f);
    EXPECT_GT((batch.first - batch.second).abs().mean().item<float>(), 1e-3f) << "the inputs are smoothed";
    // Smoothed, not shifted: each input is close to its photo crop (an edge-preserving filter of it).
    for (int64_t i = 0; i < 6; ++i) {
        const double mse = (batch.first[i] - batch.second[i]).pow(2).mean().item<double>();
        EXPECT_LT(mse, 0.05) << "crop " << i;
    }
    // With only unsmoothed pairs allowed (no kinds would mean whole-photo L0), an identity share near 1 gives
    // inputs equal to their photos.
    options.smootherKinds = {"l0"};
    options.identityShare = 0.999999;
    const PhotoDataset identity(std::string(DESMOOTH_DATA_DIR) + "/photos", options);
    const auto same = identity.sampleBatch(4, 64, rng);
    EXPECT_EQ((same.first - same.second).abs().max().item<float>(), 0.0f);
}

using Batch = std::pair<torch::Tensor, torch::Tensor>; // (inputs, targets)

// Batches of the committed photos drawn with one seed from two data sets, one with `options` and one with
// `change` applied to them: what that option alone does to the batches.
std::pair<Batch, Batch> sameDrawBatches(DatasetOptions options,
                                        const std::function<void(DatasetOptions&)>& change, uint64_t seed,
                                        int count)
{
    options.validationFraction = 0;
    const std::string photos = std::string(DESMOOTH_DATA_DIR) + "/photos";
    const PhotoDataset before(photos, options);
    change(options);
    const PhotoDataset after(photos, options);
    std::mt19937_64 first(seed), second(seed);
    Batch beforeBatch = before.sampleBatch(count, 64, first);
    Batch afterBatch = after.sampleBatch(count, 64, second);
    return {std::move(beforeBatch), std::move(afterBatch)};
}

TEST(Desmooth_PhotoDataset, reverse_input_is_the_smoothed_crop_reverse_filtered)
{
    DatasetOptions options;
    options.smootherKinds = {"bilateral"};
    const auto [smoothedBatch, reversedBatch] = sameDrawBatches(
        options, [](DatasetOptions& o) { o.reverseIterations = 3; }, 9, 4);
    // The same draws (crops, smoothers, flips): only the inputs differ.
    EXPECT_TRUE(torch::equal(smoothedBatch.second, reversedBatch.second));
    EXPECT_GT((smoothedBatch.first - reversedBatch.first).abs().max().item<float>(), 0.0f);
    // Reverse filtering puts back what bilateral smoothing attenuates: the inputs come closer to the photos.
    const double smoothedError = (smoothedBatch.first - smoothedBatch.second).pow(2).mean().item<double>();
    const double reversedError = (reversedBatch.first - reversedBatch.second).pow(2).mean().item<double>();
    EXPECT_LT(reversedError, 0.8 * smoothedError);
}

// Mean |Laplacian| of an 8-bit image's gray version: texture (an 8-bit ramp's steps give about 1).
double meanAbsLaplacian(const cv::Mat& image)
{
    cv::Mat gray, laplacian;
    cv::cvtColor(image, gray, cv::COLOR_BGR2GRAY);
    cv::Laplacian(gray, laplacian, CV_32F);
    return cv::mean(cv::abs(laplacian))[0];
}

TEST(Desmooth_SmoothImage, is_seeded_untextured_and_left_alone_by_smoothers)
{
    const cv::Mat image = drawSmoothImage(160, 7);
    ASSERT_EQ(image.type(), CV_8UC3);
    ASSERT_EQ(image.size(), cv::Size(160, 160));
    EXPECT_EQ(cv::norm(image, drawSmoothImage(160, 7), cv::NORM_INF), 0.0) << "the same seed, the same image";
    EXPECT_GT(cv::norm(image, drawSmoothImage(160, 8), cv::NORM_L1), 0.0);
    double spread = 0;
    for (uint64_t seed = 0; seed < 20; ++seed) {
        const cv::Mat drawn = drawSmoothImage(128, seed);
        EXPECT_LT(meanAbsLaplacian(drawn), 1.6) << "seed " << seed; // the 8-bit steps alone
        cv::Scalar mean, deviation;
        cv::meanStdDev(drawn, mean, deviation);
        spread += deviation[0] / 20;
        // What the trainer's smoothers do to it: almost nothing.
        for (const char* spec : {"guided:radius=4,eps=400", "bilateral:d=9,sigma_color=50,sigma_space=5"}) {
            cv::Mat smoothed;
            cv::desmooth::Smoother::create(spec)->apply(drawn, smoothed);
            EXPECT_GT(cv::PSNR(smoothed, drawn), 40.0) << spec << ", seed " << seed;
        }
    }
    EXPECT_GT(spread, 10.0) << "not flat: planes and fields of tens of grey levels";
    // Photos have texture; the synthetic images have none.
    EXPECT_GT(meanAbsLaplacian(cv::imread(std::string(DESMOOTH_DATA_DIR) + "/photos/cat.jpg")), 3.0);
    EXPECT_THROW(drawSmoothImage(3, 0), std::invalid_argument);
}

TEST(Desmooth_PhotoDataset, smooth_image_share_replaces_crops_with_untextured_images)
{
    DatasetOptions options;
    options.smootherKinds = {"guided"};
    const auto [photoBatch, syntheticBatch] = sameDrawBatches(
        options, [](DatasetOptions& o) { o.smoothImageShare = 0.99; }, 5, 6);
    auto texture = [](const torch::Tensor& batch) { // mean |horizontal second difference|, 0..255 scale
        const torch::Tensor x = (batch + 1) * 127.5;
        return (x.narrow(3, 2, x.size(3) - 2) - 2 * x.narrow(3, 1, x.size(3) - 2) +
                x.narrow(3, 0, x.size(3) - 2))
            .abs()
            .mean()
            .item<double>();
    };
    EXPECT_GT(texture(photoBatch.second), 2.0);
    EXPECT_LT(texture(syntheticBatch.second), 0.7);
    // The input is still the target smoothed: guided filtering leaves a smooth image almost as it is.
    EXPECT_LT((syntheticBatch.first - syntheticBatch.second).abs().mean().item<double>() * 127.5, 1.0);
}

// The crops of a batch side by side in one 8-bit image (JPEG's grid, where there is one, stays on 8 pixels).
cv::Mat mosaic(const torch::Tensor& batch)
{
    std::vector<cv::Mat> crops;
    for (int64_t i = 0; i < batch.size(0); ++i)
        crops.push_back(tensorToImage(batch[i]));
    cv::Mat joined;
    cv::hconcat(crops, joined);
    return joined;
}

TEST(Desmooth_PhotoDataset, jpeg_share_saves_inputs_as_jpeg_and_keeps_the_targets)
{
    // A share above 0 draws per crop whether to compress: a tiny share draws as a large one does, and
    // compresses none of these crops.
    DatasetOptions options;
    options.smootherKinds = {"guided"};
    options.jpegShare = 1e-9;
    options.jpegQuality = {30, 30};
    const auto [plainBatch, jpegBatch] = sameDrawBatches(
        options, [](DatasetOptions& o) { o.jpegShare = 0.99; }, 7, 6);
    EXPECT_TRUE(torch::equal(plainBatch.second, jpegBatch.second)) << "the same photos are the targets";
    const cv::Mat plain = mosaic(plainBatch.first), compressed = mosaic(jpegBatch.first);
    EXPECT_GT(cv::norm(plain, compressed, cv::NORM_INF), 0.0);
    EXPECT_GT(cv::PSNR(plain, compressed), 25.0) << "compressed, not another crop";
    EXPECT_LT(cv::desmooth::jpegBlockingScore(plain), 1.2);
    EXPECT_GE(cv::desmooth::jpegBlockingScore(compressed), 1.5) << "JPEG's 8x8 grid, on the crop's";
    // A bad share or range is refused when the data set is made, not when a batch is drawn.
    for (const auto& [share, range] : std::vector<std::pair<double, std::pair<int, int>>>{
             {1.0, {60, 95}}, {-0.1, {60, 95}}, {0.5, {90, 60}}, {0.5, {0, 90}}, {0.5, {60, 101}}}) {
        DatasetOptions bad = options;
        bad.jpegShare = share;
        bad.jpegQuality = range;
        EXPECT_THROW(PhotoDataset(std::string(DESMOOTH_DATA_DIR) + "/photos", bad), std::invalid_argument)
            << share << ", " << range.first << ".." << range.second;
    }
}

TEST(Desmooth_DatasetOptions, validate_refuses_each_value_that_cannot_make_a_data_set)
{
    DatasetOptions perCrop;
    perCrop.smootherKinds = {"l0", "guided"};
    perCrop.smoothImageShare = perCrop.jpegShare = 0.5;
    perCrop.reverseIterations = 3;
    perCrop.wideShare = 1;
    EXPECT_NO_THROW(DatasetOptions().validate());
    EXPECT_NO_THROW(perCrop.validate());
    const double nan = std::nan("");
    const std::vector<std::pair<const char*, std::function<void(DatasetOptions&)>>> bad{
        {"--l0-lambda", [](DatasetOptions& o) { o.l0Lambda = 0; }},
        {"--l0-kappa", [](DatasetOptions& o) { o.l0Kappa = 1; }},
        {"--val-fraction", [](DatasetOptions& o) { o.validationFraction = 1; }},
        {"--identity-share", [nan](DatasetOptions& o) { o.identityShare = nan; }},
        {"--min-long-side", [](DatasetOptions& o) { o.minLongSide = -1; }},
        {"--strengths", [](DatasetOptions& o) { o.wideShare = 1.5; }},
        {"--strengths", [nan](DatasetOptions& o) { o.wideShare = nan; }},
        {"--reverse-input", [](DatasetOptions& o) { o.reverseIterations = -1; }},
        {"--reverse-input",
         [](DatasetOptions& o) {
             o.smootherKinds.clear();
             o.smoothImageShare = o.jpegShare = 0;
         }},
        {"--smooth-image-share", [](DatasetOptions& o) { o.smoothImageShare = 1; }},
        {"--jpeg-share", [](DatasetOptions& o) { o.jpegShare = -0.1; }},
        {"--jpeg-quality",
         [](DatasetOptions& o) {
             o.jpegQuality = {90, 60};
         }},
        {"--jpeg-quality",
         [](DatasetOptions& o) {
             o.jpegQuality = {0, 90};
         }},
        {"--jpeg-quality", [](DatasetOptions& o) {
             o.jpegQuality = {60, 101};
         }}};
    for (const auto& [option, change] : bad) {
        DatasetOptions options = perCrop;
        change(options);
        try {
            options.validate();
            ADD_FAILURE() << "accepted a bad value of " << option;
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find(option), std::string::npos) << e.what();
        }
    }
    // Shares and strengths that act per crop need the crop's smoother.
    for (const auto& change : std::vector<std::function<void(DatasetOptions&)>>{
             [](DatasetOptions& o) { o.smoothImageShare = 0.1; },
             [](DatasetOptions& o) { o.jpegShare = 0.1; }, [](DatasetOptions& o) { o.wideShare = 0.5; }}) {
        DatasetOptions options;
        change(options);
        EXPECT_THROW(options.validate(), std::invalid_argument);
    }
}

//! A smoothed image and a photo of N x 3 x 64 x 64 in [-1, 1], uniform noise (drawn in that order).
Batch randomPair(int64_t n)
{
    const torch::Tensor smoothed = torch::rand({n, 3, 64, 64}) * 2 - 1;
    return {smoothed, torch::rand({n, 3, 64, 64}) * 2 - 1};
}

TEST(Desmooth_GanStep, feature_matching_compares_discriminator_features)
{
    torch::manual_seed(0);
    Discriminator discriminator(8);
    const auto [smoothed, photo] = randomPair(2);
    const std::vector<torch::Tensor> features = discriminator->features(smoothed, photo);
    ASSERT_EQ(features.size(), 5u) << "four LeakyReLU outputs and the logits";
    EXPECT_TRUE(torch::equal(features.back(), discriminator->forward(smoothed, photo)));

    GanStep step(Generator(tinyConfig()), Discriminator(8), 100, 2e-4);
    step.featureMatchingWeight = 10;
    const StepLosses losses = step.step(smoothed, photo);
    EXPECT_GT(losses.featureMatching, 0.0);
    GanStep plain(Generator(tinyConfig()), Discriminator(8), 100, 2e-4);
    EXPECT_EQ(plain.step(smoothed, photo).featureMatching, 0.0);
}

TEST(Desmooth_GanStep, detail_energy_enters_the_generator_objective)
{
    torch::manual_seed(0);
    const auto [smoothed, photo] = randomPair(2);
    GanStep step(Generator(tinyConfig()), Discriminator(8), 100, 2e-4);
    step.detailEnergyWeight = 10;
    const StepLosses losses = step.step(smoothed, photo);
    EXPECT_GT(losses.detailEnergy, 0.0);
    GanStep plain(Generator(tinyConfig()), Discriminator(8), 100, 2e-4);
    EXPECT_EQ(plain.step(smoothed, photo).detailEnergy, 0.0);
}

TEST(Desmooth_GanStep, frequency_loss_enters_the_generator_objective)
{
    torch::manual_seed(0);
    const auto [smoothed, photo] = randomPair(2);
    // The same start (the same seed): only the objective differs, so the first step's update does.
    torch::manual_seed(1);
    GanStep step(Generator(tinyConfig()), Discriminator(8), 100, 2e-4);
    step.adversarialWeight = 0;
    step.frequencyWeight = 10;
    torch::manual_seed(1);
    GanStep plain(Generator(tinyConfig()), Discriminator(8), 100, 2e-4);
    plain.adversarialWeight = 0;
    const StepLosses losses = step.step(smoothed, photo);
    EXPECT_GT(losses.frequency, 0.0);
    EXPECT_EQ(plain.step(smoothed, photo).frequency, 0.0);
    double moved = 0;
    for (auto& entry : plain.generator->named_parameters())
        moved += (entry.value() - step.generator->named_parameters()[entry.key()]).abs().sum().item<double>();
    EXPECT_GT(moved, 0.0) << "the frequency term changes G's update";
}

TEST(Desmooth_Checkpoint, init_from_loads_generator_and_discriminator_weights)
{
    torch::manual_seed(1);
    GanStep trained(Generator(tinyConfig()), Discriminator(8), 100, 2e-4);
    const auto [smoothed, photo] = randomPair(1);
    trained.step(smoothed, photo);
    const std::string path =
        (fs::path(::testing::TempDir()) / ("init_from_" + std::to_string(::getpid()) + ".pt")).string();
    saveCheckpoint(path, trained, 7, std::mt19937_64(1));
    torch::manual_seed(2);
    GanStep fresh(Generator(tinyConfig()), Discriminator(8), 100, 2e-4);
    loadWeights(path, fresh);
    const auto a = trained.generator->named_parameters(), b = fresh.generator->named_parameters();
    for (const auto& entry : a)
        EXPECT_TRUE(torch::equal(entry.value(), b[entry.key()])) << entry.key();
    const auto c = trained.discriminator->named_parameters(), d = fresh.discriminator->named_parameters();
    for (const auto& entry : c)
        EXPECT_TRUE(torch::equal(entry.value(), d[entry.key()])) << entry.key();
    fs::remove(path);
}

} // namespace
} // namespace opencv_test
