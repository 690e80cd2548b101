// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "test_precomp.hpp"

#include "jpeg_quality_internals.hpp"

namespace opencv_test {
namespace {

using namespace cv;

//! A committed photo at long side 256 (the committed files are JPEG: resizing moves their own grid),
//! smoothed.
Mat smoothedPhoto(const char* name, const char* spec)
{
    const Mat photo = readPhoto(name);
    CV_Assert(!photo.empty());
    Mat small, smoothed;
    const double scale = 256.0 / std::max(photo.cols, photo.rows);
    resize(photo, small, Size(), scale, scale, INTER_AREA);
    desmooth::Smoother::create(spec)->apply(small, smoothed);
    return smoothed;
}

TEST(Desmooth_JpegQuality, finds_the_quality_a_smoothed_photo_was_saved_at_and_none_in_lossless_images)
{
    for (const char* name : {"butterfly.jpg", "cat.jpg", "john.jpg", "path.jpg"})
        for (const char* spec : {"l0:lambda=0.02,kappa=2", "guided:radius=4,eps=400"}) {
            const Mat smoothed = smoothedPhoto(name, spec);
            EXPECT_EQ(desmooth::estimateJpegQuality(smoothed), 0) << name << " " << spec;
            // Near the top the neighbouring qualities' tables differ by little and the encodings often find
            // nothing at 92; the DCT coefficients' steps still tell.
            for (int quality : {30, 60, 80, 92})
                EXPECT_EQ(desmooth::estimateJpegQuality(throughJpeg(smoothed, quality)), quality)
                    << name << " " << spec;
        }
}

TEST(Desmooth_JpegQuality, gray_and_alpha_are_read_and_what_no_jpeg_file_holds_is_none)
{
    const Mat compressed = throughJpeg(smoothedPhoto("cat.jpg", "guided:radius=4,eps=400"), 75);
    ASSERT_EQ(desmooth::estimateJpegQuality(compressed), 75);
    Mat gray, alpha, wide, unit, resized;
    cvtColor(compressed, gray, COLOR_BGR2GRAY);
    EXPECT_EQ(desmooth::estimateJpegQuality(throughJpeg(gray, 70)), 70);
    cvtColor(compressed, alpha, COLOR_BGR2BGRA);
    EXPECT_EQ(desmooth::estimateJpegQuality(alpha), 75);
    // Other depths hold more than a JPEG file: no quality, even with its values.
    compressed.convertTo(wide, CV_16U, 257);
    compressed.convertTo(unit, CV_32F, 1.0 / 255);
    EXPECT_EQ(desmooth::estimateJpegQuality(wide), 0);
    EXPECT_EQ(desmooth::estimateJpegQuality(unit), 0);
    // Resized after decoding: the blocks are gone.
    resize(compressed, resized, Size(), 0.75, 0.75, INTER_AREA);
    EXPECT_EQ(desmooth::estimateJpegQuality(resized), 0);
    // Smaller than one 16x16 block: nothing to judge.
    EXPECT_EQ(desmooth::estimateJpegQuality(compressed(Rect(0, 0, 15, 40))), 0);
    EXPECT_THROW(desmooth::estimateJpegQuality(Mat()), cv::Exception);
    EXPECT_THROW(desmooth::estimateJpegQuality(Mat(32, 32, CV_8UC2, Scalar::all(0))), cv::Exception);
}

TEST(Desmooth_JpegQuality, auto_recovers_blind_what_was_saved_as_jpeg_where_the_grid_is_too_faint_to_see)
{
    if (!desmooth::haveBundledModel()) DESMOOTH_SKIP_TEST("this build has no bundled model");
    const Mat compressed = throughJpeg(smoothedPhoto("cat.jpg", "guided:radius=4,eps=400"), 90);
    // The premises: no grid to see, the quality found, and a smoother named, so that without the quality
    // "auto" would run consistency steps on the compression's errors.
    ASSERT_FALSE(desmooth::showsJpegBlocking(compressed));
    ASSERT_EQ(desmooth::estimateJpegQuality(compressed), 90);
    expectAutoRecoversBlind(compressed);
}

TEST(Desmooth_JpegQuality, the_dct_test_tells_decoded_jpeg_images_and_their_quality_from_lossless_ones)
{
    // The test before the encodings: a decoded image's luminance coefficients sit on its quality's steps, a
    // lossless one's do not. A lossless image it passed would only cost the encodings; a decoded one it
    // stopped would lose its quality (the test above).
    const double threshold = desmooth::detail::kJpegQuantisationThreshold;
    for (const char* name : {"butterfly.jpg", "cat.jpg", "john.jpg", "path.jpg"})
        for (const char* spec : {"l0:lambda=0.02,kappa=2", "guided:radius=4,eps=400"}) {
            // (Not the photos themselves: resized JPEG files, some keep a trace of their steps.)
            const Mat smoothed = smoothedPhoto(name, spec);
            const desmooth::detail::JpegQuantisation lossless = desmooth::detail::jpegQuantisation(smoothed);
            EXPECT_LT(lossless.score, threshold) << name << " " << spec;
            EXPECT_FALSE(lossless.untold) << name << " " << spec;
            Mat gray;
            cvtColor(smoothed, gray, COLOR_BGR2GRAY);
            for (const Mat& image : {smoothed, gray})
                for (int quality : {10, 30, 50, 80, 92}) {
                    const desmooth::detail::JpegQuantisation decoded =
                        desmooth::detail::jpegQuantisation(throughJpeg(image, quality));
                    EXPECT_GE(decoded.score, desmooth::detail::kJpegQuantisationFound)
                        << name << " " << spec << " " << quality << " channels " << image.channels();
                    // 50 shares its low frequencies' steps with 49 and 51: one of those may be named.
                    EXPECT_LE(std::abs(decoded.quality - quality), quality == 50 ? 1 : 0)
                        << name << " " << spec << " " << quality << " channels " << image.channels();
                }
        }
    // Flat: no coefficient tells, so the encodings decide.
    const desmooth::detail::JpegQuantisation flat =
        desmooth::detail::jpegQuantisation(Mat(64, 64, CV_8UC3, Scalar(40, 90, 200)));
    EXPECT_TRUE(flat.untold);
    EXPECT_EQ(flat.quality, 0);
}

} // namespace
} // namespace opencv_test
