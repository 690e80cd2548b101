// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_TRAINING_RANK_ONE_ATTENTION_HPP
#define DESMOOTH_TRAINING_RANK_ONE_ATTENTION_HPP

#include <torch/torch.h>

namespace cv {
namespace desmooth {
namespace training {

/** Full attention's spatial relation with one-channel keys, queries and values (N x S each):
out[n, j] = sum_i softmax_i(queries[n, j] * keys[n, i]) values[n, i].

On CPU float tensors it runs fused: forward and backward recompute the S x S weights chunk by chunk and never
store them, so a 32x32 map costs a few milliseconds instead of the explicit matrix's hundreds (the softmax and
its backward over N x S x S floats dominated a training step). Elsewhere (CUDA, double) it is the explicit
softmax-matrix formula, which is also the tests' reference. Not twice differentiable on the fused path. */
torch::Tensor rankOneAttention(const torch::Tensor& keys, const torch::Tensor& queries,
                               const torch::Tensor& values);

//! The explicit formula: softmax over the materialised N x S x S logits, then a batched product.
torch::Tensor rankOneAttentionExplicit(const torch::Tensor& keys, const torch::Tensor& queries,
                                       const torch::Tensor& values);

} // namespace training
} // namespace desmooth
} // namespace cv

#endif
