// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_SFT_LAYER_HPP
#define OPENCV_DESMOOTH_SFT_LAYER_HPP

#include <opencv2/dnn.hpp>

namespace cv {
namespace desmooth {

/** DNN layer "DesmoothSFT": spatial feature-wise transformation (paper Eq. 1), y = gamma * x + beta per
pixel.

Inputs: x (N, C, H, W) and the output of the gamma and beta convolutions stacked (N, 2C, H, W): gamma first.
The convolutions that predict gamma and beta from the smoothed image are built-in Convolution layers. */
class CV_EXPORTS SFTLayer : public dnn::Layer
{
public:
    //! Param "use_cuda" (bool): run the modulation with the CUDA kernel where one is usable.
    explicit SFTLayer(const dnn::LayerParams& params)
        : Layer(params), useCuda_(params.get<bool>("use_cuda", false))
    {
    }
    static Ptr<dnn::Layer> create(dnn::LayerParams& params) { return makePtr<SFTLayer>(params); }

    bool getMemoryShapes(const std::vector<dnn::MatShape>& inputs, int requiredOutputs,
                         std::vector<dnn::MatShape>& outputs,
                         std::vector<dnn::MatShape>& internals) const CV_OVERRIDE;
    void forward(InputArrayOfArrays inputs, OutputArrayOfArrays outputs,
                 OutputArrayOfArrays internals) CV_OVERRIDE;

private:
    bool useCuda_;
};

//! y = gamma * x + beta on raw planes: x and y are planes * size floats, gammaBeta holds 2 * planes planes.
CV_EXPORTS void sftModulate(const float* x, const float* gammaBeta, int batch, int channels, size_t size,
                            float* y);

} // namespace desmooth
} // namespace cv

#endif
