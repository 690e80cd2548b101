// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// Smooths a step edge with noise through the installed library: the noise must go, the step must stay.
#include <opencv2/desmooth.hpp>

#include <cstdio>

int main()
{
    cv::Mat image(32, 32, CV_32F, cv::Scalar(0.2));
    image.colRange(16, 32).setTo(0.8);
    cv::Mat noise(image.size(), CV_32F);
    cv::randn(noise, 0, 0.01);
    cv::Mat smoothed;
    cv::desmooth::L0Smooth(image + noise, smoothed);
    const double flatError = cv::norm(smoothed.colRange(2, 14), cv::NORM_INF) - 0.2;
    const double step = cv::mean(smoothed.colRange(18, 30))[0] - cv::mean(smoothed.colRange(2, 14))[0];
    std::printf("consumer: step %.3f, flat-region spread %.4f\n", step, flatError);
    return (step > 0.55 && flatError < 0.01) ? 0 : 1;
}
