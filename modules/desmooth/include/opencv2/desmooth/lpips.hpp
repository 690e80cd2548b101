// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_LPIPS_HPP
#define OPENCV_DESMOOTH_LPIPS_HPP

#include <opencv2/dnn.hpp>

namespace cv {
namespace desmooth {

//! @addtogroup desmooth
//! @{

/** @brief LPIPS, the learned perceptual distance of Zhang et al. 2018, over a feature network run by cv::dnn.

d(a, b) = sum_l mean_{h,w} sum_c w_l[c] * (fa_l[c,h,w] - fb_l[c,h,w])^2, where f_l are the network's features
at layer l, each unit-normalised over channels at every pixel, and w_l the per-channel linear weights ("lin"
layers). The network's input is RGB in [-1, 1], shifted and scaled per channel as LPIPS's ScalingLayer does.

No package ships the LPIPS weights: export them yourself from the LPIPS repository (the backbone to ONNX with
the feature layers as outputs, the lin weights as 1xC rows) and describe them in a small FileStorage file
(YAML/JSON):
@code{.yaml}
%YAML:1.0
net: alex.onnx            # relative to this file; anything cv::dnn::readNet reads
config: ""                # optional: the second file of two-file formats (Caffe's .prototxt)
layers: [ "relu1", "relu2", "relu3", "relu4", "relu5" ]
weights: [ !!opencv-matrix {...}, ... ]   # one 1xC_l CV_32F row per layer
shift: [ -0.030, -0.088, -0.188 ]          # optional; LPIPS's defaults
scale: [ 0.458, 0.448, 0.450 ]
@endcode
 */
class CV_EXPORTS_W Lpips : public Algorithm
{
public:
    /** @brief Loads the description file above; a clear exception when it or its network can't be read. */
    CV_WRAP static Ptr<Lpips> create(const String& descriptionFile);
    /** @brief From a network in memory: the names of its feature layers and one 1xC weight row per layer. */
    static Ptr<Lpips> create(const dnn::Net& net, const std::vector<String>& layers,
                             const std::vector<Mat>& weights,
                             const Scalar& shift = Scalar(-0.030, -0.088, -0.188),
                             const Scalar& scale = Scalar(0.458, 0.448, 0.450));

    /** @brief The distance between two BGR (or gray) images of one size, types as the other metrics take. */
    CV_WRAP virtual double compute(InputArray a, InputArray b) = 0;
};

//! @}

} // namespace desmooth
} // namespace cv

#endif
