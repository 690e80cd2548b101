// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "test_precomp.hpp"

#include "random_model.hpp"
#include "tiled_inference.hpp"

namespace opencv_test {
namespace {

using namespace cv;
using namespace cv::desmooth;

Mat texturedImage(Size size, uint64 seed)
{
    RNG rng(seed);
    Mat small(Size(size.width / 4, size.height / 4), CV_32FC3), image;
    rng.fill(small, RNG::UNIFORM, 0.0, 1.0);
    resize(small, image, size, 0, 0, INTER_CUBIC);
    return image;
}

TEST(Desmooth_TiledInference, windows_cover_the_axis_on_the_grid_with_the_overlap)
{
    const int overlap = cv::desmooth::detail::kTileOverlap;
    EXPECT_EQ(cv::desmooth::detail::tileGrid(8, overlap), 8);   // restore: the stride grid
    EXPECT_EQ(cv::desmooth::detail::tileGrid(256, overlap), 1); // the paper's U-Net: anywhere
    for (int multiple : {4, 8, 64, 256})
        for (int maxSize : {256, 512, 1024})
            for (int length = multiple; length <= 5000; length += multiple * 7) {
                if (maxSize % multiple) continue;
                SCOPED_TRACE(
                    cv::format("length %d, tiles of at most %d, multiple %d", length, maxSize, multiple));
                const cv::desmooth::detail::TileWindows windows =
                    cv::desmooth::detail::tileWindows(length, maxSize, overlap, multiple);
                ASSERT_FALSE(windows.starts.empty());
                if (length <= maxSize) {
                    EXPECT_EQ(windows.size, length);
                    EXPECT_EQ(windows.starts.size(), 1u);
                    continue;
                }
                EXPECT_LE(windows.size, maxSize);
                EXPECT_EQ(windows.size % multiple, 0);
                EXPECT_EQ(windows.starts.front(), 0);
                EXPECT_EQ(windows.starts.back() + windows.size, length);
                for (size_t i = 0; i < windows.starts.size(); ++i) {
                    EXPECT_EQ(windows.starts[i] % cv::desmooth::detail::tileGrid(multiple, overlap), 0);
                    if (i > 0) EXPECT_GE(windows.starts[i - 1] + windows.size - windows.starts[i], overlap);
                }
                // No more tiles than needed: one fewer could not cover the axis with that overlap.
                const int count = int(windows.starts.size());
                EXPECT_GT(length +
                              (count - 2) * (overlap + cv::desmooth::detail::tileGrid(multiple, overlap)),
                          (count - 1) * maxSize);
            }
    EXPECT_EQ(cv::desmooth::detail::tileWindows(2048, 0, overlap, 8).starts.size(), 1u); // 0: never tile
}

// A local operation run tile by tile equals the whole image's: the dropped quarter of each overlap (16
// pixels) holds every pixel a 5x5 box's border handling touches; the identity comes back unchanged (weights
// sum to 1).
TEST(Desmooth_TiledInference, blending_reproduces_a_local_operation_of_the_whole_image)
{
    const Mat image = texturedImage(Size(1000, 640), 7);
    const auto box = [](const Mat& window) {
        Mat out;
        blur(window, out, Size(5, 5), Point(-1, -1), BORDER_REFLECT_101);
        return out;
    };
    Mat whole = box(image);
    const Mat tiled =
        cv::desmooth::detail::forwardTiled(image, 256, cv::desmooth::detail::kTileOverlap, 8, box);
    EXPECT_LE(cv::norm(whole, tiled, NORM_INF), 1e-5);
    const Mat identity = cv::desmooth::detail::forwardTiled(image, 256, cv::desmooth::detail::kTileOverlap, 8,
                                                            [](const Mat& window) { return window.clone(); });
    EXPECT_LE(cv::norm(image, identity, NORM_INF), 1e-6);
    // A forward that answers with a wrong size is caught, not blended out of bounds.
    EXPECT_THROW(cv::desmooth::detail::forwardTiled(
                     image, 256, cv::desmooth::detail::kTileOverlap, 8,
                     [](const Mat& window) { return Mat(window.rows / 2, window.cols, CV_32FC3); }),
                 cv::Exception);
}

// The network without full attention (whose context is the whole input by design) sees about the same pixels
// tile by tile: the tiled recovery stays within float rounding and the network's far receptive field.
TEST(Desmooth_TiledInference, tiled_recovery_matches_the_whole_image_without_full_attention)
{
    ModelConfig config = tinyRestoreConfig();
    config.fa = false;
    Ptr<DeSmoother> desmoother = DeSmoother::create(randomModel(config, 5));
    const Mat image = texturedImage(Size(700, 530), 3);
    desmoother->setTileSize(0);
    Mat whole, tiled;
    desmoother->recover(image, whole);
    desmoother->setTileSize(256);
    EXPECT_EQ(desmoother->getTileSize(), 256);
    desmoother->recover(image, tiled);
    ASSERT_EQ(tiled.size(), image.size());
    EXPECT_LE(cv::norm(whole, tiled, NORM_INF), 2e-3); // measured 7.5e-4
    EXPECT_LE(cv::norm(whole, tiled, NORM_L1) / double(whole.total() * 3), 2e-4);
    // And the input was not touched by the tiles' preprocessing.
    EXPECT_EQ(cv::norm(image, texturedImage(Size(700, 530), 3), NORM_INF), 0);
}

TEST(Desmooth_TiledInference, tile_size_out_of_range_is_an_exception)
{
    Ptr<DeSmoother> desmoother = DeSmoother::create(randomModel(tinyRestoreConfig(), 5));
    const int before = desmoother->getTileSize();
    EXPECT_THROW(desmoother->setTileSize(-1), cv::Exception);
    EXPECT_THROW(desmoother->setTileSize(100), cv::Exception);
    EXPECT_EQ(desmoother->getTileSize(), before);

    // The configuration parameter too, including values past int (once narrowed, 2^32 + 512 read as 512).
    for (const char* configured : {"100", "2000000", "4294967808"}) {
        ::setenv("DESMOOTH_TILE_SIZE", configured, 1);
        EXPECT_THROW(DeSmoother::create(randomModel(tinyRestoreConfig(), 5)), cv::Exception) << configured;
    }
    ::setenv("DESMOOTH_TILE_SIZE", "512", 1);
    EXPECT_EQ(DeSmoother::create(randomModel(tinyRestoreConfig(), 5))->getTileSize(), 512);
    ::unsetenv("DESMOOTH_TILE_SIZE");
}

} // namespace
} // namespace opencv_test
