// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_TRAINING_HELD_OUT_CURVES_HPP
#define DESMOOTH_TRAINING_HELD_OUT_CURVES_HPP

#include "generator.hpp"
#include "photo_dataset.hpp"

#include <opencv2/core.hpp>

#include <functional>
#include <string>
#include <vector>

namespace cv {
namespace desmooth {
namespace training {

//! The smoothers of docs/results.md's evaluation table: the held-out curves' default.
const std::vector<std::string>& evaluationSmoothers();

//! One held-out measurement: the generator's PSNR on one smoother's crops, and the crops' own (the input's).
struct HeldOutPoint
{
    std::string spec;
    double inputPsnr = 0, psnr = 0;
    double gain() const { return psnr - inputPsnr; }
};

/** The held-out curve per smoother: each held-out photo's central square (side min(short side, `side`), a
multiple of `sizeMultiple`) smoothed by each spec once, with a margin of side/8 so that the smoother sees what
lies around it (as the training crops are made), and reverse-filtered `reverseIterations` times with it where
that is > 0 (the known-smoother network's input; the input PSNR stays the smoothed crop's). score() runs the
generator in inference mode on all of them; PSNR is pooled over a spec's crops (peak 255). */
class HeldOutCurves
{
public:
    HeldOutCurves(const std::vector<PhotoPair>& heldOut, const std::vector<std::string>& specs, int side,
                  int sizeMultiple, int reverseIterations = 0);

    bool empty() const { return sets_.empty(); }
    std::vector<HeldOutPoint> score(Generator& generator, const torch::Device& device) const;
    //! The network's inputs scored as they are (with reverseIterations > 0: reverse filtering alone).
    std::vector<HeldOutPoint> scoreInputs() const;

private:
    //! Each spec's pooled PSNR of recover(input) against the photos.
    std::vector<HeldOutPoint> scoreEach(const std::function<cv::Mat(const cv::Mat& input)>& recover) const;

    struct SmootherSet
    {
        std::string spec;
        std::vector<cv::Mat> inputs, photos; //!< the network's inputs, the photos
        double inputPsnr = 0;
    };
    std::vector<SmootherSet> sets_;
};

//! The mean gain over the points (dB).
double meanGain(const std::vector<HeldOutPoint>& points);

/** Appends the points to `csvPath` (iteration,spec,input_psnr,psnr; the header when the file is new), so a
resumed run continues its curve. */
void appendHeldOutPoints(const std::string& csvPath, int64_t iteration,
                         const std::vector<HeldOutPoint>& points);

//! Plots every spec's gain over its input, and their mean, against the iteration from such a CSV file.
void plotHeldOutCurves(const std::string& csvPath, const std::string& pngPath);

} // namespace training
} // namespace desmooth
} // namespace cv

#endif
