// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// Do no harm: the bundled model at its default setting must leave alone what is not smoothed (photos that
// were never smoothed) and what smoothing leaves as it is (a smooth colour gradient), instead of painting
// texture on it.

#include "test_precomp.hpp"

namespace opencv_test {
namespace {

using namespace cv;
using namespace cv::desmooth;

// The committed photos are all in the held-out split and at most 512 pixels on their long side: the size of
// most phone and web images, where the model must help, or at least not harm.
TEST(Desmooth_DoNoHarm, unsmoothed_photos_come_back_almost_unchanged)
{
#ifndef DESMOOTH_EXPECT_BUNDLED_MODEL
    if (!haveBundledModel()) DESMOOTH_SKIP_TEST("this build has no bundled model");
#endif
    double meanPsnr = 0, worst = 1e9;
    const std::vector<std::string> names = {"butterfly.jpg", "cat.jpg", "john.jpg", "path.jpg"};
    for (const std::string& name : names) {
        const Mat photo = readPhoto(name);
        ASSERT_LE(std::max(photo.cols, photo.rows), 512);
        Mat recovered;
        recover(photo, recovered);
        const double value = desmooth::psnr(recovered, photo);
        meanPsnr += value / names.size();
        worst = std::min(worst, value);
        std::cout << "  " << name << ": " << cv::format("%.2f dB", value) << std::endl;
    }
    std::cout << cv::format("  mean %.2f dB, worst %.2f dB", meanPsnr, worst) << std::endl;
    EXPECT_GE(meanPsnr, 35.0) << "recover() on photos that were never smoothed changes them too much";
}

// A smooth colour gradient (red across, green down, blue constant): L0 leaves it almost as it is (53 dB), and
// so must the recovery.
Mat colourGradient()
{
    Mat gradient(256, 384, CV_8UC3);
    for (int y = 0; y < gradient.rows; ++y)
        for (int x = 0; x < gradient.cols; ++x)
            gradient.at<Vec3b>(y, x) =
                Vec3b(128, saturate_cast<uchar>(y), saturate_cast<uchar>(x * 255.0 / 383));
    return gradient;
}

TEST(Desmooth_DoNoHarm, smooth_gradient_gets_no_pattern_painted_on)
{
#ifndef DESMOOTH_EXPECT_BUNDLED_MODEL
    if (!haveBundledModel()) DESMOOTH_SKIP_TEST("this build has no bundled model");
#endif
    const Mat gradient = colourGradient();
    Mat smoothed, recovered;
    L0Smooth(gradient, smoothed);
    recover(smoothed, recovered);
    const double input = desmooth::psnr(smoothed, gradient), output = desmooth::psnr(recovered, gradient);
    std::cout << cv::format("  L0 input %.2f dB, recovery %.2f dB from the gradient", input, output)
              << std::endl;
    EXPECT_GE(input, 45.0) << "the test's premise: L0 leaves the gradient almost as it is";
    EXPECT_GE(output, 45.0) << "the recovery paints a pattern onto a smooth gradient";
}

} // namespace
} // namespace opencv_test
