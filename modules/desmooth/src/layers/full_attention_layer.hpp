// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_FULL_ATTENTION_LAYER_HPP
#define OPENCV_DESMOOTH_FULL_ATTENTION_LAYER_HPP

#include <opencv2/dnn.hpp>

namespace cv {
namespace desmooth {

//! How DesmoothFullAttention computes the spatial relation (layer param "algorithm", else the configuration
//! parameter DESMOOTH_FA_ALGORITHM).
enum class AttentionAlgorithm
{
    Auto,     //!< the expansion where it is cheaper, else exact
    Exact,    //!< always the exact streaming sum
    Expansion //!< always the expansion
};

/** DNN layer "DesmoothFullAttention": the paper's full attention (Eqs. 2-7).

Inputs: y (N, C, H, W) and the outputs of the 1x1 convolutions f, g, h stacked (N, 3, H, W). Blobs: the shared
channel MLP, W1 (hidden x C), b1 (1 x hidden), W2 (C x hidden), b2 (1 x C).
Spatial relation: y_sr[j] = sum_i softmax_i(f[i] g[j]) h[i] over the H*W pixels, computed query by query
without storing the HW x HW matrix (O(HW) memory); since every logit of query j is g[j] times an f, the
softmax's maximum is g[j] max(f) or g[j] min(f), known before the sum. Channel relation: y' = y + y_sr, z =
sigmoid(MLP(max y')) y' + sigmoid(MLP(avg y')) y' + y. */
class CV_EXPORTS FullAttentionLayer : public dnn::Layer
{
public:
    //! Param "use_cuda" (bool): run the spatial relation with the CUDA kernel where one is usable.
    //! Param "algorithm" ("auto", "exact" or "expansion"): see AttentionAlgorithm; without it, the
    //! configuration parameter DESMOOTH_FA_ALGORITHM (default "auto").
    explicit FullAttentionLayer(const dnn::LayerParams& params);
    static Ptr<dnn::Layer> create(dnn::LayerParams& params) { return makePtr<FullAttentionLayer>(params); }

    bool getMemoryShapes(const std::vector<dnn::MatShape>& inputs, int requiredOutputs,
                         std::vector<dnn::MatShape>& outputs,
                         std::vector<dnn::MatShape>& internals) const CV_OVERRIDE;
    void forward(InputArrayOfArrays inputs, OutputArrayOfArrays outputs,
                 OutputArrayOfArrays internals) CV_OVERRIDE;

private:
    bool useCuda_;
    AttentionAlgorithm algorithm_;
};

//! The spatial relation of one sample on raw arrays, exactly: out[j] = sum_i softmax_i(f[i] g[j]) h[i], j <
//! size; O(size^2) time, O(size) memory.
CV_EXPORTS void fullAttentionSpatial(const float* f, const float* g, const float* h, int size, float* out);

/** The same, in near-linear time, to float precision. Every logit is a product g[j] f[i], so for a query s
the output is F(s) = sum_i h[i] e^{s f[i]} / sum_i e^{s f[i]}: the keys are binned (width d = 2 / max|g|, so
|s (f - c)| <= 1 inside a bin of centre c), each bin keeps the moments sum h (f - c)^n / n! and sum (f - c)^n
/ n! for n < 12 in double, and a query costs, per bin, one exponential and two Horner evaluations: truncation
error below e/12! (6e-9) relative. Returns false, writing nothing, where more than size/8 bins are occupied
(then the exact path is cheaper) or the bins span more than `size` widths, unless `force`. */
CV_EXPORTS bool fullAttentionSpatialExpansion(const float* f, const float* g, const float* h, int size,
                                              float* out, bool force = false);

} // namespace desmooth
} // namespace cv

#endif
