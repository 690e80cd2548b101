// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_DESMOOTHER_HPP
#define OPENCV_DESMOOTH_DESMOOTHER_HPP

#include "opencv2/desmooth/model.hpp"
#include "opencv2/desmooth/smoother.hpp"

#include <functional>

namespace cv {
namespace desmooth {

//! @addtogroup desmooth
//! @{

/** @brief DeSmoother::getAutoMoveLimit()'s default: "auto"'s consistency steps move the network's recovery at
most this many times as far as the network moved the input (docs/results.md measures the choice). */
const double DESMOOTHER_DEFAULT_AUTO_MOVE_LIMIT = 0.75;

/** @brief Recovers the details of smoothed images with a DeSmoothGAN generator run by OpenCV's DNN module.

Inputs: CV_8U, CV_16U or CV_32F (value ranges 0..255, 0..65535, 0..1), 1, 3 or 4 channels (gray goes through
RGB and back; alpha passes through), any size (reflect-padded to a multiple of 2^depth, cropped back). The
result has the input's type and size. Several threads may call recover() on one DeSmoother at once: each
concurrent call gets a network of its own from an internal pool (one cv::dnn::Net is not thread-safe).
 */
class CV_EXPORTS_W DeSmoother : public Algorithm
{
public:
    /** @brief Loads a model file (see readModelFile()); an empty path means the bundled default model. */
    CV_WRAP static Ptr<DeSmoother> create(const String& model = "");
    /** @brief Builds from a model in memory (validated as a model file is). */
    static Ptr<DeSmoother> create(const Model& model);

    /** @brief Recovers the details of a smoothed image: blind, or with the smoother given to setSmoother().
     */
    CV_WRAP virtual void recover(InputArray smoothed, OutputArray recovered) = 0;
    /** @brief Known-smoother recovery: the network's recovery x, then made consistent with the smoother F
    that made the input y by getConsistencyIterations() steps x <- x + (y - F(x)) (clamped to the value range;
    reverseFilter()'s T-method started from x instead of y), and the same steps from y itself; the result is
    the mean of the two ends (their errors are partly independent: the mean is closer to the photo on most
    smoothers, docs/results.md). Each end is the step of least residual |y - F(x)| (summed absolute values;
    DESMOOTH_STEP_RESIDUAL_NORM), not necessarily the last: on a smoother the steps cannot invert (a median
    filter) the residual rises as they leave the photo (docs/design.md). On an integer input the steps stop at
    the first x whose residual is within y's rounding (1/12 of a step squared per value, as the photo's own
    is): closer than that they only fit the rounding.
    An input saved as JPEG after smoothing is not what F returned: steps that fit the compression's errors
    amplify them. Where estimateJpegQuality() finds the quality it was saved at, the steps stop within 3
    times the compression's estimated error instead (what saving F(x) at that quality changes;
    DESMOOTH_COMPRESSION_FLOOR_SCALE; docs/design.md); a JPEG input whose quality is not found (another
    encoder's tables, resized after decoding) still has its errors amplified. Cost: one network forward and at
    most 2 getConsistencyIterations() smoother calls (one run of steps at strength 0, where x is y, or with
    setConsistencyFromInput(false)), one more where a JPEG quality is found, and on an 8-bit input
    estimateJpegQuality()'s test (its encodings where the input passes it). An empty smoother is blind
    recovery; "none" returns the input. */
    CV_WRAP virtual void recover(InputArray smoothed, OutputArray recovered,
                                 const Ptr<Smoother>& smoother) = 0;
    /** @brief Known-smoother recovery by spec (Smoother::create()'s syntax), or "auto": the smoother that
    estimateSmoother() finds for the input and the fidelity end's blind recovery (the detail end's texture
    would make every input look smoothed; one more network forward where the detail setting is not 0), then
    getAutoIterations() consistency steps from the recovery at the current setting alone (fewer than a known
    smoother gets, and not from the input too: an estimate is trusted less). Where "none" is found "auto"
    returns the blind recovery (an explicit "none" returns the input, the only image consistent with no
    smoothing), and so it does, without estimating, where the input shows JPEG's block grid
    (showsJpegBlocking()) or estimateJpegQuality() finds the quality it was saved at: the steps would amplify
    the compression's errors, or where the image has a side under 2 pixels. "auto" knows the kinds of
    defaultSmootherCandidates(): an input made by another kind (a median filter, a domain transform at other
    parameters) is taken for the one it resembles, and the steps then enforce a smoother that was never
    applied; setAutoMoveLimit() bounds how far they may take the recovery, which keeps that cost small
    (docs/results.md). */
    CV_WRAP virtual void recover(InputArray smoothed, OutputArray recovered, const String& smoother) = 0;
    /** @overload A string literal is a spec or "auto": without this overload recover(src, dst, "auto") would
    not compile (the literal converts to String and, through its pointer constructor, to Ptr<Smoother>). */
    void recover(InputArray smoothed, OutputArray recovered, const char* smoother)
    {
        if (!smoother)
            CV_Error(Error::StsNullPtr, "DeSmoother::recover: the smoother spec is a null pointer");
        recover(smoothed, recovered, String(smoother));
    }
    /** @brief What recover(smoothed, recovered, "auto") would enforce on this input: the estimated smoother's
    spec (Smoother::describe()), or an empty string where "auto" recovers blind (the input saved as JPEG,
    smaller than 2x2, or "none" estimated). It estimates as recover() does: the bundled smoother classifier
    (19 smoother calls on a crop of at most 256x256), or where the library has none, the network's recovery
    and estimateSmoother(). */
    CV_WRAP virtual String autoSmoother(InputArray smoothed) = 0;
    /** @brief recover(smoothed, recovered, "auto"), returning what it enforced: autoSmoother()'s answer for
    this input ("" where it recovered blind, getAutoIterations() 0 included), from the one estimate the
    recovery makes. Calling autoSmoother() beside recover() estimates twice. */
    CV_WRAP virtual String recoverAuto(InputArray smoothed, OutputArray recovered) = 0;
    /** @brief The smoother recover(smoothed, recovered) enforces from now on (empty: blind, the default). */
    CV_WRAP virtual void setSmoother(const Ptr<Smoother>& smoother) = 0;
    CV_WRAP virtual Ptr<Smoother> getSmoother() const = 0;
    /** @brief The most consistency steps of known-smoother recovery from each of its starts (>= 0, default
     * 5; 0 is blind recovery). */
    CV_WRAP virtual void setConsistencyIterations(int iterations) = 0;
    CV_WRAP virtual int getConsistencyIterations() const = 0;
    /** @brief Whether known-smoother recovery also takes its steps from the input and returns the mean of the
    two ends (true, the default: nearer the photo on most smoothers, docs/results.md), or only from the
    network's recovery (false: half the smoother calls, for live video). "auto" always takes one start. */
    CV_WRAP virtual void setConsistencyFromInput(bool fromInput) = 0;
    CV_WRAP virtual bool getConsistencyFromInput() const = 0;
    /** @brief The most consistency steps of recover(smoothed, recovered, "auto") (>= 0, default 2; 0 is blind
    recovery). Fewer than with a known smoother: the estimate is often the right kind at another strength, or
    a kind that resembles the one applied, and every step enforces it further; two steps kept more of the
    known-smoother gain than five on the training photos, and lost less where the estimate was wrong
    (docs/results.md). */
    CV_WRAP virtual void setAutoIterations(int iterations) = 0;
    CV_WRAP virtual int getAutoIterations() const = 0;
    /** @brief How far recover(smoothed, recovered, "auto")'s consistency steps may move the network's
    recovery x: at most `ratio` times as far as the network moved it from the input y (L2 over the image, |x -
    y|); a longer move is shortened along its direction (default DESMOOTHER_DEFAULT_AUTO_MOVE_LIMIT; 0: no
    limit). An estimate of another kind or strength than the smoother applied — on an input made by a kind the
    classifier has no candidate for, it is always one — makes the steps move the recovery several times as far
    as the network did, away from the photo (a domain-transform input inverted as the stronger edge-preserving
    filter lost several dB to blind recovery); where the estimate is right the steps move it about as far as
    the network did. The network's own move measures how much the input lost, whatever made it. At strength 0
    (x is y) "auto" returns the input unless the limit is 0. docs/results.md measures the choice. */
    CV_WRAP virtual void setAutoMoveLimit(double ratio) = 0;
    CV_WRAP virtual double getAutoMoveLimit() const = 0;

    /** @brief 0 returns the input, 1 (default) the full recovery; in between blends input + s * (recovered -
     * input). */
    CV_WRAP virtual void setStrength(double strength) = 0;
    CV_WRAP virtual double getStrength() const = 0;
    /** @brief Self-ensemble: the network also runs on flips (2: left-right; 4: and top-bottom, and both) or
    on every flip and transpose (8), each result turned back, and the recovery is their mean — the geometric
    self-ensemble of restoration networks (EDSR's "+"). 1 (the default) runs it once. It costs that many
    forwards and averages away part of the detail end's texture; it raises PSNR a little (docs/results.md). */
    CV_WRAP virtual void setSelfEnsemble(int transforms) = 0;
    CV_WRAP virtual int getSelfEnsemble() const = 0;
    /** @brief Images with a side above `size` pixels are recovered in overlapping tiles of at most size x
    size (rounded to the network's size multiple), blended across 64-pixel overlaps: memory is bounded by the
    tile, not the image. The network's full attention then sees one tile's context (the trainer's crops are
    smaller still). 0 never tiles; otherwise 256 or more. Default: the configuration parameter
    DESMOOTH_TILE_SIZE, else 1024. */
    CV_WRAP virtual void setTileSize(int size) = 0;
    CV_WRAP virtual int getTileSize() const = 0;
    /** @brief The fidelity-detail control of a model with two ends (see Model): 0 runs the fidelity end
     * (closest to the photo in PSNR), 1 the detail end (visible texture), values between run the network
     * whose weights are (1 - t) * fidelity + t * detail (network interpolation, as ESRGAN does). A model
     * starts at its own default; a model with one end takes only 0 (anything else is a cv::Exception). */
    CV_WRAP virtual void setDetail(double t) = 0;
    CV_WRAP virtual double getDetail() const = 0;
    /** @brief Whether the model holds a detail end (setDetail() accepts values above 0). */
    CV_WRAP virtual bool hasDetailEnd() const = 0;
    /** @brief cv::dnn backend / target of the built-in layers. With DNN_TARGET_CUDA the custom layers run
    their CUDA kernels where the library was built with CUDA and a device exists, and say once in the log when
    they cannot. */
    CV_WRAP virtual void setPreferableBackend(int backendId) = 0;
    CV_WRAP virtual void setPreferableTarget(int targetId) = 0;
    CV_WRAP virtual ModelConfig getConfig() const = 0;

    /** @brief Called by recover() on its calling thread with `done` of `total` units of work: with 0 before
    any, after each (one network forward, one per tile, see setTileSize(); the smoother estimate of "auto";
    one consistency step, one smoother call), and once more with done == total when recover() returns (a
    recovery that ends early, as "auto" does where it finds "none", jumps there). A large image recovered with
    a known smoother takes minutes on few cores; this is what a progress bar reads. Empty (the default): no
    calls. The callback must not call this DeSmoother. Not available from Python. */
    typedef std::function<void(int done, int total)> ProgressCallback;
    virtual void setProgressCallback(const ProgressCallback& callback) = 0;
};

/** @brief Recovers the details of a smoothed image with the bundled default model: the one-line call. */
CV_EXPORTS_W void recover(InputArray smoothed, OutputArray recovered);

/** @brief Whether the custom layers can run on CUDA here: the library was built with its CUDA kernels and a
device is usable. */
CV_EXPORTS_W bool haveCUDA();

/** @brief Registers the DNN layer types `DesmoothSFT`, `DesmoothFullAttention` and `DesmoothInterleave`
 * (idempotent, thread-safe).
 */
CV_EXPORTS_W void registerLayers();

//! @}

} // namespace desmooth
} // namespace cv

#endif
