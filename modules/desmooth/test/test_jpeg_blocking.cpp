// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "test_precomp.hpp"

namespace opencv_test {
namespace {

using namespace cv;

//! Flat 8x8 blocks, each one grey level above its left and upper neighbours, starting at (offset, offset).
Mat blockGrid(int offset)
{
    Mat image(96, 128, CV_8UC3);
    for (int y = 0; y < image.rows; ++y)
        for (int x = 0; x < image.cols; ++x)
            image.at<Vec3b>(y, x) = Vec3b::all(uchar(100 + (x + 8 - offset) / 8 + (y + 8 - offset) / 8));
    return image;
}

TEST(Desmooth_JpegBlocking, a_block_grid_has_its_known_score)
{
    // Steps of one grey level across the grid's boundaries, none elsewhere: at the boundary (1 + 0.05) / (0 +
    // 0.05) = 21; two positions either side see the step among their four neighbours, (0 + 0.05) / (0.25 +
    // 0.05); the three in the middle of a block 1, the largest of the others.
    EXPECT_NEAR(desmooth::jpegBlockingScore(blockGrid(0)), 21.0, 1e-5);
    EXPECT_TRUE(desmooth::showsJpegBlocking(blockGrid(0)));
    // The same grid three pixels off the decoder's (an image cropped after decoding): the same score.
    EXPECT_NEAR(desmooth::jpegBlockingScore(blockGrid(3)), 21.0, 1e-5);
    EXPECT_TRUE(desmooth::showsJpegBlocking(blockGrid(3)));
    // Blocks in one direction only are not JPEG's grid: the score is the smaller of the two directions.
    Mat columns = blockGrid(0).clone();
    for (int y = 1; y < columns.rows; ++y)
        columns.row(0).copyTo(columns.row(y));
    EXPECT_NEAR(desmooth::jpegBlockingScore(columns), 1.0, 1e-7);
}

TEST(Desmooth_JpegBlocking, depth_and_channels_do_not_change_the_score)
{
    const Mat grid = blockGrid(0);
    Mat gray, wide, unit, alpha;
    cvtColor(grid, gray, COLOR_BGR2GRAY);
    grid.convertTo(wide, CV_16U, 257);
    grid.convertTo(unit, CV_32F, 1.0 / 255);
    cvtColor(grid, alpha, COLOR_BGR2BGRA);
    const double score = desmooth::jpegBlockingScore(grid);
    for (const Mat& image : {gray, wide, unit, alpha})
        EXPECT_NEAR(desmooth::jpegBlockingScore(image), score, 1e-4) << typeToString(image.type());
}

TEST(Desmooth_JpegBlocking, finds_jpeg_of_smoothed_photos_and_not_their_lossless_copies)
{
    for (const char* name : {"butterfly.jpg", "cat.jpg", "john.jpg", "path.jpg"}) {
        const Mat photo = readPhoto(name);
        ASSERT_FALSE(photo.empty());
        // Downscaled, as the evaluation does: the committed photos are JPEG files, and resizing moves their
        // grid.
        Mat small, smoothed;
        const double scale = 256.0 / std::max(photo.cols, photo.rows);
        resize(photo, small, Size(), scale, scale, INTER_AREA);
        desmooth::Smoother::create("l0:lambda=0.02,kappa=2")->apply(small, smoothed);
        EXPECT_LT(desmooth::jpegBlockingScore(smoothed), 1.2) << name;
        const Mat compressed = throughJpeg(smoothed, 80);
        EXPECT_GE(desmooth::jpegBlockingScore(compressed), 1.5) << name;
        // Cropped after decoding, 3 columns and 5 rows off the decoder's grid: still found; the lossless crop
        // still not.
        const Rect crop(3, 5, smoothed.cols - 3, smoothed.rows - 5);
        EXPECT_GE(desmooth::jpegBlockingScore(compressed(crop)), 1.5) << name;
        EXPECT_LT(desmooth::jpegBlockingScore(smoothed(crop)), 1.2) << name;
    }
}

TEST(Desmooth_JpegBlocking, too_little_to_judge_is_no_evidence_and_bad_input_throws)
{
    EXPECT_EQ(desmooth::jpegBlockingScore(Mat(8, 8, CV_8UC3, Scalar::all(7))), 1.0);
    EXPECT_THROW(desmooth::jpegBlockingScore(Mat()), cv::Exception);
    EXPECT_THROW(desmooth::jpegBlockingScore(Mat(32, 32, CV_8UC2, Scalar::all(0))), cv::Exception);
    EXPECT_THROW(desmooth::jpegBlockingScore(Mat(32, 32, CV_64FC1, Scalar::all(0))), cv::Exception);
}

TEST(Desmooth_JpegBlocking, auto_recovers_blind_what_shows_jpeg_blocking)
{
    if (!desmooth::haveBundledModel()) DESMOOTH_SKIP_TEST("this build has no bundled model");
    const Mat photo = readPhoto("cat.jpg");
    ASSERT_FALSE(photo.empty());
    Mat smoothed;
    desmooth::Smoother::create("guided:radius=4,eps=400")->apply(photo, smoothed);
    const Mat compressed = throughJpeg(smoothed, 80);
    ASSERT_TRUE(desmooth::showsJpegBlocking(compressed));
    ASSERT_FALSE(desmooth::showsJpegBlocking(smoothed));
    // The estimate names a smoother (the helper's premise), so without the check "auto" would run consistency
    // steps.
    expectAutoRecoversBlind(compressed);
    // Cropped after decoding (3 columns, 5 rows): the grid is at another position and still found.
    const Mat cropped = compressed(Rect(3, 5, compressed.cols - 3, compressed.rows - 5)).clone();
    ASSERT_TRUE(desmooth::showsJpegBlocking(cropped));
    expectAutoRecoversBlind(cropped);
    const Ptr<desmooth::DeSmoother> model = desmooth::DeSmoother::create();
    Mat blind, estimated;
    model->recover(smoothed, blind);
    model->recover(smoothed, estimated, "auto");
    EXPECT_GT(cv::norm(estimated, blind, NORM_INF), 0.0)
        << "the lossless input is recovered with the estimate";
}

} // namespace
} // namespace opencv_test
