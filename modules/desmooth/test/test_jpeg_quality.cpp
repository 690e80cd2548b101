// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "test_precomp.hpp"

#include "jpeg_quality_internals.hpp"

#include <map>

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
            // nothing at 92; the DCT coefficients' steps still tell. At 50 and 51 they tell only 49..51 (the
            // same low-frequency steps), and the encodings among those the rest.
            for (int quality : {30, 50, 51, 60, 80, 92})
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

TEST(Desmooth_JpegQuality, where_the_dct_shows_a_quality_the_encodings_around_it_answer_as_the_whole_search)
{
    // estimateJpegQuality() encodes only a few qualities either side of the coefficients' (49 may stand for
    // 50 or 51 there); wherever the whole search finds a quality, that must be the answer still.
    int compared = 0;
    for (const char* name : {"butterfly.jpg", "cat.jpg", "john.jpg", "path.jpg"})
        for (const char* spec : {"l0:lambda=0.02,kappa=2", "guided:radius=4,eps=400"})
            for (int quality : {10, 25, 49, 50, 51, 70, 88, 95}) {
                const Mat compressed = throughJpeg(smoothedPhoto(name, spec), quality);
                const int whole =
                    desmooth::detail::jpegQualitySearch(desmooth::detail::jpegQualityCrop(compressed));
                if (whole == 0) continue;
                ++compared;
                EXPECT_EQ(desmooth::estimateJpegQuality(compressed), whole)
                    << name << " " << spec << " " << quality;
            }
    EXPECT_GE(compared, 40); // of 64 (47 here): the whole search misses some of the highest qualities
    const Mat crop = desmooth::detail::jpegQualityCrop(smoothedPhoto("cat.jpg", "guided:radius=4,eps=400"));
    EXPECT_THROW(desmooth::detail::jpegQualitySearch(crop, 9, 20), cv::Exception);
    EXPECT_THROW(desmooth::detail::jpegQualitySearch(crop, 40, 39), cv::Exception);
    EXPECT_THROW(desmooth::detail::jpegQualitySearch(crop, 90, 96), cv::Exception);
}

TEST(Desmooth_JpegQuality, qualities_alike_are_those_with_the_same_low_frequency_steps)
{
    // From libjpeg's scaling of the standard table (ITU T.81 K.1): its ten lowest frequencies' steps are the
    // same at 46 and 47, at 49, 50 and 51, at 53 and 54 and at 74 and 75, and differ from every neighbour
    // elsewhere.
    const std::map<int, std::pair<int, int>> alike = {{46, {46, 47}}, {47, {46, 47}}, {49, {49, 51}},
                                                      {50, {49, 51}}, {51, {49, 51}}, {53, {53, 54}},
                                                      {54, {53, 54}}, {74, {74, 75}}, {75, {74, 75}}};
    for (int quality = desmooth::detail::kJpegLowestQuality; quality <= desmooth::detail::kJpegHighestQuality;
         ++quality) {
        const auto found = alike.find(quality);
        EXPECT_EQ(desmooth::detail::jpegQualitiesAlike(quality),
                  found != alike.end() ? found->second : std::make_pair(quality, quality))
            << quality;
    }
    EXPECT_THROW(desmooth::detail::jpegQualitiesAlike(9), cv::Exception);
    EXPECT_THROW(desmooth::detail::jpegQualitiesAlike(96), cv::Exception);
}

} // namespace
} // namespace opencv_test
