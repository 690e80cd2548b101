// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// A smoother of one's own (Smoother::createFromFunction): against the kinds that run the same OpenCV filter,
// through reverse filtering and known-smoother recovery, and what it does with functions that misbehave.

#include "test_precomp.hpp"

#include "random_model.hpp"
#include "tiny_config.hpp"

#include <stdexcept>

namespace opencv_test {
namespace {

using namespace cv;

// The Gaussian kind's own filter, as a user would write it.
void gaussianBlur2(const Mat& src, Mat& dst)
{
    cv::GaussianBlur(src, dst, Size(), 2, 2, BORDER_REFLECT_101);
}

/** The message of the cv::Exception `call` throws ("" and a test failure where it throws none). */
template <typename Call> std::string exceptionMessage(Call call)
{
    try {
        call();
    } catch (const cv::Exception& e) {
        return e.err;
    }
    ADD_FAILURE() << "no cv::Exception";
    return "";
}

TEST(Desmooth_FunctionSmoother, runs_its_function_as_the_kinds_run_their_filters)
{
    const Mat photo = readPhoto("path.jpg"), bgra = withStripedAlpha(photo);

    int seenType = -1;
    const Ptr<desmooth::Smoother> own = desmooth::Smoother::createFromFunction(
        [&seenType](const Mat& src, Mat& dst) {
            seenType = src.type();
            gaussianBlur2(src, dst);
        },
        "my blur");
    const Ptr<desmooth::Smoother> kind = desmooth::Smoother::create("gaussian:sigma=2");
    EXPECT_EQ(own->describe(), "my blur");
    for (const Mat& input : {photo, bgra}) {
        Mat ownResult, kindResult;
        own->apply(input, ownResult);
        kind->apply(input, kindResult);
        ASSERT_EQ(ownResult.type(), input.type());
        EXPECT_EQ(cv::norm(ownResult, kindResult, NORM_INF), 0.0) << typeToString(input.type());
        // Colour planes only, as floats on the 0..255 scale; alpha passes through.
        EXPECT_EQ(seenType, CV_32FC3);
    }
    Mat out;
    own->apply(bgra, out);
    Mat alphaIn, alphaOut;
    cv::extractChannel(bgra, alphaIn, 3);
    cv::extractChannel(out, alphaOut, 3);
    EXPECT_EQ(cv::norm(alphaIn, alphaOut, NORM_INF), 0.0);
}

TEST(Desmooth_FunctionSmoother, gives_8_bit_images_where_asked)
{
    const Mat photo = readPhoto("path.jpg");
    Mat photoF;
    photo.convertTo(photoF, CV_32F, 1.0 / 255);
    int seenType = -1;
    // cv::medianBlur takes 7x7 windows on 8-bit images only: the median kind rounds as this does.
    const Ptr<desmooth::Smoother> own = desmooth::Smoother::createFromFunction(
        [&seenType](const Mat& src, Mat& dst) {
            seenType = src.type();
            cv::medianBlur(src, dst, 7);
        },
        "my median", CV_8U);
    Mat ownResult, kindResult;
    own->apply(photoF, ownResult);
    desmooth::Smoother::create("median:ksize=7")->apply(photoF, kindResult);
    EXPECT_EQ(seenType, CV_8UC3);
    ASSERT_EQ(ownResult.type(), CV_32FC3);
    EXPECT_EQ(cv::norm(ownResult, kindResult, NORM_INF), 0.0);
}

TEST(Desmooth_FunctionSmoother, reverse_filtering_and_known_recovery_take_it_as_the_kind_it_runs)
{
    const Mat photo = readPhoto("path.jpg")(Rect(0, 0, 96, 80)).clone();
    const Ptr<desmooth::Smoother> own = desmooth::Smoother::createFromFunction(gaussianBlur2, "my blur");
    const Ptr<desmooth::Smoother> kind = desmooth::Smoother::create("gaussian:sigma=2");
    Mat smoothed;
    kind->apply(photo, smoothed);

    Mat ownReversed, kindReversed;
    desmooth::reverseFilter(smoothed, ownReversed, own, 5);
    desmooth::reverseFilter(smoothed, kindReversed, kind, 5);
    EXPECT_EQ(cv::norm(ownReversed, kindReversed, NORM_INF), 0.0);
    EXPECT_GT(cv::PSNR(ownReversed, photo), cv::PSNR(smoothed, photo) + 1.0);

    const Ptr<desmooth::DeSmoother> model = desmooth::DeSmoother::create(randomModel(tinyConfig(), 3));
    Mat ownKnown, kindKnown;
    model->recover(smoothed, ownKnown, own);
    model->recover(smoothed, kindKnown, kind);
    EXPECT_EQ(cv::norm(ownKnown, kindKnown, NORM_INF), 0.0);
}

TEST(Desmooth_FunctionSmoother, bad_functions_and_arguments_are_clear_exceptions)
{
    const Mat image(24, 32, CV_8UC3, Scalar(10, 120, 200));
    EXPECT_THROW(desmooth::Smoother::createFromFunction(desmooth::SmootherFunction(), "empty"),
                 cv::Exception);
    EXPECT_THROW(desmooth::Smoother::createFromFunction(gaussianBlur2, ""), cv::Exception);
    EXPECT_NE(exceptionMessage([] {
                  desmooth::Smoother::createFromFunction(gaussianBlur2, "16", CV_16U);
              }).find("depth must be CV_32F or CV_8U"),
              std::string::npos);

    const auto messageOf = [&image](const desmooth::SmootherFunction& function, const String& name) {
        const Ptr<desmooth::Smoother> smoother = desmooth::Smoother::createFromFunction(function, name);
        return exceptionMessage([&] {
            Mat out;
            desmooth::reverseFilter(image, out, smoother, 2);
        });
    };
    EXPECT_NE(messageOf([](const Mat& src, Mat& dst) { cv::resize(src, dst, Size(), 0.5, 0.5); }, "shrink")
                  .find("smoother 'shrink': the function returned a 16x12 image of 3 channels for a 32x24"),
              std::string::npos);
    EXPECT_NE(messageOf([](const Mat& src, Mat& dst) { cv::cvtColor(src, dst, COLOR_BGR2GRAY); }, "gray")
                  .find("smoother 'gray': the function returned a 32x24 image of 1 channels"),
              std::string::npos);
    EXPECT_NE(messageOf([](const Mat&, Mat&) {}, "nothing").find("smoother 'nothing': the function returned"),
              std::string::npos);
    EXPECT_NE(messageOf([](const Mat&, Mat&) { throw std::runtime_error("out of film"); }, "throwing")
                  .find("the smoother failed: out of film"),
              std::string::npos);
}

} // namespace
} // namespace opencv_test
