// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "rank_one_attention.hpp"

#include <ATen/Parallel.h>
#include <opencv2/core/hal/hal.hpp>

#include <algorithm>
#include <cmath>

namespace cv {
namespace desmooth {
namespace training {

namespace {

const int64_t kChunk = 512; // keys (or queries) per vectorised block: logits and weights stay in L1

// exp(scale * a[t] - shift[t]) for t < count into `weights`; `shift` may be null (then `shift0`).
void weightsOf(float scale, const float* a, const float* shift, float shift0, int64_t count, float* weights)
{
    for (int64_t t = 0; t < count; ++t)
        weights[t] = scale * a[t] - (shift ? shift[t] : shift0);
    cv::hal::exp32f(weights, weights, int(count));
}

struct Sample
{
    const float *keys, *queries, *values;
    int64_t size;
};

Sample sampleOf(const torch::Tensor& keys, const torch::Tensor& queries, const torch::Tensor& values,
                int64_t n)
{
    const int64_t size = keys.size(1);
    return {keys.data_ptr<float>() + n * size, queries.data_ptr<float>() + n * size,
            values.data_ptr<float>() + n * size, size};
}

class RankOneAttentionFunction : public torch::autograd::Function<RankOneAttentionFunction>
{
public:
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& keysIn,
                                 const torch::Tensor& queriesIn, const torch::Tensor& valuesIn)
    {
        const torch::Tensor keys = keysIn.contiguous(), queries = queriesIn.contiguous(),
                            values = valuesIn.contiguous();
        const int64_t samples = keys.size(0), size = keys.size(1);
        torch::Tensor out = torch::empty_like(keys), logNormaliser = torch::empty_like(keys);
        float* outData = out.data_ptr<float>();
        float* lseData = logNormaliser.data_ptr<float>();
        for (int64_t n = 0; n < samples; ++n) {
            const Sample s = sampleOf(keys, queries, values, n);
            const auto range = std::minmax_element(s.keys, s.keys + size);
            const float keyMin = *range.first, keyMax = *range.second;
            at::parallel_for(0, size, 16, [&](int64_t begin, int64_t end) {
                float weights[kChunk];
                for (int64_t j = begin; j < end; ++j) {
                    const float query = s.queries[j];
                    const float largest = query >= 0 ? query * keyMax : query * keyMin; // softmax's max
                    double normaliser = 0, weighted = 0;
                    for (int64_t first = 0; first < size; first += kChunk) {
                        const int64_t count = std::min(kChunk, size - first);
                        weightsOf(query, s.keys + first, nullptr, largest, count, weights);
                        float chunkNormaliser = 0, chunkWeighted = 0;
                        for (int64_t t = 0; t < count; ++t) {
                            chunkNormaliser += weights[t];
                            chunkWeighted += weights[t] * s.values[first + t];
                        }
                        normaliser += chunkNormaliser;
                        weighted += chunkWeighted;
                    }
                    outData[n * size + j] = float(weighted / normaliser);
                    lseData[n * size + j] = float(largest + std::log(normaliser));
                }
            });
        }
        ctx->save_for_backward({keys, queries, values, out, logNormaliser});
        return out;
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list gradients)
    {
        const torch::autograd::variable_list saved = ctx->get_saved_variables();
        const torch::Tensor &keys = saved[0], &queries = saved[1], &values = saved[2], &out = saved[3],
                            &logNormaliser = saved[4];
        const torch::Tensor gradOut = gradients[0].contiguous();
        const int64_t samples = keys.size(0), size = keys.size(1);
        torch::Tensor gradKeys = torch::empty_like(keys), gradQueries = torch::empty_like(keys),
                      gradValues = torch::empty_like(keys);
        // With p[j, i] = exp(q_j k_i - lse_j) and G = dL/dout:
        //   dq_j = G_j sum_i p[j, i] k_i (v_i - out_j)
        //   dv_i = sum_j G_j p[j, i],  dk_i = sum_j G_j q_j p[j, i] (v_i - out_j).
        // The logits q_j k_i - lse_j are <= 0, so no exponential overflows.
        for (int64_t n = 0; n < samples; ++n) {
            const Sample s = sampleOf(keys, queries, values, n);
            const float* lse = logNormaliser.data_ptr<float>() + n * size;
            const float* o = out.data_ptr<float>() + n * size;
            const float* g = gradOut.data_ptr<float>() + n * size;
            float* dq = gradQueries.data_ptr<float>() + n * size;
            float* dk = gradKeys.data_ptr<float>() + n * size;
            float* dv = gradValues.data_ptr<float>() + n * size;
            at::parallel_for(0, size, 16, [&](int64_t begin, int64_t end) {
                float weights[kChunk];
                for (int64_t j = begin; j < end; ++j) {
                    double weightedKeyValue = 0, weightedKey = 0;
                    for (int64_t first = 0; first < size; first += kChunk) {
                        const int64_t count = std::min(kChunk, size - first);
                        weightsOf(s.queries[j], s.keys + first, nullptr, lse[j], count, weights);
                        float chunkKeyValue = 0, chunkKey = 0;
                        for (int64_t t = 0; t < count; ++t) {
                            const float wk = weights[t] * s.keys[first + t];
                            chunkKey += wk;
                            chunkKeyValue += wk * s.values[first + t];
                        }
                        weightedKeyValue += chunkKeyValue;
                        weightedKey += chunkKey;
                    }
                    dq[j] = float(g[j] * (weightedKeyValue - o[j] * weightedKey));
                }
            });
            // Per-query factors of the key-side sums.
            std::vector<float> gq(size), gqo(size);
            for (int64_t j = 0; j < size; ++j) {
                gq[j] = g[j] * s.queries[j];
                gqo[j] = gq[j] * o[j];
            }
            at::parallel_for(0, size, 16, [&](int64_t begin, int64_t end) {
                float weights[kChunk];
                for (int64_t i = begin; i < end; ++i) {
                    double sumG = 0, sumGq = 0, sumGqo = 0;
                    for (int64_t first = 0; first < size; first += kChunk) {
                        const int64_t count = std::min(kChunk, size - first);
                        weightsOf(s.keys[i], s.queries + first, lse + first, 0.f, count, weights);
                        float chunkG = 0, chunkGq = 0, chunkGqo = 0;
                        for (int64_t t = 0; t < count; ++t) {
                            chunkG += weights[t] * g[first + t];
                            chunkGq += weights[t] * gq[first + t];
                            chunkGqo += weights[t] * gqo[first + t];
                        }
                        sumG += chunkG;
                        sumGq += chunkGq;
                        sumGqo += chunkGqo;
                    }
                    dv[i] = float(sumG);
                    dk[i] = float(s.values[i] * sumGq - sumGqo);
                }
            });
        }
        return {gradKeys, gradQueries, gradValues};
    }
};

} // namespace

torch::Tensor rankOneAttentionExplicit(const torch::Tensor& keys, const torch::Tensor& queries,
                                       const torch::Tensor& values)
{
    const int64_t samples = keys.size(0), size = keys.size(1);
    const torch::Tensor weights =
        torch::softmax(queries.view({samples, size, 1}) * keys.view({samples, 1, size}), 2); // [n, j, i]
    return torch::bmm(weights, values.view({samples, size, 1})).view({samples, size});
}

torch::Tensor rankOneAttention(const torch::Tensor& keys, const torch::Tensor& queries,
                               const torch::Tensor& values)
{
    TORCH_CHECK(keys.dim() == 2 && queries.sizes() == keys.sizes() && values.sizes() == keys.sizes(),
                "rankOneAttention: keys, queries and values must be N x S tensors of one shape");
    const bool fused = keys.device().is_cpu() && keys.scalar_type() == torch::kFloat &&
                       queries.scalar_type() == torch::kFloat && values.scalar_type() == torch::kFloat;
    if (!fused) return rankOneAttentionExplicit(keys, queries, values);
    return RankOneAttentionFunction::apply(keys, queries, values);
}

} // namespace training
} // namespace desmooth
} // namespace cv
