// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "configuration.hpp"
#include "generator_net.hpp"
#include "jpeg_quality_internals.hpp"
#include "metrics_input.hpp"
#include "model_validation.hpp"
#include "smoother_call.hpp"
#include "smoother_classifier_internals.hpp"
#include "tiled_inference.hpp"

#include <atomic>

namespace cv {
namespace desmooth {

namespace {

// Image (any supported type) -> float BGR in [0, 1] and the alpha plane, if any.
void toUnitBGR(const Mat& image, Mat& bgr, Mat& alpha)
{
    const int depth = image.depth(), cn = image.channels();
    const double scale = depth == CV_8U ? 1.0 / 255 : depth == CV_16U ? 1.0 / 65535 : 1.0;
    Mat unit;
    image.convertTo(unit, CV_32F, scale);
    if (cn == 1) {
        cvtColor(unit, bgr, COLOR_GRAY2BGR);
    } else if (cn == 3) {
        bgr = unit;
    } else {
        std::vector<Mat> planes;
        split(unit, planes);
        alpha = planes[3];
        planes.pop_back();
        merge(planes, bgr);
    }
}

// `source`: where the value came from (setTileSize() or the configuration parameter), for the message.
void checkTileSize(int64_t size, const char* source)
{
    if (size != 0 && !(size >= 256 && size <= 1 << 20))
        CV_Error(Error::StsOutOfRange,
                 format("DeSmoother: the tile size (%s) must be 0 (never tile) or 256..%d pixels (got %lld)",
                        source, 1 << 20, static_cast<long long>(size)));
}

// The tile size recover() starts with: DESMOOTH_TILE_SIZE, else 1024 (docs/design.md); checked before it is
// narrowed to int, so that a value past the range is reported as it was set.
int defaultTileSize()
{
    const size_t configured = utils::getConfigurationParameterSizeT("DESMOOTH_TILE_SIZE", 1024);
    checkTileSize(configured > size_t(INT64_MAX) ? INT64_MAX : int64_t(configured), "DESMOOTH_TILE_SIZE");
    return int(configured);
}

// One forward of the network on a BGR image on [0, 1] whose sides are multiples of the network's: BGR on [0,
// 1]. The planes are written straight into the blob and read straight from the output (no intermediate
// copies: on 2 cores a 512x512 recovery of the lite network spent a third more time in fresh pages when there
// were).
Mat forwardOnce(dnn::Net& net, const Mat& bgr)
{
    // The network sees N x 3 x H x W RGB in [-1, 1].
    const int shape[] = {1, 3, bgr.rows, bgr.cols};
    Mat blob(4, shape, CV_32F);
    std::vector<Mat> rgb;
    for (int c = 2; c >= 0; --c)
        rgb.emplace_back(bgr.rows, bgr.cols, CV_32F, blob.ptr<float>(0, c));
    split(bgr, rgb); // writes into the blob: create() keeps Mats of the right size and type
    blob.convertTo(blob, CV_32F, 2.0, -1.0);
    net.setInput(blob);
    const Mat output = net.forward();
    std::vector<Mat> planes;
    for (int c = 2; c >= 0; --c)
        planes.emplace_back(bgr.rows, bgr.cols, CV_32F, const_cast<float*>(output.ptr<float>(0, c)));
    Mat recovered;
    merge(planes, recovered);
    recovered.convertTo(recovered, CV_32F, 0.5, 0.5);
    return recovered;
}

Mat fromUnitBGR(const Mat& bgr, const Mat& alpha, int type)
{
    const int depth = CV_MAT_DEPTH(type), cn = CV_MAT_CN(type);
    Mat unit;
    if (cn == 1) {
        cvtColor(bgr, unit, COLOR_BGR2GRAY);
    } else if (cn == 3) {
        unit = bgr;
    } else {
        std::vector<Mat> planes;
        split(bgr, planes);
        planes.push_back(alpha);
        merge(planes, unit);
    }
    const double scale = depth == CV_8U ? 255 : depth == CV_16U ? 65535 : 1;
    Mat out;
    unit.convertTo(out, depth, scale);
    return out;
}

// Transform t of the self-ensemble (DeSmoother::setSelfEnsemble): bit 0 flips left-right, bit 1 flips
// top-bottom, bit 2 transposes (applied last). 0 is the image itself, not a copy.
int flipCodeOf(int t)
{
    return (t & 3) == 1 ? 1 : (t & 3) == 2 ? 0 : -1; // cv::flip's codes; only for t & 3 != 0
}

Mat dihedral(const Mat& image, int t)
{
    Mat out = image;
    if (t & 3) {
        Mat flipped; // a new image: never the caller's pixels
        flip(image, flipped, flipCodeOf(t));
        out = flipped;
    }
    if (t & 4) {
        // Into a new image: `out = out.t()` transposes in place when the image is square, and out may share
        // the caller's pixels.
        Mat transposed;
        transpose(out, transposed);
        out = transposed;
    }
    return out;
}

// Undoes dihedral(image, t): the flips are their own inverses and commute.
Mat dihedralInverse(const Mat& image, int t)
{
    Mat out = t & 4 ? Mat(image.t()) : image;
    if (t & 3) {
        Mat flipped;
        flip(out, flipped, flipCodeOf(t));
        out = flipped;
    }
    return out;
}

// `moved` brought back along the line from `from` to at most `limit` from it (L2 over the image).
Mat limitedMove(const Mat& from, const Mat& moved, double limit)
{
    const double distance = cv::norm(moved, from, NORM_L2);
    if (distance <= limit) return moved;
    Mat shortened;
    addWeighted(from, 1.0 - limit / distance, moved, limit / distance, 0.0, shortened);
    return shortened;
}

// The network's input side: `length` padded up to a multiple of sizeMultiple().
int paddedLength(int length, int multiple)
{
    return (length + multiple - 1) / multiple * multiple;
}

// recover()'s count of finished units for DeSmoother::ProgressCallback.
class Progress
{
public:
    Progress(DeSmoother::ProgressCallback callback, int total) : callback_(std::move(callback)), total_(total)
    {
        if (callback_) callback_(0, total_); // the start, so that a progress bar times from it
    }
    void step()
    {
        if (callback_ && done_ < total_) callback_(++done_, total_);
    }
    void finish()
    {
        if (callback_) callback_(done_ = total_, total_);
    }

private:
    DeSmoother::ProgressCallback callback_;
    int done_ = 0, total_;
};

class DeSmootherImpl CV_FINAL : public DeSmoother
{
public:
    explicit DeSmootherImpl(const Model& model) : model_(model), tileSize_(defaultTileSize())
    {
        detail::validateConfig(model_.config, "(in memory)");
        detail::validateModel(model_, "(in memory)");
        running_ = model_;
        running_.detailWeights.clear();
        setDetail(model_.defaultDetail);
        release(
            acquire()); // build one network now, so that a broken model fails in create(), not in recover()
    }

    void recover(InputArray smoothed, OutputArray recovered) CV_OVERRIDE
    {
        Ptr<Smoother> smoother;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            smoother = smoother_;
        }
        recover(smoothed, recovered, smoother);
    }
    void recover(InputArray smoothed, OutputArray recovered, const Ptr<Smoother>& smoother) CV_OVERRIDE;
    void recover(InputArray smoothed, OutputArray recovered, const String& smoother) CV_OVERRIDE;
    String autoSmoother(InputArray smoothed) CV_OVERRIDE;
    String recoverAuto(InputArray smoothed, OutputArray recovered) CV_OVERRIDE;

    void setSmoother(const Ptr<Smoother>& smoother) CV_OVERRIDE
    {
        std::lock_guard<std::mutex> lock(mutex_);
        smoother_ = smoother;
    }
    Ptr<Smoother> getSmoother() const CV_OVERRIDE
    {
        std::lock_guard<std::mutex> lock(mutex_);
        return smoother_;
    }
    void setConsistencyIterations(int iterations) CV_OVERRIDE
    {
        CV_CheckGE(iterations, 0, "DeSmoother: consistency iterations must not be negative");
        consistencyIterations_ = iterations;
    }
    int getConsistencyIterations() const CV_OVERRIDE { return consistencyIterations_; }
    void setAutoIterations(int iterations) CV_OVERRIDE
    {
        CV_CheckGE(iterations, 0, "DeSmoother: auto's consistency iterations must not be negative");
        autoIterations_ = iterations;
    }
    int getAutoIterations() const CV_OVERRIDE { return autoIterations_; }
    void setAutoMoveLimit(double ratio) CV_OVERRIDE
    {
        if (!(ratio >= 0 && ratio < 1e6))
            CV_Error(
                Error::StsOutOfRange,
                format("DeSmoother: auto's move limit must be a ratio in [0, 1e6) (0: none), got %g", ratio));
        autoMoveLimit_ = ratio;
    }
    double getAutoMoveLimit() const CV_OVERRIDE { return autoMoveLimit_; }
    void setConsistencyFromInput(bool fromInput) CV_OVERRIDE { consistencyFromInput_ = fromInput; }
    bool getConsistencyFromInput() const CV_OVERRIDE { return consistencyFromInput_; }

    void setStrength(double strength) CV_OVERRIDE
    {
        if (!(strength >= 0 && strength <= 1))
            CV_Error(Error::StsOutOfRange,
                     format("DeSmoother: strength must be in [0, 1] (got %g)", strength));
        strength_ = strength;
    }
    double getStrength() const CV_OVERRIDE { return strength_; }

    void setSelfEnsemble(int transforms) CV_OVERRIDE
    {
        if (transforms != 1 && transforms != 2 && transforms != 4 && transforms != 8)
            CV_Error(
                Error::StsOutOfRange,
                format("DeSmoother: the self-ensemble takes 1, 2, 4 or 8 transforms (got %d)", transforms));
        selfEnsemble_ = transforms;
    }
    int getSelfEnsemble() const CV_OVERRIDE { return selfEnsemble_; }

    void setTileSize(int size) CV_OVERRIDE
    {
        checkTileSize(size, "setTileSize");
        tileSize_ = size;
    }
    int getTileSize() const CV_OVERRIDE { return tileSize_; }

    void setDetail(double t) CV_OVERRIDE
    {
        if (!(t >= 0 && t <= 1))
            CV_Error(Error::StsOutOfRange, format("DeSmoother: detail must be in [0, 1] (got %g)", t));
        if (t != 0 && model_.detailWeights.empty())
            CV_Error(Error::StsBadArg,
                     format("DeSmoother: detail %g needs a model with a detail end; this one "
                            "has one end only (detail 0)",
                            t));
        std::map<String, Mat> weights;
        for (const auto& entry : model_.weights) {
            if (t == 0) {
                weights[entry.first] = entry.second;
            } else if (t == 1) {
                weights[entry.first] = model_.detailWeights.at(entry.first);
            } else {
                Mat mixed;
                addWeighted(entry.second, 1 - t, model_.detailWeights.at(entry.first), t, 0, mixed);
                weights[entry.first] = mixed;
            }
        }
        std::lock_guard<std::mutex> lock(mutex_);
        running_.weights = std::move(weights);
        detail_ = t;
        ++generation_; // networks built with the old weights are not reused
        idle_.clear();
    }
    double getDetail() const CV_OVERRIDE { return detail_; }
    bool hasDetailEnd() const CV_OVERRIDE { return !model_.detailWeights.empty(); }

    void setPreferableBackend(int backendId) CV_OVERRIDE
    {
        std::lock_guard<std::mutex> lock(mutex_);
        backend_ = backendId;
        for (const PooledNet& pooled : idle_)
            pooled.net->setPreferableBackend(backendId);
    }

    // Debian's OpenCV has no CUDA backend, so a CUDA target is honoured by the custom layers' own kernels
    // (where the build has them and a device is usable) while the built-in layers stay on the CPU.
    void setPreferableTarget(int targetId) CV_OVERRIDE
    {
        const bool cuda = targetId == dnn::DNN_TARGET_CUDA || targetId == dnn::DNN_TARGET_CUDA_FP16;
        std::lock_guard<std::mutex> lock(mutex_);
        if (cuda != cudaLayers_) idle_.clear(); // networks are built for one setting or the other
        cudaLayers_ = cuda;
        target_ = cuda ? int(dnn::DNN_TARGET_CPU) : targetId;
        for (const PooledNet& pooled : idle_)
            pooled.net->setPreferableTarget(target_);
    }

    ModelConfig getConfig() const CV_OVERRIDE { return model_.config; }

    void setProgressCallback(const ProgressCallback& callback) CV_OVERRIDE
    {
        std::lock_guard<std::mutex> lock(mutex_);
        progressCallback_ = callback;
    }

private:
    // One network per concurrent call: a cv::dnn::Net keeps per-forward state, so threads must not share one.
    // Idle networks are kept for the next call (a network re-plans when the input size changes, 15-20 ms).
    // A network built with or without the CUDA layers; one built for the other setting is not reused.
    struct PooledNet
    {
        Ptr<dnn::Net> net;
        bool cudaLayers;
        uint64_t generation; //!< the weights it was built with (setDetail starts a new generation)
    };

    PooledNet acquire()
    {
        bool cuda;
        uint64_t generation;
        Model running;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!idle_.empty()) {
                PooledNet pooled = idle_.back();
                idle_.pop_back();
                return pooled;
            }
            cuda = cudaLayers_;
            generation = generation_;
            running = running_; // the Mats share their data: a cheap copy
        }
        PooledNet pooled{makePtr<dnn::Net>(buildGeneratorNet(running, cuda)), cuda, generation};
        std::lock_guard<std::mutex> lock(mutex_);
        pooled.net->setPreferableBackend(backend_);
        pooled.net->setPreferableTarget(target_);
        return pooled;
    }

    void release(const PooledNet& pooled)
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (pooled.cudaLayers == cudaLayers_ && pooled.generation == generation_) idle_.push_back(pooled);
    }

    Model model_;   //!< as given: both ends
    Model running_; //!< the weights networks are built from: model_'s at the current detail
    double strength_ = 1.0, detail_ = 0.0;
    std::atomic<int> tileSize_; //!< read by every recover(), which may run while another thread sets it
    std::atomic<int> selfEnsemble_{1};
    uint64_t generation_ = 0;
    int backend_ = dnn::DNN_BACKEND_OPENCV, target_ = dnn::DNN_TARGET_CPU;
    bool cudaLayers_ = false;
    Ptr<Smoother> smoother_; //!< what recover(smoothed, recovered) enforces; empty: blind
    //! The fidelity end of a two-ended model, made on the first "auto" call at another detail setting.
    Ptr<DeSmootherImpl> fidelityEnd_;
    int consistencyIterations_ = 5;
    int autoIterations_ = 2; //!< an estimated smoother is trusted less than a given one (docs/design.md)
    //! How far auto's steps may move x, in the network's moves; 0: no limit.
    double autoMoveLimit_ = DESMOOTHER_DEFAULT_AUTO_MOVE_LIMIT;
    bool consistencyFromInput_ = true; //!< a given smoother's steps from y too, the ends averaged
    ProgressCallback progressCallback_;
    mutable std::mutex mutex_;
    std::vector<PooledNet> idle_;

    // The network forwards recoverBlind() runs on an image of this size: one per tile and transform.
    int forwardsFor(Size size) const;
    void recoverBlind(const Mat& smoothed, Mat& recovered, Progress* progress = nullptr);
    // What estimateSmoother() scores: the fidelity end's recovery of y (x itself at detail 0). The detail
    // end's texture is what a mild smoother removes best, so scored on it every input looks smoothed.
    Mat recoveryToEstimateFrom(const Mat& y, const Mat& x);
    // Whether "auto" recovers `smoothed` blind before estimating anything.
    static bool autoGoesBlind(const Mat& smoothed);
    // The smoother "auto" estimates for y (float, the input's layout); x: the network's blind recovery of y,
    // which only the estimate without the bundled classifier reads (empty: made here where needed).
    Ptr<Smoother> estimateForAuto(const Mat& y, Mat x);
    // `given` enforced, or with `estimate` the smoother estimateSmoother() finds; neither: blind. Returns the
    // spec of what it enforced ("" where it recovered blind).
    String recoverKnown(InputArray smoothed, OutputArray recovered, const Ptr<Smoother>& given,
                        bool estimate);
};

void DeSmootherImpl::recover(InputArray smoothedArray, OutputArray recoveredArray,
                             const Ptr<Smoother>& smoother)
{
    recoverKnown(smoothedArray, recoveredArray, smoother, false);
}

void DeSmootherImpl::recover(InputArray smoothed, OutputArray recovered, const String& spec)
{
    const bool estimate = spec == "auto";
    recoverKnown(smoothed, recovered, estimate ? Ptr<Smoother>() : Smoother::create(spec), estimate);
}

bool DeSmootherImpl::autoGoesBlind(const Mat& smoothed)
{
    // An estimate is not trusted on a JPEG-compressed input: every consistency step would amplify the
    // compression's errors (docs/results.md: blind recovery does better there). Its grid, or failing that the
    // quality it was saved at (found where the grid is too faint to see), tells. Nor where the image is too
    // small to estimate from.
    return detail::tooSmallToClassify(smoothed) || showsJpegBlocking(smoothed) ||
           detail::savedAsJpeg(smoothed);
}

Ptr<Smoother> DeSmootherImpl::estimateForAuto(const Mat& y, Mat x)
{
    // With the bundled classifier, estimateSmoother() returns its pick (always a default candidate) before it
    // reads a recovery: without one it spares the fidelity end's forward and the candidates' scores.
    if (haveBundledSmootherClassifier()) return estimateSmoother(y);
    if (x.empty()) recoverBlind(y, x);
    return estimateSmoother(y, recoveryToEstimateFrom(y, x));
}

String DeSmootherImpl::recoverAuto(InputArray smoothed, OutputArray recovered)
{
    return recoverKnown(smoothed, recovered, Ptr<Smoother>(), true);
}

String DeSmootherImpl::autoSmoother(InputArray smoothedArray)
{
    if (smoothedArray.empty())
        CV_Error(Error::StsBadArg, "DeSmoother::autoSmoother: the input image is empty");
    const Mat smoothed = smoothedArray.getMat();
    detail::checkImageInput(smoothed, "DeSmoother::autoSmoother: the input");
    if (autoGoesBlind(smoothed)) return String();
    Mat y;
    smoothed.convertTo(y, CV_32F, detail::scaleToUnit(smoothed.depth()));
    const String spec = estimateForAuto(y, Mat())->describe();
    return spec == "none" ? String() : spec;
}

String DeSmootherImpl::recoverKnown(InputArray smoothedArray, OutputArray recoveredArray,
                                    const Ptr<Smoother>& given, bool estimate)
{
    if (smoothedArray.empty()) CV_Error(Error::StsBadArg, "DeSmoother::recover: the input image is empty");
    const Mat smoothed = smoothedArray.getMat();
    const int iterations = estimate ? autoIterations_ : consistencyIterations_;
    const bool blind = (!given && !estimate) || iterations == 0;
    if (!blind) detail::checkImageInput(smoothed, "DeSmoother::recover: the input");
    ProgressCallback callback;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        callback = progressCallback_;
    }
    // The total only where someone reads it: it lays out the tiles once more.
    // A given smoother's steps run from two starts (below), which strength 0 makes the same one.
    const bool twoStarts = !estimate && consistencyFromInput_ && strength_ > 0;
    const int stepRuns = twoStarts ? 2 : 1;
    Progress progress(callback, callback ? forwardsFor(smoothed.size()) +
                                               (blind ? 0 : stepRuns * iterations + (estimate ? 1 : 0))
                                         : 0);
    if (!blind && !estimate && given->describe() == "none") {
        // Nothing smoothed it: the input itself is the one image consistent with that. The steps reach it
        // too, but on a JPEG input they may stop within the compression's error, short of it.
        smoothed.copyTo(recoveredArray);
        progress.finish();
        return given->describe();
    }
    if (blind || (estimate && autoGoesBlind(smoothed))) {
        Mat recovered;
        recoverBlind(smoothed, recovered, &progress);
        recoveredArray.assign(recovered);
        progress.finish();
        return String();
    }
    // Consistency works on float 0..1 in the input's own layout (the smoother sees what made the input).
    const double toUnit = detail::scaleToUnit(smoothed.depth());
    Mat y, x;
    smoothed.convertTo(y, CV_32F, toUnit);
    recoverBlind(y, x, &progress);
    const Ptr<Smoother> smoother = estimate ? estimateForAuto(y, x) : given;
    if (estimate) progress.step();
    Mat result;
    if (estimate && smoother->describe() == "none") {
        // No smoother explains the input better than leaving it alone: "auto" falls back to blind recovery
        // (the network's own judgement), not to the input that an explicit "none" returns.
        x.convertTo(result, smoothed.depth(), 1.0 / toUnit);
        recoveredArray.assign(result);
        progress.finish();
        return String();
    }
    // The consistency steps x <- x + (y - F(x)) from the network's recovery, a fixed budget, returning the
    // step of least residual |y - F(x)| (docs/design.md): L0's residual is not monotone along the steps, so a
    // rule that stopped when it first rose would stop early; but a smoother the steps cannot invert (a median
    // filter) makes them leave the photo, and its residual then keeps rising.
    // An integer input is y rounded to its steps: steps that explain it better than the photo does fit the
    // rounding (docs/design.md).
    // A given smoother on an input saved as JPEG since: the compression's errors are in y too, and steps
    // that fit them amplify them (docs/design.md). An estimate's input showing JPEG's grid went blind above.
    const double noiseFloor =
        detail::roundingFloor(y, smoothed.depth()) +
        (estimate ? 0 : detail::compressionFloor(smoothed, x, *smoother, "DeSmoother::recover"));
    const auto consistencySteps = [&](const Mat& start) {
        // A smoother the user names may be any filter; an estimate is one of the kinds, whose steps do not
        // diverge (docs/design.md).
        return detail::leastResidualSteps(
            y, start, *smoother, iterations, "DeSmoother::recover", noiseFloor, [&] { progress.step(); },
            !estimate);
    };
    Mat consistent = consistencySteps(x);
    // A given smoother: the same steps from y too, and the mean of the two ends. Both explain y; their errors
    // are partly independent (the network's guesses, reverse filtering's amplified residue), so the mean is
    // closer to the photo than either on most smoothers (docs/design.md). Not for an estimate: there the
    // steps from y only enforce a possibly wrong smoother on the input itself (docs/results.md).
    if (twoStarts) consistent = 0.5 * (consistent + consistencySteps(y));
    // An estimate may be of another kind or strength than what made y, and the steps then move x several
    // times as far as the network did; the network's own move is the measure of what y lost (docs/design.md).
    if (estimate && autoMoveLimit_ > 0)
        consistent = limitedMove(x, consistent, autoMoveLimit_ * cv::norm(y, x, NORM_L2));
    consistent.convertTo(result, smoothed.depth(), 1.0 / toUnit);
    recoveredArray.assign(result);
    progress.finish();
    return smoother->describe();
}

Mat DeSmootherImpl::recoveryToEstimateFrom(const Mat& y, const Mat& x)
{
    Ptr<DeSmootherImpl> fidelity;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (detail_ == 0) return x;
        if (!fidelityEnd_) {
            Model fidelityModel = model_;
            fidelityModel.defaultDetail = 0;
            fidelityEnd_ = makePtr<DeSmootherImpl>(fidelityModel);
        }
        fidelity = fidelityEnd_;
        fidelity->strength_ = strength_;
        fidelity->tileSize_ = tileSize_.load();
        fidelity->selfEnsemble_ = selfEnsemble_.load();
        fidelity->setPreferableBackend(backend_);
        fidelity->setPreferableTarget(cudaLayers_ ? int(dnn::DNN_TARGET_CUDA) : target_);
    }
    Mat faithful;
    fidelity->recoverBlind(y, faithful);
    return faithful;
}

int DeSmootherImpl::forwardsFor(Size size) const
{
    if (strength_ == 0) return 0;
    const int multiple = model_.config.sizeMultiple();
    const auto windows = [&](int length) {
        return int(
            detail::tileWindows(paddedLength(length, multiple), tileSize_, detail::kTileOverlap, multiple)
                .starts.size());
    };
    // A transposed image has its sides swapped: the same number of tiles.
    return windows(size.width) * windows(size.height) * selfEnsemble_;
}

void DeSmootherImpl::recoverBlind(const Mat& smoothed, Mat& recoveredOut, Progress* progress)
{
    const int depth = smoothed.depth(), cn = smoothed.channels();
    if (depth != CV_8U && depth != CV_16U && depth != CV_32F)
        CV_Error(Error::StsUnsupportedFormat,
                 format("DeSmoother::recover: unsupported depth %s; use CV_8U, CV_16U or CV_32F",
                        depthToString(depth)));
    if (cn != 1 && cn != 3 && cn != 4)
        CV_Error(Error::StsUnsupportedFormat, format("DeSmoother::recover: %d channels; use 1, 3 or 4", cn));
    if (smoothed.dims != 2) CV_Error(Error::StsBadArg, "DeSmoother::recover: the input must be a 2-D image");
    if (depth == CV_32F && !checkRange(smoothed, true))
        CV_Error(Error::StsBadArg, "DeSmoother::recover: the input contains NaN or infinite values");

    Mat bgr, alpha;
    toUnitBGR(smoothed, bgr, alpha);
    const double strength = strength_;
    Mat result = bgr;
    if (strength > 0) {
        const int multiple = model_.config.sizeMultiple(), tileSize = tileSize_, transforms = selfEnsemble_;
        PooledNet pooled = acquire();
        // The network on the image as it is, then (self-ensemble) on its flips and transposes, each result
        // turned back and averaged.
        Mat recoveredBGR;
        try {
            for (int t = 0; t < transforms; ++t) {
                const Mat transformed = dihedral(bgr, t);
                // Padded by reflection to a multiple of sizeMultiple(); large images in tiles of that
                // multiple.
                Mat padded;
                copyMakeBorder(
                    transformed, padded, 0, paddedLength(transformed.rows, multiple) - transformed.rows, 0,
                    paddedLength(transformed.cols, multiple) - transformed.cols, BORDER_REFLECT_101);
                const Mat forward = detail::forwardTiled(padded, tileSize, detail::kTileOverlap, multiple,
                                                         [&](const Mat& window) {
                                                             Mat tile = forwardOnce(*pooled.net, window);
                                                             if (progress) progress->step();
                                                             return tile;
                                                         });
                const Mat back = dihedralInverse(forward(Rect(0, 0, transformed.cols, transformed.rows)), t);
                if (t == 0)
                    recoveredBGR = back; // the first forward's own buffer: the sum needs no copy
                else
                    recoveredBGR += back;
            }
        } catch (...) {
            release(pooled);
            throw;
        }
        release(pooled);
        if (transforms > 1) recoveredBGR /= transforms;
        result = strength == 1 ? recoveredBGR : Mat(bgr + strength * (recoveredBGR - bgr));
    }
    recoveredOut = fromUnitBGR(result, alpha, smoothed.type());
}

} // namespace

Ptr<DeSmoother> DeSmoother::create(const Model& model)
{
    return makePtr<DeSmootherImpl>(model);
}

Ptr<DeSmoother> DeSmoother::create(const String& path)
{
    return create(path.empty() ? readBundledModel() : readModelFile(path));
}

void recover(InputArray smoothed, OutputArray recovered)
{
    static Ptr<DeSmoother> bundled = DeSmoother::create("");
    bundled->recover(smoothed, recovered);
}

} // namespace desmooth
} // namespace cv
