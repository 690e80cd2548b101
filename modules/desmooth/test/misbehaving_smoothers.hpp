// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_TEST_MISBEHAVING_SMOOTHERS_HPP
#define OPENCV_DESMOOTH_TEST_MISBEHAVING_SMOOTHERS_HPP

#include "opencv2/desmooth/smoother.hpp"

#include <opencv2/imgproc.hpp>

#include <stdexcept>

namespace opencv_test {

/** A user's smoother that fails with a non-OpenCV exception. */
class ThrowingSmoother CV_FINAL : public cv::desmooth::Smoother
{
public:
    void apply(cv::InputArray, cv::OutputArray) CV_OVERRIDE { throw std::runtime_error("out of film"); }
    cv::String describe() const CV_OVERRIDE { return "throwing"; }
};

/** A user's smoother that returns an image of another size. */
class ShrinkingSmoother CV_FINAL : public cv::desmooth::Smoother
{
public:
    void apply(cv::InputArray src, cv::OutputArray dst) CV_OVERRIDE
    {
        cv::resize(src, dst, cv::Size(), 0.5, 0.5);
    }
    cv::String describe() const CV_OVERRIDE { return "shrinking"; }
};

} // namespace opencv_test

#endif
