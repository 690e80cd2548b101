// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "test_precomp.hpp"

#include <opencv2/ximgproc.hpp>

namespace opencv_test {
namespace {

using namespace cv;
using namespace cv::desmooth;

//! I(r, c) = a[r] + b[c]: every step between two rows is the same along them, and so for columns.
Mat separableImage()
{
    const int a[] = {10, 0, 0, 0, 10};  // rows: edge steps 10 and 10 inward, none across the wrap
    const int b[] = {0, 4, 4, 4, 4, 2}; // columns: edge steps 4 and 2 inward, 2 across the wrap
    Mat image(5, 6, CV_8UC1);
    for (int r = 0; r < image.rows; ++r)
        for (int c = 0; c < image.cols; ++c)
            image.at<uchar>(r, c) = uchar(a[r] + b[c]);
    return image;
}

TEST(Desmooth_L0Border, score_of_a_known_image)
{
    // ((10 + 10 + 4 + 2) / 4 + 0.5) / ((0 + 2) / 2 + 0.5) = 7 / 1.5
    const Mat image = separableImage();
    EXPECT_NEAR(l0ReplicateBorderScore(image), 7 / 1.5, 1e-6);
    // The same image at every depth, in colour, with an alpha channel that differs everywhere, transposed.
    Mat wide, deep, colour, withAlpha, alpha(image.size(), CV_8UC1);
    image.convertTo(wide, CV_16U, 257);
    image.convertTo(deep, CV_32F, 1 / 255.0);
    cvtColor(image, colour, COLOR_GRAY2BGR);
    randu(alpha, 0, 256);
    merge(std::vector<Mat>{image, image, image, alpha}, withAlpha);
    for (const Mat& same : {wide, deep, colour, withAlpha, Mat(image.t())})
        EXPECT_NEAR(l0ReplicateBorderScore(same), 7 / 1.5, 1e-5) << typeToString(same.type());
    EXPECT_EQ(estimateL0Border(image), int(L0_BORDER_REPLICATE));
    // Flat: no evidence either way, and the circular border.
    EXPECT_DOUBLE_EQ(l0ReplicateBorderScore(Mat(9, 7, CV_8UC3, Scalar::all(50))), 1.0);
    EXPECT_EQ(estimateL0Border(Mat(9, 7, CV_8UC3, Scalar::all(50))), int(L0_BORDER_CIRCULAR));
    // Too small to have an edge line, its neighbour and the far side's.
    EXPECT_DOUBLE_EQ(l0ReplicateBorderScore(image(Rect(0, 0, 3, 5))), 1.0);
}

// What a pipeline's own cv::ximgproc::l0Smooth made is told from the paper's circular L0 and from the photo.
TEST(Desmooth_L0Border, tells_ximgproc_l0smooth_from_the_circular_border_on_photos)
{
    std::ostringstream scores;
    for (const char* name : {"butterfly.jpg", "path.jpg", "cat.jpg", "john.jpg"}) {
        const Mat photo = readPhoto(name);
        ASSERT_FALSE(photo.empty()) << name;
        for (double lambda : {0.01, 0.04}) {
            Mat ximgproc, circular;
            ximgproc::l0Smooth(photo, ximgproc, lambda, 2.0);
            L0Smooth(photo, circular, lambda, 2.0, L0_BORDER_CIRCULAR);
            const double replicateScore = l0ReplicateBorderScore(ximgproc),
                         circularScore = l0ReplicateBorderScore(circular);
            scores << name << " lambda " << lambda << ": ximgproc " << replicateScore << ", circular "
                   << circularScore << "\n";
            EXPECT_EQ(estimateL0Border(ximgproc), int(L0_BORDER_REPLICATE)) << scores.str();
            EXPECT_EQ(estimateL0Border(circular), int(L0_BORDER_CIRCULAR)) << scores.str();
        }
        EXPECT_EQ(estimateL0Border(photo), int(L0_BORDER_CIRCULAR)) << name;
    }
}

// A circular L0 becomes ximgproc's where the input shows that border; everything else comes back as it is.
TEST(Desmooth_L0Border, a_smoother_takes_the_l0_border_its_input_shows)
{
    const Mat photo = readPhoto("path.jpg");
    ASSERT_FALSE(photo.empty());
    Mat ximgproc, circular;
    ximgproc::l0Smooth(photo, ximgproc, 0.02, 2.0);
    L0Smooth(photo, circular, 0.02, 2.0, L0_BORDER_CIRCULAR);
    ASSERT_EQ(estimateL0Border(ximgproc), int(L0_BORDER_REPLICATE)) << "the premise";
    const Ptr<Smoother> l0 = Smoother::create("l0:lambda=0.03,kappa=1.5");
    const Ptr<Smoother> shown = withL0BorderOf(l0, ximgproc);
    EXPECT_EQ(shown->describe(), String("l0:lambda=0.03,kappa=1.5,border=1"));
    EXPECT_EQ(l0->describe(), String("l0:lambda=0.03,kappa=1.5")) << "the given smoother is not changed";
    Mat byShown, byXimgproc; // the same smoothing as ximgproc's, not only the same spec
    shown->apply(photo, byShown);
    ximgproc::l0Smooth(photo, byXimgproc, 0.03, 1.5);
    EXPECT_LE(cv::norm(byShown, byXimgproc, NORM_INF), 1.0);
    // The same object where there is nothing to change.
    EXPECT_EQ(withL0BorderOf(l0, circular), l0);
    EXPECT_EQ(withL0BorderOf(l0, photo), l0);
    for (const char* spec : {"l0:lambda=0.02,border=1", "fgs:lambda=300,sigma=7", "none"}) {
        const Ptr<Smoother> other = Smoother::create(spec);
        EXPECT_EQ(withL0BorderOf(other, ximgproc), other) << spec;
    }
    EXPECT_THROW(withL0BorderOf(Ptr<Smoother>(), ximgproc), cv::Exception);
    EXPECT_THROW(withL0BorderOf(Smoother::create("fgs"), Mat()), cv::Exception);
    EXPECT_THROW(withL0BorderOf(l0, Mat(8, 8, CV_8UC2, Scalar::all(5))), cv::Exception);
}

// An L0 estimate carries the input's border, so "auto" enforces the smoother that made it.
TEST(Desmooth_L0Border, estimate_and_auto_give_an_l0_pick_the_inputs_border)
{
    if (!haveBundledSmootherClassifier() || !haveBundledModel())
        DESMOOTH_SKIP_TEST("this build has no bundled classifier or model");
    const Mat photo = readPhoto("butterfly.jpg");
    ASSERT_FALSE(photo.empty());
    Mat ximgproc, circular;
    ximgproc::l0Smooth(photo, ximgproc, 0.02, 2.0);
    L0Smooth(photo, circular, 0.02, 2.0, L0_BORDER_CIRCULAR);
    const String picked = classifySmoother(ximgproc);
    ASSERT_EQ(picked.substr(0, 3), String("l0:")) << "the premise: the classifier names the kind";
    const String expected = Smoother::create(picked + ",border=1")->describe();
    EXPECT_EQ(estimateSmoother(ximgproc)->describe(), expected);
    Mat scores; // the path that scores every candidate first
    EXPECT_EQ(estimateSmoother(ximgproc, noArray(), {}, scores)->describe(), expected);
    // The circular input keeps the circular pick; a winner that has ximgproc's border keeps it.
    const String circularPick = classifySmoother(circular);
    EXPECT_EQ(estimateSmoother(circular)->describe(), Smoother::create(circularPick)->describe());
    EXPECT_EQ(estimateSmoother(circular, noArray(), {"l0:lambda=0.02,border=1"})->describe(),
              String("l0:lambda=0.02,kappa=2,border=1"));
    // "auto" enforces what the estimate names, and gains over blind recovery with it.
    const Ptr<DeSmoother> model = DeSmoother::create();
    EXPECT_EQ(model->autoSmoother(ximgproc), expected);
    Mat automatic, blind;
    EXPECT_EQ(model->recoverAuto(ximgproc, automatic), expected);
    model->recover(ximgproc, blind);
    EXPECT_GT(psnr(automatic, photo, 255.0), psnr(blind, photo, 255.0) + 0.1);
    // Without the move limit, its steps are the given smoother's from the network's recovery alone.
    model->setAutoMoveLimit(0);
    model->recover(ximgproc, automatic, "auto");
    const Ptr<DeSmoother> given = DeSmoother::create();
    given->setConsistencyIterations(given->getAutoIterations());
    given->setConsistencyFromInput(false);
    Mat known;
    given->recover(ximgproc, known, Smoother::create(expected));
    EXPECT_EQ(cv::norm(automatic, known, NORM_INF), 0.0);
}

TEST(Desmooth_L0Border, bad_input_is_a_clear_exception)
{
    EXPECT_THROW(l0ReplicateBorderScore(Mat()), cv::Exception);
    EXPECT_THROW(estimateL0Border(Mat()), cv::Exception);
    EXPECT_THROW(l0ReplicateBorderScore(Mat(8, 8, CV_64FC3, Scalar::all(0.5))), cv::Exception);
    EXPECT_THROW(l0ReplicateBorderScore(Mat(8, 8, CV_8UC2, Scalar::all(5))), cv::Exception);
    Mat floats(8, 8, CV_32FC1, Scalar::all(0.5));
    floats.at<float>(0, 0) = std::numeric_limits<float>::quiet_NaN();
    EXPECT_THROW(l0ReplicateBorderScore(floats), cv::Exception);
}

} // namespace
} // namespace opencv_test
