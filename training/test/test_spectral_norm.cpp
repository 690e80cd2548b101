// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "spectral_norm.hpp"

#include <gtest/gtest.h>

namespace opencv_test {
namespace {

using namespace cv::desmooth::training;

double largestSingularValue(const torch::Tensor& matrix)
{
    return torch::linalg::svdvals(matrix.detach().to(torch::kFloat64), c10::nullopt)[0].item<double>();
}

// Power iteration converges to the largest singular value of the weight viewed along its output axis.
TEST(Desmooth_SpectralNorm, sigma_converges_to_the_largest_singular_value)
{
    torch::manual_seed(1);
    SNConv2d conv(8, 16, 3, 1, 1);
    SNConvTranspose2d deconv(16, 8, 4, 2, 1);
    for (int step = 0; step < 300; ++step) {
        conv->norm.normalised(true);
        deconv->norm.normalised(true);
    }
    for (SpectralNorm* norm : {&conv->norm, &deconv->norm}) {
        const double expected = largestSingularValue(norm->matrix());
        EXPECT_NEAR(norm->sigma().item<double>(), expected, 1e-4 * expected);
        // The normalised weight has spectral norm 1.
        const torch::Tensor normalised = norm->normalised(false);
        const torch::Tensor matrix = norm->dim == 0
                                         ? normalised.reshape({normalised.size(0), -1})
                                         : normalised.transpose(0, 1).reshape({normalised.size(1), -1});
        EXPECT_NEAR(largestSingularValue(matrix), 1.0, 1e-4);
    }
    EXPECT_EQ(deconv->norm.matrix().size(0), 8); // a transposed convolution's outputs are its dim 1
}

// sigma stays in the graph: d/dW sum(W / sigma(W)) = 1/sigma - sum(W)/sigma^2 * u v^T, with u, v constants.
TEST(Desmooth_SpectralNorm, gradient_flows_through_sigma)
{
    torch::manual_seed(2);
    SNConv2d conv(3, 5, 3, 1, 1);
    conv->norm.normalised(true);
    conv->norm.weight.mutable_grad() = torch::Tensor();
    conv->norm.normalised(false).sum().backward();
    const torch::Tensor w = conv->norm.weight.detach();
    const torch::Tensor sigma = conv->norm.sigma().detach();
    const torch::Tensor expected =
        1 / sigma - w.sum() / (sigma * sigma) * torch::outer(conv->norm.u, conv->norm.v).reshape(w.sizes());
    EXPECT_LE((conv->norm.weight.grad() - expected).abs().max().item<double>(), 1e-5);
}

TEST(Desmooth_SpectralNorm, eval_mode_leaves_the_vectors_alone)
{
    SNConv2d conv(4, 4, 3, 1, 1);
    conv->eval();
    const torch::Tensor u = conv->norm.u.clone();
    conv->forward(torch::rand({1, 4, 8, 8}));
    EXPECT_TRUE(torch::equal(u, conv->norm.u));
    conv->train();
    conv->forward(torch::rand({1, 4, 8, 8}));
    EXPECT_FALSE(torch::equal(u, conv->norm.u));
}

} // namespace
} // namespace opencv_test
