// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_TEST_GENERATOR_REFERENCE_HPP
#define OPENCV_DESMOOTH_TEST_GENERATOR_REFERENCE_HPP

#include <opencv2/desmooth.hpp>

#include <vector>

namespace opencv_test {

//! A C x H x W tensor in double precision.
struct Tensor
{
    int channels = 0, rows = 0, cols = 0;
    std::vector<double> data;
    Tensor() = default;
    Tensor(int c, int h, int w) : channels(c), rows(h), cols(w), data(size_t(c) * h * w, 0.0) {}
    double& at(int c, int y, int x) { return data[(size_t(c) * rows + y) * cols + x]; }
    double at(int c, int y, int x) const { return data[(size_t(c) * rows + y) * cols + x]; }
};

//! The spatial relation of full attention, directly: out[j] = sum_i softmax_i(f[i] g[j]) h[i], in double.
std::vector<double> referenceAttentionSpatial(const std::vector<double>& f, const std::vector<double>& g,
                                              const std::vector<double>& h);

//! Full attention on one sample (paper Eqs. 2-7) given f, g, h and the MLP weights.
Tensor referenceFullAttention(const Tensor& y, const std::vector<double>& f, const std::vector<double>& g,
                              const std::vector<double>& h, const cv::Mat& w1, const cv::Mat& b1,
                              const cv::Mat& w2, const cv::Mat& b2);

/** The DeSmoothGAN generator written out in plain loops, double precision, from the paper and docs/design.md
alone: input 3 x H x W RGB in [-1, 1] (H, W multiples of 2^depth), output the same shape. */
Tensor referenceGenerator(const cv::desmooth::Model& model, const Tensor& input);

} // namespace opencv_test

#endif
