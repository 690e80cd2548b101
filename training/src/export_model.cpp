// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "export_model.hpp"

#include <opencv2/desmooth.hpp>

#include <cctype>
#include <cstring>
#include <functional>
#include <set>
#include <stdexcept>

namespace cv {
namespace desmooth {
namespace training {

namespace {

// A float CPU tensor as a cv::Mat in the model file's storage shape (a bias [n] becomes 1 x n).
cv::Mat toMat(const torch::Tensor& tensor)
{
    const torch::Tensor t = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    std::vector<int> shape(t.sizes().begin(), t.sizes().end());
    if (shape.size() == 1) shape.insert(shape.begin(), 1);
    cv::Mat mat(int(shape.size()), shape.data(), CV_32F);
    std::memcpy(mat.data, t.data_ptr<float>(), t.numel() * sizeof(float));
    return mat;
}

// Folds eval-mode BatchNorm into the preceding layer: y = (W x + b - mean) * gamma / sqrt(var + eps) + beta.
void foldNorm(torch::Tensor& weight, torch::Tensor& bias, const torch::nn::BatchNorm2d& norm,
              int64_t outputAxis)
{
    const torch::Tensor scale = norm->weight / torch::sqrt(norm->running_var + norm->options.eps());
    std::vector<int64_t> shape(weight.dim(), 1);
    shape[outputAxis] = -1;
    weight = weight * scale.view(shape);
    bias = (bias - norm->running_mean) * scale + norm->bias;
}

using TensorSink = std::function<void(const std::string&, const torch::Tensor&, const torch::Tensor&)>;

// The restore architecture's tensors under the names of cv::desmooth::modelWeightShapes: no spectral norm;
// the BatchNorm of the ablation that puts it back is folded into its convolution.
void exportRestore(const RestoreGenerator& g, const TensorSink& put)
{
    const auto conv = [&](const std::string& name, const torch::nn::Conv2d& layer,
                          const torch::nn::BatchNorm2d& norm = torch::nn::BatchNorm2d(nullptr)) {
        torch::Tensor weight = layer->weight, bias = layer->bias;
        if (norm) foldNorm(weight, bias, norm, 0);
        put(name, weight, bias);
    };
    const auto blocks = [&](const std::string& prefix, const std::vector<ResidualBlock>& residual) {
        for (size_t j = 0; j < residual.size(); ++j) {
            conv(prefix + "_res" + std::to_string(j) + "_conv1", residual[j]->conv1, residual[j]->norm1);
            conv(prefix + "_res" + std::to_string(j) + "_conv2", residual[j]->conv2, residual[j]->norm2);
        }
    };
    conv("head", g->head);
    conv("tail", g->tail);
    for (size_t i = 0; i < g->down.size(); ++i) {
        const std::string name = "enc" + std::to_string(i + 1);
        conv(name + "_down", g->down[i], g->downNorm[i]);
        blocks(name, g->encoderBlocks[i]);
    }
    for (size_t block = 0; block < g->sft.size(); ++block) {
        const std::string name = "dec" + std::to_string(block);
        if (block < g->up.size()) conv(name + "_up", g->up[block], g->upNorm[block]);
        blocks(name, g->decoderBlocks[block]);
        if (const PlainSFT& sft = g->sft[block]) {
            conv(name + "_sft_shared", sft->shared);
            conv(name + "_sft_gamma", sft->gamma);
            conv(name + "_sft_beta", sft->beta);
        }
        if (const PlainFullAttention& fa = g->attention[block]) {
            conv(name + "_fa_f", fa->f);
            conv(name + "_fa_g", fa->g);
            conv(name + "_fa_h", fa->h);
            put(name + "_fa_mlp1", fa->mlp1->weight, fa->mlp1->bias);
            put(name + "_fa_mlp2", fa->mlp2->weight, fa->mlp2->bias);
        }
    }
}

// A model file's name in a generator `added` levels deeper: decoder block k becomes block k + added (block 0
// is the coarsest); the head, the tail and the encoder levels keep their names.
std::string deeperName(const std::string& name, int added)
{
    size_t end = 3;
    while (end < name.size() && std::isdigit(static_cast<unsigned char>(name[end])))
        ++end;
    if (name.compare(0, 3, "dec") != 0 || end == 3) return name;
    return "dec" + std::to_string(std::stoi(name.substr(3, end - 3)) + added) + name.substr(end);
}

void copyInto(torch::Tensor& target, const cv::Mat& source, const std::string& name)
{
    std::vector<int64_t> shape(source.size.p, source.size.p + source.dims);
    if (target.dim() == 1 && shape.size() == 2 && shape[0] == 1) shape.erase(shape.begin()); // a bias, 1 x n
    if (source.type() != CV_32F || !source.isContinuous() || c10::IntArrayRef(shape) != target.sizes())
        throw std::invalid_argument("importModel: the model's " + name +
                                    " does not have the generator's shape");
    target.copy_(torch::from_blob(const_cast<uchar*>(source.data), shape, torch::kFloat32));
}

} // namespace

void importModel(const cv::desmooth::Model& model, Generator& generator)
{
    const cv::desmooth::ModelConfig &from = model.config, &to = generator->config;
    if (!generator->restore || !from.isRestore())
        throw std::invalid_argument(
            "importModel: the model and the generator must both be the restore architecture");
    const RestoreGenerator& g = generator->restore;
    for (const torch::nn::BatchNorm2d& norm : g->downNorm)
        if (norm) throw std::invalid_argument("importModel: the generator has BatchNorm put back");
    const int added = to.depth - from.depth;
    if (added != 0 && added != 1)
        throw std::invalid_argument(cv::format("importModel: a model of depth %d cannot start a generator of "
                                               "depth %d (the same, or one level more)",
                                               from.depth, to.depth));
    bool sameWidths = from.ngf == to.ngf && from.blocks == to.blocks && from.sft == to.sft &&
                      from.sftHidden == to.sftHidden && from.mlpRatio == to.mlpRatio;
    // A cap may differ where it leaves the model's levels as they are (it narrows only the new one).
    for (int level = 0; sameWidths && level < from.depth; ++level)
        sameWidths = from.encoderChannels(level) == to.encoderChannels(level);
    if (!sameWidths)
        throw std::invalid_argument(
            "importModel: the model's widths (ngf, max_channels, blocks, SFT, sft_hidden, mlp_ratio) "
            "differ from the generator's");
    if (from.fullResBlocks > to.fullResBlocks)
        throw std::invalid_argument(cv::format("importModel: the model has %d full-resolution blocks, the "
                                               "generator %d",
                                               from.fullResBlocks, to.fullResBlocks));
    for (int block = 0; block < from.depth; ++block)
        if (from.hasFA(block) != to.hasFA(block + added))
            throw std::invalid_argument(cv::format(
                "importModel: full attention on other levels (the model's fa_levels %d would be %d here)",
                from.fa ? from.faLevels : 0, (from.fa ? from.faLevels : 0) + added));

    std::map<std::string, torch::Tensor> tensors; // the generator's parameters under the model file's names
    exportRestore(g, [&](const std::string& name, const torch::Tensor& weight, const torch::Tensor& bias) {
        tensors[name + "_w"] = weight;
        tensors[name + "_b"] = bias;
    });
    torch::NoGradGuard noGrad;
    std::set<std::string> filled;
    for (const auto& entry : model.weights) {
        const std::string name = deeperName(entry.first, added);
        const auto target = tensors.find(name);
        if (target == tensors.end())
            throw std::invalid_argument("importModel: the generator has no " + name + " for the model's " +
                                        entry.first);
        copyInto(target->second, entry.second, entry.first);
        filled.insert(name);
    }
    const std::string coarsest = "enc" + std::to_string(to.depth - 1) + "_";
    const std::string fullResolution = "dec" + std::to_string(to.depth - 1) + "_res";
    for (auto& entry : tensors) {
        if (filled.count(entry.first)) continue;
        const std::string& name = entry.first;
        const bool newLevel = added == 1 && (name.compare(0, 5, "dec0_") == 0 ||
                                             name.compare(0, coarsest.size(), coarsest) == 0);
        // dec{depth-1}_res{j}_conv{1,2}_{w,b}: a full-resolution block the model lacks
        const bool newBlock = name.compare(0, fullResolution.size(), fullResolution) == 0 &&
                              std::stoi(name.substr(fullResolution.size())) >= from.fullResBlocks;
        if (!newLevel && !newBlock) throw std::invalid_argument("importModel: the model has no " + name);
        // The new level starts switched off, a new block as the identity.
        if ((newLevel && name.compare(0, 8, "dec0_up_") == 0) ||
            (newBlock && name.find("_conv2_") != std::string::npos))
            entry.second.zero_();
    }
}

cv::desmooth::Model exportModel(Generator& generator, const std::map<std::string, std::string>& train)
{
    torch::NoGradGuard noGrad;
    const cv::desmooth::ModelConfig& config = generator->config;
    cv::desmooth::Model model;
    model.config = config;
    for (const auto& entry : train)
        model.train[entry.first] = entry.second;
    const auto put = [&](const std::string& name, const torch::Tensor& weight, const torch::Tensor& bias) {
        model.weights[name + "_w"] = toMat(weight);
        model.weights[name + "_b"] = toMat(bias);
    };
    if (generator->restore) {
        exportRestore(generator->restore, put);
        return model;
    }
    for (int level = 0; level < config.depth; ++level) {
        torch::Tensor weight = generator->encoder[level]->effectiveWeight(),
                      bias = generator->encoder[level]->bias;
        if (generator->encoderNorm[level]) foldNorm(weight, bias, generator->encoderNorm[level], 0);
        put("enc" + std::to_string(level) + "_conv", weight, bias);
    }
    for (int block = 0; block < config.depth; ++block) {
        const std::string name = "dec" + std::to_string(block);
        torch::Tensor weight = generator->decoder[block]->effectiveWeight(),
                      bias = generator->decoder[block]->bias;
        if (generator->decoderNorm[block]) foldNorm(weight, bias, generator->decoderNorm[block], 1);
        put(name + "_deconv", weight, bias);
        if (const SFT& sft = generator->sft[block]) {
            put(name + "_sft_shared", sft->shared->effectiveWeight(), sft->shared->bias);
            put(name + "_sft_gamma", sft->gamma->effectiveWeight(), sft->gamma->bias);
            put(name + "_sft_beta", sft->beta->effectiveWeight(), sft->beta->bias);
        }
        if (const FullAttention& fa = generator->attention[block]) {
            put(name + "_fa_f", fa->f->effectiveWeight(), fa->f->bias);
            put(name + "_fa_g", fa->g->effectiveWeight(), fa->g->bias);
            put(name + "_fa_h", fa->h->effectiveWeight(), fa->h->bias);
            put(name + "_fa_mlp1", fa->mlp1->weight, fa->mlp1->bias);
            put(name + "_fa_mlp2", fa->mlp2->weight, fa->mlp2->bias);
        }
    }
    return model;
}

double exportAndVerify(Generator& generator, const std::map<std::string, std::string>& train,
                       const std::string& path, double tolerance)
{
    const bool wasTraining = generator->is_training();
    generator->eval();
    cv::desmooth::writeModelFile(path, exportModel(generator, train));

    // The same random input through LibTorch and through the module, which loads the file it was just given.
    const int side = 2 << generator->config.depth;
    torch::manual_seed(1234);
    const torch::Tensor input = torch::rand({1, 3, side, side}) * 2 - 1;
    torch::Tensor expected;
    {
        torch::NoGradGuard noGrad;
        expected = generator->forward(input).contiguous();
    }
    generator->train(wasTraining);
    // RGB planes in [-1, 1] -> the BGR image in [0, 1] that recover() expects, and back.
    std::vector<cv::Mat> rgb;
    for (int c = 0; c < 3; ++c) {
        const torch::Tensor plane = input[0][c].contiguous();
        rgb.push_back(cv::Mat(cv::Mat(side, side, CV_32F, plane.data_ptr<float>()) * 0.5 + 0.5));
    }
    cv::Mat bgr, recovered;
    cv::merge(std::vector<cv::Mat>{rgb[2], rgb[1], rgb[0]}, bgr);
    cv::desmooth::DeSmoother::create(path)->recover(bgr, recovered);
    std::vector<cv::Mat> planes;
    cv::split(recovered, planes);
    double worst = 0;
    for (int c = 0; c < 3; ++c) {
        const torch::Tensor plane = expected[0][c].contiguous();
        const cv::Mat torchPlane(side, side, CV_32F, plane.data_ptr<float>());
        worst = std::max(worst, cv::norm(planes[2 - c] * 2 - 1, torchPlane, cv::NORM_INF));
    }
    if (!(worst <= tolerance))
        throw std::runtime_error("export check failed: the module's forward differs from LibTorch's by " +
                                 std::to_string(worst) + " (tolerance " + std::to_string(tolerance) +
                                 ") for " + path);
    return worst;
}

} // namespace training
} // namespace desmooth
} // namespace cv
