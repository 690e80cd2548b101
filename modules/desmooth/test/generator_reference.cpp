// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "generator_reference.hpp"

#include <algorithm>
#include <cmath>

namespace opencv_test {

using cv::Mat;
using cv::desmooth::Model;

namespace {

double tensorValue(const Mat& m, std::initializer_list<int> index)
{
    std::vector<int> idx(index);
    if (m.dims == 2 && idx.size() == 1) return m.at<float>(0, idx[0]);
    return m.at<float>(idx.data());
}

// Cross-correlation with zero padding, as torch.nn.Conv2d: weight [out, in, k, k].
Tensor conv2d(const Tensor& x, const Mat& w, const Mat& b, int stride, int pad)
{
    const int out = w.size[0], in = w.size[1], k = w.size[2];
    const int rows = (x.rows + 2 * pad - k) / stride + 1, cols = (x.cols + 2 * pad - k) / stride + 1;
    Tensor y(out, rows, cols);
    for (int o = 0; o < out; ++o)
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < cols; ++c) {
                double sum = tensorValue(b, {o});
                for (int i = 0; i < in; ++i)
                    for (int ky = 0; ky < k; ++ky)
                        for (int kx = 0; kx < k; ++kx) {
                            const int sy = r * stride - pad + ky, sx = c * stride - pad + kx;
                            if (sy < 0 || sy >= x.rows || sx < 0 || sx >= x.cols) continue;
                            sum += x.at(i, sy, sx) * tensorValue(w, {o, i, ky, kx});
                        }
                y.at(o, r, c) = sum;
            }
    return y;
}

// torch.nn.ConvTranspose2d(kernel 4, stride 2, padding 1): weight [in, out, k, k]; every input pixel
// scatters.
Tensor convTranspose2d(const Tensor& x, const Mat& w, const Mat& b)
{
    const int in = w.size[0], out = w.size[1], k = w.size[2], stride = 2, pad = 1;
    Tensor y(out, x.rows * 2, x.cols * 2);
    for (int o = 0; o < out; ++o)
        for (int r = 0; r < y.rows; ++r)
            for (int c = 0; c < y.cols; ++c)
                y.at(o, r, c) = tensorValue(b, {o});
    for (int i = 0; i < in; ++i)
        for (int r = 0; r < x.rows; ++r)
            for (int c = 0; c < x.cols; ++c)
                for (int o = 0; o < out; ++o)
                    for (int ky = 0; ky < k; ++ky)
                        for (int kx = 0; kx < k; ++kx) {
                            const int ty = r * stride - pad + ky, tx = c * stride - pad + kx;
                            if (ty < 0 || ty >= y.rows || tx < 0 || tx >= y.cols) continue;
                            y.at(o, ty, tx) += x.at(i, r, c) * tensorValue(w, {i, o, ky, kx});
                        }
    return y;
}

Tensor leakyRelu(Tensor x, double slope)
{
    for (double& v : x.data)
        v = v > 0 ? v : slope * v;
    return x;
}

Tensor concatChannels(const Tensor& a, const Tensor& b)
{
    Tensor y(a.channels + b.channels, a.rows, a.cols);
    std::copy(a.data.begin(), a.data.end(), y.data.begin());
    std::copy(b.data.begin(), b.data.end(), y.data.begin() + a.data.size());
    return y;
}

// F.interpolate(mode="bilinear", align_corners=False, antialias=False).
Tensor resizeBilinear(const Tensor& x, int rows, int cols)
{
    Tensor y(x.channels, rows, cols);
    const double scaleY = double(x.rows) / rows, scaleX = double(x.cols) / cols;
    for (int r = 0; r < rows; ++r) {
        const double sy = std::max(0.0, (r + 0.5) * scaleY - 0.5);
        const int y0 = int(sy), y1 = std::min(y0 + 1, x.rows - 1);
        const double ly = sy - y0;
        for (int c = 0; c < cols; ++c) {
            const double sx = std::max(0.0, (c + 0.5) * scaleX - 0.5);
            const int x0 = int(sx), x1 = std::min(x0 + 1, x.cols - 1);
            const double lx = sx - x0;
            for (int ch = 0; ch < x.channels; ++ch)
                y.at(ch, r, c) = (1 - ly) * ((1 - lx) * x.at(ch, y0, x0) + lx * x.at(ch, y0, x1)) +
                                 ly * ((1 - lx) * x.at(ch, y1, x0) + lx * x.at(ch, y1, x1));
        }
    }
    return y;
}

std::vector<double> channel(const Tensor& t, int c)
{
    return std::vector<double>(t.data.begin() + size_t(c) * t.rows * t.cols,
                               t.data.begin() + size_t(c + 1) * t.rows * t.cols);
}

} // namespace

std::vector<double> referenceAttentionSpatial(const std::vector<double>& f, const std::vector<double>& g,
                                              const std::vector<double>& h)
{
    const size_t n = f.size();
    std::vector<double> out(n);
    for (size_t j = 0; j < n; ++j) {
        double largest = -INFINITY;
        for (size_t i = 0; i < n; ++i)
            largest = std::max(largest, f[i] * g[j]);
        double normaliser = 0, weighted = 0;
        for (size_t i = 0; i < n; ++i) {
            const double e = std::exp(f[i] * g[j] - largest);
            normaliser += e;
            weighted += e * h[i];
        }
        out[j] = weighted / normaliser;
    }
    return out;
}

Tensor referenceFullAttention(const Tensor& y, const std::vector<double>& f, const std::vector<double>& g,
                              const std::vector<double>& h, const Mat& w1, const Mat& b1, const Mat& w2,
                              const Mat& b2)
{
    const std::vector<double> spatial = referenceAttentionSpatial(f, g, h);
    const int size = y.rows * y.cols;
    Tensor yPrime = y;
    for (int c = 0; c < y.channels; ++c)
        for (int i = 0; i < size; ++i)
            yPrime.data[size_t(c) * size + i] += spatial[i];
    std::vector<double> maxPool(y.channels, -INFINITY), avgPool(y.channels, 0);
    for (int c = 0; c < y.channels; ++c)
        for (int i = 0; i < size; ++i) {
            maxPool[c] = std::max(maxPool[c], yPrime.data[size_t(c) * size + i]);
            avgPool[c] += yPrime.data[size_t(c) * size + i] / size;
        }
    const auto mlp = [&](const std::vector<double>& v) {
        std::vector<double> hidden(w1.rows), out(y.channels);
        for (int k = 0; k < w1.rows; ++k) {
            double s = b1.at<float>(0, k);
            for (int c = 0; c < y.channels; ++c)
                s += w1.at<float>(k, c) * v[c];
            hidden[k] = std::max(0.0, s);
        }
        for (int c = 0; c < y.channels; ++c) {
            double s = b2.at<float>(0, c);
            for (int k = 0; k < w1.rows; ++k)
                s += w2.at<float>(c, k) * hidden[k];
            out[c] = 1.0 / (1.0 + std::exp(-s));
        }
        return out;
    };
    const std::vector<double> maxWeight = mlp(maxPool), avgWeight = mlp(avgPool);
    Tensor z(y.channels, y.rows, y.cols);
    for (int c = 0; c < y.channels; ++c)
        for (int i = 0; i < size; ++i) {
            const size_t p = size_t(c) * size + i;
            z.data[p] = maxWeight[c] * yPrime.data[p] + avgWeight[c] * yPrime.data[p] + y.data[p];
        }
    return z;
}

namespace {

// SFT (paper Eq. 1) and FA of decoder block `prefix`, where the config has them.
Tensor referenceModulation(const Model& model, int block, const Tensor& input, Tensor x)
{
    const auto w = [&](const std::string& name) -> const Mat& { return model.weights.at(name); };
    const std::string prefix = "dec" + std::to_string(block);
    if (model.config.hasSFT(block)) {
        const Tensor smoothed = resizeBilinear(input, x.rows, x.cols);
        const Tensor hidden =
            leakyRelu(conv2d(smoothed, w(prefix + "_sft_shared_w"), w(prefix + "_sft_shared_b"), 1, 1), 0.0);
        const Tensor gamma = conv2d(hidden, w(prefix + "_sft_gamma_w"), w(prefix + "_sft_gamma_b"), 1, 1);
        const Tensor beta = conv2d(hidden, w(prefix + "_sft_beta_w"), w(prefix + "_sft_beta_b"), 1, 1);
        for (size_t i = 0; i < x.data.size(); ++i)
            x.data[i] = gamma.data[i] * x.data[i] + beta.data[i];
    }
    if (model.config.hasFA(block)) {
        const std::string fa = prefix + "_fa";
        const Tensor f = conv2d(x, w(fa + "_f_w"), w(fa + "_f_b"), 1, 0);
        const Tensor g = conv2d(x, w(fa + "_g_w"), w(fa + "_g_b"), 1, 0);
        const Tensor h = conv2d(x, w(fa + "_h_w"), w(fa + "_h_b"), 1, 0);
        x = referenceFullAttention(x, channel(f, 0), channel(g, 0), channel(h, 0), w(fa + "_mlp1_w"),
                                   w(fa + "_mlp1_b"), w(fa + "_mlp2_w"), w(fa + "_mlp2_b"));
    }
    return x;
}

Tensor sumOf(Tensor a, const Tensor& b)
{
    for (size_t i = 0; i < a.data.size(); ++i)
        a.data[i] += b.data[i];
    return a;
}

// The restore architecture as docs/design.md describes it.
Tensor referenceRestoreGenerator(const Model& model, const Tensor& input)
{
    const cv::desmooth::ModelConfig& config = model.config;
    const auto w = [&](const std::string& name) -> const Mat& { return model.weights.at(name); };
    const auto conv3 = [&](const Tensor& x, const std::string& name, int stride) {
        return conv2d(x, w(name + "_w"), w(name + "_b"), stride, 1);
    };
    const auto residualBlocks = [&](Tensor x, const std::string& prefix, int count) {
        for (int j = 0; j < count; ++j) {
            const std::string name = prefix + "_res" + std::to_string(j);
            x = sumOf(x, conv3(leakyRelu(conv3(x, name + "_conv1", 1), 0.0), name + "_conv2", 1));
        }
        return x;
    };
    std::vector<Tensor> encoder{conv3(input, "head", 1)};
    for (int level = 1; level < config.depth; ++level) {
        const std::string name = "enc" + std::to_string(level);
        encoder.push_back(residualBlocks(conv3(encoder.back(), name + "_down", 2), name, config.blocks));
    }
    Tensor x = encoder.back();
    for (int block = 0; block < config.depth; ++block) {
        const int level = config.depth - 1 - block;
        if (block > 0) {
            const Tensor reduced = conv3(x, "dec" + std::to_string(block - 1) + "_up", 1);
            x = sumOf(resizeBilinear(reduced, encoder[level].rows, encoder[level].cols), encoder[level]);
        }
        x = referenceModulation(model, block, input, x);
        x = residualBlocks(x, "dec" + std::to_string(block),
                           level > 0 ? config.blocks : config.fullResBlocks);
    }
    Tensor out = sumOf(conv3(x, "tail", 1), input);
    for (double& v : out.data)
        v = std::min(1.0, std::max(-1.0, v));
    return out;
}

} // namespace

Tensor referenceGenerator(const Model& model, const Tensor& input)
{
    const cv::desmooth::ModelConfig& config = model.config;
    if (config.isRestore()) return referenceRestoreGenerator(model, input);
    const auto w = [&](const std::string& name) -> const Mat& { return model.weights.at(name); };
    std::vector<Tensor> encoder;
    Tensor x = conv2d(input, w("enc0_conv_w"), w("enc0_conv_b"), 2, 1);
    encoder.push_back(x);
    for (int level = 1; level < config.depth; ++level) {
        const std::string name = "enc" + std::to_string(level) + "_conv";
        x = conv2d(leakyRelu(x, 0.2), w(name + "_w"), w(name + "_b"), 2, 1);
        encoder.push_back(x);
    }
    for (int block = 0; block < config.depth; ++block) {
        const std::string prefix = "dec" + std::to_string(block);
        if (block > 0) x = concatChannels(encoder[config.depth - 1 - block], x);
        x = convTranspose2d(leakyRelu(x, 0.0), w(prefix + "_deconv_w"), w(prefix + "_deconv_b"));
        x = referenceModulation(model, block, input, x);
    }
    for (size_t i = 0; i < x.data.size(); ++i) {
        x.data[i] = std::tanh(x.data[i]);
        if (config.residual) x.data[i] = std::min(1.0, std::max(-1.0, input.data[i] + x.data[i]));
    }
    return x;
}

} // namespace opencv_test
