// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "generator_net.hpp"

namespace cv {
namespace desmooth {

namespace {

using Output = std::pair<int, int>; // (layer id, output index)
const Output kNetInput(0, 0);

class GeneratorBuilder
{
public:
    GeneratorBuilder(const Model& model, bool cudaLayers) : model_(model), cudaLayers_(cudaLayers) {}

    dnn::Net build()
    {
        registerLayers();
        net_.setInputsNames({"smoothed"});
        const ModelConfig& c = model_.config;
        if (c.isRestore()) return buildRestore();
        std::vector<Output> encoder;
        Output x = convolution("enc0_conv", kNetInput, 4, 2, 1);
        encoder.push_back(x);
        for (int level = 1; level < c.depth; ++level) {
            x = convolution(format("enc%d_conv", level), relu(format("enc%d_lrelu", level), x, 0.2), 4, 2, 1);
            encoder.push_back(x);
        }
        for (int block = 0; block < c.depth; ++block) {
            const String prefix = format("dec%d", block);
            if (block > 0) x = concat(prefix + "_concat", encoder[c.depth - 1 - block], x);
            x = deconvolution(prefix + "_deconv", relu(prefix + "_relu", x, 0.0));
            if (c.hasSFT(block)) x = sft(prefix, x);
            if (c.hasFA(block)) x = fullAttention(prefix, x);
        }
        if (!c.residual) {
            add("output", "TanH", dnn::LayerParams(), {x});
        } else {
            const Output correction = add("residual_tanh", "TanH", dnn::LayerParams(), {x});
            const Output added = sum("residual_sum", kNetInput, correction);
            dnn::LayerParams clip; // ReLU6 with bounds is OpenCV's clip
            clip.set("min_value", -1.0f);
            clip.set("max_value", 1.0f);
            add("output", "ReLU6", clip, {added});
        }
        return net_;
    }

private:
    // The restore architecture (ModelConfig's comment): block k of the decoder works at level depth - 1 - k.
    dnn::Net buildRestore()
    {
        const ModelConfig& c = model_.config;
        std::vector<Output> encoder{convolution("head", kNetInput, 3, 1, 1)};
        for (int level = 1; level < c.depth; ++level) {
            Output x = convolution(format("enc%d_down", level), encoder.back(), 3, 2, 1);
            for (int j = 0; j < c.blocks; ++j)
                x = residualBlock(format("enc%d_res%d", level, j), x);
            encoder.push_back(x);
        }
        Output x = encoder.back();
        for (int block = 0; block < c.depth; ++block) {
            const String prefix = format("dec%d", block);
            const int level = c.depth - 1 - block;
            if (block > 0) {
                // A 3x3 convolution at the coarser level, then bilinear upsampling to the skip's size: no
                // transposed convolution, so no checkerboard.
                const Output reduced = convolution(format("dec%d_up", block - 1), x, 3, 1, 1);
                const Output upsampled = resizeLike(prefix + "_upsample", reduced, encoder[level]);
                x = sum(prefix + "_skip", upsampled, encoder[level]);
            }
            if (c.hasSFT(block)) x = sft(prefix, x);
            if (c.hasFA(block)) x = fullAttention(prefix, x);
            for (int j = 0; j < (level > 0 ? c.blocks : c.fullResBlocks); ++j)
                x = residualBlock(format("%s_res%d", prefix.c_str(), j), x);
        }
        const Output added = sum("residual_sum", kNetInput, convolution("tail", x, 3, 1, 1));
        dnn::LayerParams clip; // ReLU6 with bounds is OpenCV's clip
        clip.set("min_value", -1.0f);
        clip.set("max_value", 1.0f);
        add("output", "ReLU6", clip, {added});
        return net_;
    }

    // x + conv2(relu(conv1(x))), EDSR's block without BatchNorm.
    Output residualBlock(const String& prefix, Output x)
    {
        const Output hidden = relu(prefix + "_relu", convolution(prefix + "_conv1", x, 3, 1, 1), 0.0);
        return sum(prefix + "_sum", x, convolution(prefix + "_conv2", hidden, 3, 1, 1));
    }

    Output sum(const String& name, Output a, Output b)
    {
        dnn::LayerParams params;
        params.set("operation", "sum");
        return add(name, "Eltwise", params, {a, b});
    }

    // Bilinear resize of `input` to the spatial size of `reference` (half-pixel centres, no antialias:
    // PyTorch's interpolate with align_corners=False, which the trainer uses).
    Output resizeLike(const String& name, Output input, Output reference)
    {
        dnn::LayerParams resize;
        resize.set("interpolation", "bilinear");
        resize.set("align_corners", false);
        resize.set("half_pixel_centers", true);
        return add(name, "Resize", resize, {input, reference});
    }

    Output add(const String& name, const String& type, dnn::LayerParams params,
               const std::vector<Output>& inputs)
    {
        params.name = name;
        params.type = type;
        const int id = net_.addLayer(name, type, params);
        for (size_t i = 0; i < inputs.size(); ++i)
            net_.connect(inputs[i].first, inputs[i].second, id, int(i));
        return Output(id, 0);
    }

    const Mat& weight(const String& name) const { return model_.weights.at(name); }

    Output relu(const String& name, Output input, double negativeSlope)
    {
        dnn::LayerParams params;
        if (negativeSlope != 0) params.set("negative_slope", negativeSlope);
        return add(name, "ReLU", params, {input});
    }

    Output convolutionWith(const String& name, Output input, const Mat& w, const Mat& b, int kernel,
                           int stride, int pad)
    {
        dnn::LayerParams params;
        params.set("kernel_size", kernel);
        params.set("stride", stride);
        params.set("pad", pad);
        params.set("num_output", w.size[0]);
        params.set("bias_term", true);
        params.blobs = {w, b};
        return add(name, "Convolution", params, {input});
    }

    Output convolution(const String& name, Output input, int kernel, int stride, int pad)
    {
        return convolutionWith(name, input, weight(name + "_w"), weight(name + "_b"), kernel, stride, pad);
    }

    // The 4x4 stride-2 (padding 1) transposed convolution, exactly, as one 2x2 convolution per output pixel
    // parity and an interleave: output row 2m + py reads input rows {m - 1, m} through kernel rows {3, 1}
    // when py = 0, and rows {m, m + 1} through kernel rows {2, 0} when py = 1; columns likewise. With padding
    // 1 the parity-0 window of row m is the 2x2 output row m, the parity-1 window row m + 1. (OpenCV 4.6's
    // Deconvolution layer crashes on inputs from about 1020 x 1020 pixels.)
    Output deconvolution(const String& name, Output input)
    {
        const Mat& w = weight(name + "_w"); // PyTorch's ConvTranspose layout [in, out, 4, 4]
        const int in = w.size[0], out = w.size[1];
        const int kernelIndex[2][2] = {{3, 1}, {2, 0}};
        const int shape[4] = {4 * out, in, 2, 2};
        Mat kernel(4, shape, CV_32F), bias(1, 4 * out, CV_32F);
        for (int parity = 0; parity < 4; ++parity) {
            const int py = parity / 2, px = parity % 2;
            for (int o = 0; o < out; ++o) {
                bias.at<float>(parity * out + o) = weight(name + "_b").at<float>(o);
                for (int i = 0; i < in; ++i)
                    for (int ty = 0; ty < 2; ++ty)
                        for (int tx = 0; tx < 2; ++tx) {
                            const int source[4] = {i, o, kernelIndex[py][ty], kernelIndex[px][tx]};
                            const int target[4] = {parity * out + o, i, ty, tx};
                            kernel.at<float>(target) = w.at<float>(source);
                        }
            }
        }
        // OpenCV 4.6 has no asymmetric padding: padding 1 all round, and the interleave skips the extra
        // row/column.
        const Output parities = convolutionWith(name + "_parities", input, kernel, bias, 2, 1, 1);
        return add(name, "DesmoothInterleave", dnn::LayerParams(), {parities});
    }

    Output concat(const String& name, Output skip, Output decoded)
    {
        dnn::LayerParams params;
        params.set("axis", 1);
        return add(name, "Concat", params, {skip, decoded}); // pix2pix: cat([x, submodule(x)])
    }

    // SFT: the smoothed input resized to the block's size, a shared 3x3 conv + ReLU, then gamma and beta (run
    // as one convolution with the two kernels stacked), then the DesmoothSFT modulation.
    Output sft(const String& prefix, Output x)
    {
        const Output smoothed = resizeLike(prefix + "_sft_resize", kNetInput, x);
        const Output hidden =
            relu(prefix + "_sft_relu", convolution(prefix + "_sft_shared", smoothed, 3, 1, 1), 0.0);
        const Mat gammaBetaW =
            stackOutputs({weight(prefix + "_sft_gamma_w"), weight(prefix + "_sft_beta_w")});
        const Mat gammaBetaB =
            stackOutputs({weight(prefix + "_sft_gamma_b"), weight(prefix + "_sft_beta_b")});
        const Output gammaBeta =
            convolutionWith(prefix + "_sft_gamma_beta", hidden, gammaBetaW, gammaBetaB, 3, 1, 1);
        dnn::LayerParams params;
        params.set("use_cuda", cudaLayers_);
        return add(prefix + "_sft", "DesmoothSFT", params, {x, gammaBeta});
    }

    // FA: f, g, h as one 1x1 convolution with three outputs, then DesmoothFullAttention with the channel MLP.
    Output fullAttention(const String& prefix, Output x)
    {
        const String fa = prefix + "_fa";
        const Mat w = stackOutputs({weight(fa + "_f_w"), weight(fa + "_g_w"), weight(fa + "_h_w")});
        const Mat b = stackOutputs({weight(fa + "_f_b"), weight(fa + "_g_b"), weight(fa + "_h_b")});
        const Output fgh = convolutionWith(fa + "_fgh", x, w, b, 1, 1, 0);
        dnn::LayerParams params;
        params.set("use_cuda", cudaLayers_);
        params.blobs = {weight(fa + "_mlp1_w"), weight(fa + "_mlp1_b"), weight(fa + "_mlp2_w"),
                        weight(fa + "_mlp2_b")};
        return add(fa, "DesmoothFullAttention", params, {x, fgh});
    }

    // Stacks tensors along their first axis (the output channels of a conv weight; the entries of a 1 x n
    // bias).
    static Mat stackOutputs(const std::vector<Mat>& parts)
    {
        const bool bias = parts[0].dims == 2;
        std::vector<Mat> rows;
        for (const Mat& part : parts)
            rows.push_back(bias ? part.reshape(1, 1) : part.reshape(1, part.size[0]));
        Mat stacked;
        if (bias)
            hconcat(rows, stacked);
        else
            vconcat(rows, stacked);
        if (bias) return stacked;
        std::vector<int> shape(parts[0].size.p, parts[0].size.p + parts[0].dims);
        shape[0] = stacked.rows;
        return stacked.reshape(1, shape);
    }

    const Model& model_;
    bool cudaLayers_;
    dnn::Net net_;
};

} // namespace

dnn::Net buildGeneratorNet(const Model& model, bool cudaLayers)
{
    return GeneratorBuilder(model, cudaLayers).build();
}

} // namespace desmooth
} // namespace cv
