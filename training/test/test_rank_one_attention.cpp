// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "rank_one_attention.hpp"

#include <gtest/gtest.h>

using namespace cv::desmooth::training;

namespace {

struct Inputs
{
    torch::Tensor keys, queries, values;
};

// Float leaves with gradients; keys and queries scaled so that the logits reach the hundreds, where a softmax
// without its max subtracted overflows.
Inputs randomInputs(int64_t samples, int64_t size, double logitScale)
{
    torch::manual_seed(7);
    Inputs in;
    in.keys = (torch::randn({samples, size}) * logitScale).requires_grad_();
    in.queries = (torch::randn({samples, size}) * logitScale).requires_grad_();
    in.values = torch::randn({samples, size}).requires_grad_();
    return in;
}

Inputs doubleCopies(const Inputs& in)
{
    return {in.keys.detach().to(torch::kDouble).requires_grad_(),
            in.queries.detach().to(torch::kDouble).requires_grad_(),
            in.values.detach().to(torch::kDouble).requires_grad_()};
}

double largestDifference(const torch::Tensor& a, const torch::Tensor& b)
{
    return (a.to(torch::kDouble) - b.to(torch::kDouble)).abs().max().item<double>();
}

void expectFusedMatchesExplicit(int64_t samples, int64_t size, double logitScale)
{
    const Inputs fused = randomInputs(samples, size, logitScale), reference = doubleCopies(fused);
    const torch::Tensor out = rankOneAttention(fused.keys, fused.queries, fused.values);
    const torch::Tensor expected =
        rankOneAttentionExplicit(reference.keys, reference.queries, reference.values);
    ASSERT_EQ(out.sizes(), expected.sizes());
    EXPECT_LT(largestDifference(out, expected), 1e-4);

    const torch::Tensor upstream = torch::randn({samples, size}, torch::kDouble);
    (out * upstream.to(torch::kFloat)).sum().backward();
    (expected * upstream).sum().backward();
    // Gradients scale with the logits (dq sums k-weighted terms): compare relative to the largest.
    for (const auto& pair :
         {std::make_pair(fused.keys, reference.keys), std::make_pair(fused.queries, reference.queries),
          std::make_pair(fused.values, reference.values)}) {
        ASSERT_TRUE(pair.first.grad().defined());
        const double scale = std::max(1.0, pair.second.grad().abs().max().item<double>());
        EXPECT_LT(largestDifference(pair.first.grad(), pair.second.grad()) / scale, 1e-4);
    }
}

} // namespace

TEST(Desmooth_RankOneAttention, fused_forward_and_gradients_match_the_explicit_softmax)
{
    expectFusedMatchesExplicit(3, 37, 1.0);
    expectFusedMatchesExplicit(2, 1100, 1.0); // more than one chunk, the last one partial
}

TEST(Desmooth_RankOneAttention, large_logits_stay_finite_and_match)
{
    expectFusedMatchesExplicit(2, 600, 12.0);
}

TEST(Desmooth_RankOneAttention, zero_queries_average_the_values)
{
    const torch::Tensor keys = torch::randn({2, 50}), values = torch::randn({2, 50});
    const torch::Tensor out = rankOneAttention(keys, torch::zeros({2, 50}), values);
    EXPECT_LT(largestDifference(out, values.mean(1, true).expand({2, 50})), 1e-6);
}

TEST(Desmooth_RankOneAttention, runs_without_gradients_and_rejects_mismatched_shapes)
{
    torch::NoGradGuard noGrad;
    const Inputs in = randomInputs(1, 64, 1.0);
    EXPECT_LT(largestDifference(rankOneAttention(in.keys, in.queries, in.values),
                                rankOneAttentionExplicit(in.keys, in.queries, in.values)),
              1e-5);
    EXPECT_THROW(rankOneAttention(in.keys, in.queries, torch::zeros({1, 63})), c10::Error);
}
