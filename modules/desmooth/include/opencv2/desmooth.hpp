// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_HPP
#define OPENCV_DESMOOTH_HPP

/** @defgroup desmooth De-smoothing: recovering the details of smoothed images

Implements DeSmoothGAN (Huang et al., "DeSmoothGAN: Recovering Details of Smoothed Images via Spatial
Feature-wise Transformation and Full Attention", ACM MM 2020) and the L0 gradient-minimisation smoothing
(Xu et al., "Image Smoothing via L0 Gradient Minimization", SIGGRAPH Asia 2011) that makes its training pairs.

Value ranges everywhere: 8U 0..255, 16U 0..65535, 32F/64F 0..1.
*/

#include "opencv2/desmooth/desmoother.hpp"
#include "opencv2/desmooth/estimate_smoother.hpp"
#include "opencv2/desmooth/evaluator.hpp"
#include "opencv2/desmooth/jpeg_blocking.hpp"
#include "opencv2/desmooth/jpeg_quality.hpp"
#include "opencv2/desmooth/l0_smooth.hpp"
#include "opencv2/desmooth/lpips.hpp"
#include "opencv2/desmooth/metrics.hpp"
#include "opencv2/desmooth/model.hpp"
#include "opencv2/desmooth/reverse_filter.hpp"
#include "opencv2/desmooth/smoother.hpp"
#include "opencv2/desmooth/smoother_classifier.hpp"

#endif
