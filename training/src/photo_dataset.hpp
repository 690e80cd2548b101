// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_TRAINING_PHOTO_DATASET_HPP
#define DESMOOTH_TRAINING_PHOTO_DATASET_HPP

#include <opencv2/core.hpp>
#include <opencv2/desmooth/l0_smooth.hpp>
#include <torch/torch.h>

#include <random>
#include <string>
#include <vector>

namespace cv {
namespace desmooth {
namespace training {

//! How the training inputs are made and which photos are held out.
struct DatasetOptions
{
    double l0Lambda = cv::desmooth::L0_DEFAULT_LAMBDA,
           l0Kappa =
               cv::desmooth::L0_DEFAULT_KAPPA; //!< the smoother (L0, circular border) that makes the inputs
    std::string cacheDir;                      //!< where smoothed photos are kept; empty: no cache
    bool writeCache = true;                    //!< false: only read the cache (the ranks of a run but one)
    double validationFraction = 0.1;           //!< share of files held out, chosen by a seeded shuffle
    std::string splitFile; //!< or: a file listing the held-out files (paths relative to the folder)
    uint64_t seed = 1;
    /** Training pairs made per crop by a random smoother of these kinds (see drawSmootherSpec); empty: every
    pair is the whole photo L0-smoothed with l0Lambda/l0Kappa, made once. Held-out photos are always the
    latter (the validation score follows one fixed smoother). */
    std::vector<std::string> smootherKinds;
    double identityShare = 0.0; //!< with smootherKinds: share of pairs whose input is the unsmoothed photo
    double wideShare = 0; //!< with smootherKinds: share of crops at drawSmootherSpec's wide strengths (0..1)
    /** Scale augmentation: each crop is cut from the photo downscaled (INTER_AREA) to a long side drawn
    log-uniformly between this and its own; 0: every crop at the photo's resolution. */
    int minLongSide = 0;
    /** With smootherKinds: the network's input is the smoothed crop reverse-filtered (reverseFilter's
    T-method) this many times with the smoother that made it: the known-smoother network learns what
    reverse filtering leaves wrong. 0: the smoothed crop itself. */
    int reverseIterations = 0;
    /** With smootherKinds: share of crops that are a synthetic smooth image (drawSmoothImage) instead of a
    photo's, smoothed by the crop's smoother as a photo would be; they teach leaving untextured areas alone.
    0 draws nothing more per crop (runs without it keep their stream of crops). */
    double smoothImageShare = 0.0;
    /** With smootherKinds: share of crops whose input is saved as JPEG after smoothing (at a quality drawn
    uniformly from jpegQuality), as most images users have are; the target stays the photo. 0 draws nothing
    more per crop (runs without it keep their stream of crops). */
    double jpegShare = 0.0;
    std::pair<int, int> jpegQuality{60, 95}; //!< the smallest and largest quality drawn, in 1..100

    //! Throws std::invalid_argument naming the value that cannot make a data set (and desmooth_train's option
    //! for it). PhotoDataset checks its options with it; so does desmooth_train, before reading any photo.
    void validate() const;
};

//! One photo and its smoothed version, 8-bit BGR.
struct PhotoPair
{
    std::string name; //!< path relative to the folder
    cv::Mat photo, smoothed;
};

/** A folder of photos (searched recursively: jpg, jpeg, png, webp, tif, tiff, bmp) as (smoothed, photo)
pairs.

Each photo is L0-smoothed once; with a cache folder the result is stored under a key made of the file's bytes
and the L0 parameters, so a second run starts at once. Unreadable files are skipped with a warning naming
them. The held-out files are never returned by training(). */
class PhotoDataset
{
public:
    PhotoDataset(const std::string& folder, const DatasetOptions& options);

    const std::vector<PhotoPair>& training() const { return training_; }
    const std::vector<PhotoPair>& heldOut() const { return heldOut_; }
    const std::vector<std::string>& skipped() const { return skipped_; }

    /** A batch of aligned random crops (side `crop`; photos smaller than that are first enlarged) with random
    horizontal flips: {smoothed, photo}, each N x 3 x crop x crop RGB in [-1, 1]. */
    std::pair<torch::Tensor, torch::Tensor> sampleBatch(int batch, int crop, std::mt19937_64& rng) const;

    /** The crops first .. first + count - 1 of such a batch: every random draw of the whole batch is made (so
    `rng` advances as for the whole batch), but only these crops are cut and smoothed. The ranks of a
    data-parallel run share one sampler state and each takes its own disjoint range. */
    std::pair<torch::Tensor, torch::Tensor> sampleBatch(int batch, int crop, std::mt19937_64& rng, int first,
                                                        int count) const;

private:
    DatasetOptions options_;
    std::vector<PhotoPair> training_, heldOut_;
    std::vector<std::string> skipped_;
};

//! An 8-bit BGR image as a 3 x H x W RGB tensor in [-1, 1], and back.
torch::Tensor imageToTensor(const cv::Mat& bgr);
cv::Mat tensorToImage(const torch::Tensor& rgb);

} // namespace training
} // namespace desmooth
} // namespace cv

#endif
