// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_INTERLEAVE_LAYER_HPP
#define OPENCV_DESMOOTH_INTERLEAVE_LAYER_HPP

#include <opencv2/dnn.hpp>

namespace cv {
namespace desmooth {

/** DNN layer "DesmoothInterleave": one N x 4C x (H+1) x (W+1) input holding a block of C channels per output
pixel parity (py, px) in the order (0,0), (0,1), (1,0), (1,1), woven into N x C x 2H x 2W: out[c][2m + py][2n
+ px] = input[(2 py + px) C + c][m + py][n + px].

With it the generator runs each 4x4 stride-2 transposed convolution as one 2x2 convolution with the four
parities' kernels stacked (padding 1, hence the extra row and column, which the offsets skip): the same
arithmetic on OpenCV's Convolution, because OpenCV 4.6's Deconvolution layer crashes once its input reaches
about 1020 x 1020 pixels (a 2048-pixel image's last decoder block) and its Convolution has no asymmetric
padding. */
class CV_EXPORTS InterleaveLayer : public dnn::Layer
{
public:
    explicit InterleaveLayer(const dnn::LayerParams& params) : Layer(params) {}
    static Ptr<dnn::Layer> create(dnn::LayerParams& params) { return makePtr<InterleaveLayer>(params); }

    bool getMemoryShapes(const std::vector<dnn::MatShape>& inputs, int requiredOutputs,
                         std::vector<dnn::MatShape>& outputs,
                         std::vector<dnn::MatShape>& internals) const CV_OVERRIDE;
    void forward(InputArrayOfArrays inputs, OutputArrayOfArrays outputs,
                 OutputArrayOfArrays internals) CV_OVERRIDE;
};

} // namespace desmooth
} // namespace cv

#endif
