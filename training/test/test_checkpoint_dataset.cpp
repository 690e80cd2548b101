// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "checkpoint.hpp"
#include "photo_dataset.hpp"
#include "tiny_config.hpp"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include <filesystem>
#include <fstream>

namespace opencv_test {
namespace {

using namespace cv::desmooth::training;
namespace fs = std::filesystem;

// A folder of the committed photos, one corrupt file and one non-image, for the data tests.
std::string photoFolder()
{
    const fs::path folder =
        fs::path(::testing::TempDir()) / ("desmooth_photos_" + std::to_string(::getpid()));
    fs::create_directories(folder / "sub");
    for (const char* name : {"butterfly.jpg", "cat.jpg", "john.jpg"})
        fs::copy_file(fs::path(DESMOOTH_DATA_DIR) / "photos" / name, folder / name,
                      fs::copy_options::overwrite_existing);
    fs::copy_file(fs::path(DESMOOTH_DATA_DIR) / "photos" / "path.jpg", folder / "sub" / "path.jpg",
                  fs::copy_options::overwrite_existing);
    std::ofstream(folder / "corrupt.jpg") << "not a jpeg at all";
    std::ofstream(folder / "notes.txt") << "ignored: not a photo extension";
    return folder.string();
}

TEST(Desmooth_PhotoDataset, recursive_split_skip_and_cache)
{
    const std::string folder = photoFolder();
    DatasetOptions options;
    options.cacheDir = folder + "_cache";
    fs::remove_all(options.cacheDir);
    options.validationFraction = 0.25; // of 5 image files: 1 held out
    const PhotoDataset first(folder, options);
    EXPECT_EQ(first.skipped(), std::vector<std::string>{"corrupt.jpg"});
    EXPECT_EQ(first.training().size() + first.heldOut().size(), 4u);
    EXPECT_EQ(first.heldOut().size(), 1u);
    for (const PhotoPair& pair : first.training())
        EXPECT_NE(pair.name, first.heldOut()[0].name);
    // The cache holds one smoothed photo per readable file, equal to what L0Smooth gives.
    EXPECT_EQ(std::distance(fs::directory_iterator(options.cacheDir), fs::directory_iterator()), 4);
    const PhotoDataset second(folder, options);
    ASSERT_EQ(second.training().size(), first.training().size());
    for (size_t i = 0; i < first.training().size(); ++i)
        EXPECT_EQ(cv::norm(first.training()[i].smoothed, second.training()[i].smoothed, cv::NORM_INF), 0);
    // A split file decides instead of the fraction.
    const std::string split = folder + "/split.txt";
    std::ofstream(split) << "# held out\nsub/path.jpg\n";
    options.splitFile = split;
    const PhotoDataset listed(folder, options);
    ASSERT_EQ(listed.heldOut().size(), 1u);
    EXPECT_EQ(listed.heldOut()[0].name, "sub/path.jpg");
}

TEST(Desmooth_PhotoDataset, batches_are_aligned_crops_in_range)
{
    DatasetOptions options;
    options.validationFraction = 0;
    const PhotoDataset data(photoFolder(), options);
    std::mt19937_64 rng(3);
    const auto batch = data.sampleBatch(4, 160, rng); // john.jpg is 150x150: enlarged first
    EXPECT_EQ(batch.first.sizes(), torch::IntArrayRef({4, 3, 160, 160}));
    EXPECT_EQ(batch.second.sizes(), torch::IntArrayRef({4, 3, 160, 160}));
    EXPECT_LE(batch.second.abs().max().item<double>(), 1.0 + 1e-6);
    // Aligned: the smoothed crop is close to the photo crop (L0 keeps the edges), not to another place.
    EXPECT_LT((batch.first - batch.second).abs().mean().item<double>(), 0.15);
}

// Killed after a checkpoint and resumed, a run ends where an uninterrupted one does.
TEST(Desmooth_Checkpoint, resume_equals_uninterrupted_run)
{
    const auto batches = [](std::mt19937_64& rng) {
        std::normal_distribution<float> normal;
        torch::Tensor photo = torch::empty({2, 3, 32, 32}); // the PatchGAN needs >= 32 pixels
        for (int64_t i = 0; i < photo.numel(); ++i)
            photo.data_ptr<float>()[i] = std::tanh(normal(rng));
        return std::make_pair(torch::avg_pool2d(photo, 3, 1, 1), photo);
    };
    const auto run = [&](int from, int to, GanStep& trainer, std::mt19937_64& rng) {
        for (int i = from; i < to; ++i) {
            const auto batch = batches(rng);
            trainer.step(batch.first, batch.second);
        }
    };
    torch::manual_seed(9);
    GanStep uninterrupted(Generator(tinyConfig(true, true, 1)), Discriminator(8));
    torch::manual_seed(9);
    GanStep interrupted(Generator(tinyConfig(true, true, 1)), Discriminator(8));
    std::mt19937_64 rngA(5), rngB(5);
    run(0, 12, uninterrupted, rngA);

    run(0, 5, interrupted, rngB);
    const std::string path = ::testing::TempDir() + "desmooth_checkpoint.pt";
    saveCheckpoint(path, interrupted, 5, rngB);
    torch::manual_seed(123); // a fresh process: other weights, other RNG
    GanStep resumed(Generator(tinyConfig(true, true, 1)), Discriminator(8));
    std::mt19937_64 rngC(999);
    ASSERT_EQ(loadCheckpoint(path, resumed, rngC).iteration, 5);
    run(5, 12, resumed, rngC);

    const auto a = uninterrupted.generator->named_parameters(), c = resumed.generator->named_parameters();
    double worst = 0;
    for (const auto& p : a)
        worst = std::max(worst, (p.value() - c[p.key()]).abs().max().item<double>());
    EXPECT_LE(worst, 1e-6);
    EXPECT_THROW(loadCheckpoint(path + ".missing", resumed, rngC), std::runtime_error);
}

} // namespace
} // namespace opencv_test
