// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_MODEL_HPP
#define OPENCV_DESMOOTH_MODEL_HPP

#include <opencv2/core.hpp>

#include <map>
#include <vector>

namespace cv {
namespace desmooth {

//! @addtogroup desmooth
//! @{

/** @brief The generator's architecture: every switch of the model file's `config` map.

Two architectures (`architecture`):
- "unet" (the paper's, `lite` and `paper`): a pix2pix U-Net of `depth` stride-2 4x4 convolutions (channels
  ngf, 2 ngf, ... capped at 8 ngf); every decoder block but the last is followed by spatial feature-wise
  transformation (SFT, when `sft`) and, on the `faLevels` innermost blocks, full attention (FA, when `fa`).
- "restore" (`restore()`): norm-free and full resolution, built for restoration: a 3x3 head and tail at the
  input's resolution, `depth` levels (level i at 1/2^i of it, channels min(ngf 2^i, 8 ngf, `maxChannels`)),
  stride-2 3x3 convolutions down and `blocks` residual blocks per level and side below full resolution, a 3x3
  convolution and bilinear upsampling up with additive skips, SFT at every decoder level, FA on the
  `faLevels` coarsest, `fullResBlocks` residual blocks at full resolution after the last SFT, and a global
  residual: output clamp(input + tail, -1, 1).
 */
struct CV_EXPORTS_W_SIMPLE ModelConfig
{
    /** @brief The lite configuration (see lite()), with the L0 smoother at its defaults. */
    CV_WRAP ModelConfig();

    CV_PROP_RW String name; //!< a label: "lite", "paper", "restore" or anything
    /** "unet" (the default; files without the key) or "restore". */
    CV_PROP_RW String architecture;
    CV_PROP_RW int depth;  //!< unet: down-convolutions; restore: levels (full resolution included)
    CV_PROP_RW int blocks; //!< restore: residual blocks per level below full resolution, per side (unet: 0)
    /** restore: residual blocks at full resolution, after the last SFT, before the tail (0 in restore() and
     * in files without the key; unet: 0). */
    CV_PROP_RW int fullResBlocks;
    CV_PROP_RW int ngf; //!< channels of the first layer; doubling per level up to 8 * ngf
    /** restore: a lower cap on any level's channels, ngf ... 8 * ngf, so that a coarser level costs less (0:
     * none, as in restore() and in files without the key; unet: 0). */
    CV_PROP_RW int maxChannels;
    CV_PROP_RW int ndf;  //!< the discriminator's first width (recorded for the trainer; unused here)
    CV_PROP_RW bool sft; //!< SFT after every decoder block but the last (restore: every one)
    CV_PROP_RW bool fa;  //!< full attention on the faLevels innermost decoder blocks
    CV_PROP_RW int
        faLevels; //!< decoder blocks, from the innermost, with FA (unet 0..depth-1, restore 0..depth)
    CV_PROP_RW int sftHidden; //!< hidden channels of SFT's shared 3x3 convolution
    CV_PROP_RW int mlpRatio;  //!< FA's channel MLP is C -> max(1, C / mlpRatio) -> C
    /** Residual output: clamp(input + tanh(x), -1, 1) instead of the paper's tanh(x), on the [-1, 1] scale.
     * The network then starts near the identity and learns only the lost detail, which trains to a useful
     * model in far fewer steps. Off in `lite` and `paper` (the paper's design); model files without the key
     * mean off. */
    CV_PROP_RW bool residual;
    CV_PROP_RW String smoother; //!< the smoother that made the training inputs (and that SC re-applies)
    CV_PROP_RW double smootherLambda;
    CV_PROP_RW double smootherKappa;
    CV_PROP_RW int smootherBorder; //!< an L0Border

    /** @brief The bundled default: depth 7, ngf 16, SFT everywhere, FA on 4 levels (~2.9 M parameters). */
    CV_WRAP static ModelConfig lite();
    /** @brief pix2pix's unet_256 widths (depth 8, ngf 64) with SFT everywhere and FA on 6 levels, for GPUs.
     */
    CV_WRAP static ModelConfig paper();
    /** @brief The restoration generator (architecture "restore"): 3 levels, ngf 12, 1 residual block per
     * level and side, SFT at every decoder level, FA at the coarsest, residual output. */
    CV_WRAP static ModelConfig restore();
    /** @brief lite(), paper() or restore() by that name; any other name is a cv::Exception (StsBadArg). */
    static ModelConfig named(const String& name);

    //! @brief Whether this is the "restore" architecture (else "unet").
    bool isRestore() const;
    /** @brief What the input's sides are padded to a multiple of: 2^depth (unet), 2^(depth-1) (restore). */
    int sizeMultiple() const;

    /** @brief Channels of encoder level `level` (0 = the first down-convolution): min(ngf * 2^level, 8 *
     * ngf, maxChannels when not 0). */
    int encoderChannels(int level) const;
    /** @brief Channels that decoder block `block` (0 = innermost) outputs: 3 for the last block (unet); the
     * channels of its level, depth - 1 - block (restore). */
    int decoderChannels(int block) const;
    /** @brief Decoder blocks that can carry SFT / FA (the bound of fa_levels): all `depth` of restore's, all
     * but the U-Net's output block. */
    int modulatedBlocks() const;
    /** @brief Whether decoder block `block` (0 = innermost) carries SFT / FA. */
    bool hasSFT(int block) const;
    bool hasFA(int block) const;
    /** @brief Throws a cv::Exception (StsBadArg) naming the first switch outside what a model file may hold,
     * as readModelFile() would. */
    void validate() const;
};

/** @brief A generator: its configuration, free-form training metadata, and its weights (float32, by tensor
 * name).

A model may hold two ends trained from one start: `weights`, the fidelity end (PSNR-oriented), and
`detailWeights`, the detail end (perceptual), with the same tensors. DeSmoother::setDetail() interpolates
between them (network interpolation). A model with one end has `detailWeights` empty and `defaultDetail` 0. */
struct CV_EXPORTS Model
{
    ModelConfig config;
    std::map<String, String> train;
    std::map<String, Mat> weights;       //!< the fidelity end (or the only one)
    std::map<String, Mat> detailWeights; //!< the detail end; empty: the model has one end
    double defaultDetail = 0;            //!< the detail setting a DeSmoother starts with, in [0, 1]
};

/** @brief Every tensor a configuration needs, with its shape (PyTorch layouts: convolution [out, in, kh, kw],
transposed convolution [in, out, kh, kw], MLP weight [out, in], bias [n]).

Names (i: encoder level from the input, k: decoder block from the innermost, j: residual block): unet
`enc{i}_conv_{w,b}`, `dec{k}_deconv_{w,b}`; restore `head_{w,b}`, `enc{i}_down_{w,b}` (i >= 1),
`enc{i}_res{j}_conv{1,2}_{w,b}` and `dec{k}_res{j}_conv{1,2}_{w,b}` (levels >= 1), `dec{k}_up_{w,b}` (k <
depth - 1), `tail_{w,b}`; both `dec{k}_sft_{shared,gamma,beta}_{w,b}`, `dec{k}_fa_{f,g,h}_{w,b}`,
`dec{k}_fa_mlp{1,2}_{w,b}`. */
CV_EXPORTS std::map<String, std::vector<int>> modelWeightShapes(const ModelConfig& config);

/** @brief Reads and validates a model file (cv::FileStorage, normally NAME.yml.gz).

Everything is checked before a network is built: format and version, every `config` key (unknown keys too),
every tensor (missing, unexpected, shape, type, NaN/Inf). Stored sizes are compared with the expected shapes
before any tensor is read. Each problem is a cv::Exception naming the file and the key or tensor.
 */
CV_EXPORTS Model readModelFile(const String& path);

/** @brief A model file's configuration and training metadata, read and validated as readModelFile() does; an
empty path reads the bundled model. The metadata comes as two lists, key i with value i (in Python the call
returns the configuration and both lists: `config, keys, values = cv2.desmooth.readModelInfo(path)`). */
CV_EXPORTS_W ModelConfig readModelInfo(const String& path, CV_OUT std::vector<String>& trainKeys,
                                       CV_OUT std::vector<String>& trainValues);

/** @brief Validates a model as readModelFile() does and writes it (weights in base64).

@param path the file; NAME.yml.gz writes gzip.
@param model the model.
@param depth how the weights are stored: CV_32F as they are, in format version 1 for a model with one end
(readable by every release) or 2 when it holds a detail end; CV_16F rounded to half precision (relative error
at most 2^-11, half the file; values beyond +-65504 are an error), in format version 3. readModelFile()
returns float32 weights either way. */
CV_EXPORTS void writeModelFile(const String& path, const Model& model, int depth = CV_32F);

/** @brief Whether this build of the library carries a bundled default model (data/models/ at build time). */
CV_EXPORTS_W bool haveBundledModel();

/** @brief The bundled default model, the one DeSmoother::create("") and recover() use (parsed once, then
 * cached); a clear exception in a build without one. */
CV_EXPORTS Model readBundledModel();

//! @}

} // namespace desmooth
} // namespace cv

#endif
