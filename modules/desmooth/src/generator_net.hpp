// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_GENERATOR_NET_HPP
#define OPENCV_DESMOOTH_GENERATOR_NET_HPP

#include "opencv2/desmooth/model.hpp"

#include <opencv2/dnn.hpp>

namespace cv {
namespace desmooth {

/** Builds the DeSmoothGAN generator of a validated model as a cv::dnn::Net with addLayer/connect: built-in
Convolution, ReLU (LeakyReLU through negative_slope), TanH, Concat and Resize (bilinear, half-pixel centres),
plus DesmoothSFT, DesmoothFullAttention and DesmoothInterleave (each transposed convolution runs as four 2x2
convolutions woven together: OpenCV 4.6's Deconvolution crashes on large inputs). Input: N x 3 x H x W RGB in
[-1, 1], H and W multiples of config.sizeMultiple(); output: the same shape, tanh (or the residual output). The
restore architecture adds Eltwise sums (residual blocks, skips, the global residual) and Resize for upsampling. `cudaLayers`:
the custom layers run their CUDA kernels where usable. */
dnn::Net buildGeneratorNet(const Model& model, bool cudaLayers = false);

} // namespace desmooth
} // namespace cv

#endif
