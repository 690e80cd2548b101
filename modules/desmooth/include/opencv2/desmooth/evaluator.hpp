// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_EVALUATOR_HPP
#define OPENCV_DESMOOTH_EVALUATOR_HPP

#include "opencv2/desmooth/lpips.hpp"
#include "opencv2/desmooth/metrics.hpp"
#include "opencv2/desmooth/smoother.hpp"

namespace cv {
namespace desmooth {

//! @addtogroup desmooth
//! @{

/** @brief The scores of one recovery: the paper's four (Table 1) and three that show what a person sees. */
struct CV_EXPORTS_W_SIMPLE Scores
{
    //! All zero.
    CV_WRAP Scores();

    CV_PROP_RW double sc;      //!< smooth consistency (paper Eq. 12), MSE on 0..255: lower is better
    CV_PROP_RW double ssim;    //!< SSIM against the photo: higher is better; NaN below 11x11
    CV_PROP_RW double psnr;    //!< PSNR in dB against the photo: higher is better
    CV_PROP_RW double lpips;   //!< LPIPS against the photo, lower is better; NaN without LPIPS weights
    CV_PROP_RW double gmsd;    //!< GMSD against the photo (see gmsd()): lower is better; NaN below 2x2
    CV_PROP_RW double brisque; //!< BRISQUE of the recovery alone (see brisque()), lower is more natural;
                               //!< NaN below 16x16 or without its model files
    CV_PROP_RW double detail;  //!< detail ratio to the photo (see detailRatio()): 1 is the photo's
};

/** @brief Scores recoveries as the paper does: SC with the smoother that made the input, SSIM, PSNR and LPIPS
against the ground-truth photo (see psnr(), ssim(), smoothConsistency(), Lpips), and GMSD, BRISQUE and the
detail ratio (see gmsd(), brisque(), detailRatio()). Thread-safe. */
class CV_EXPORTS_W Evaluator : public Algorithm
{
public:
    /** @brief smoother: the one that made the inputs (default: L0Smooth at #L0_DEFAULT_LAMBDA and
     * #L0_DEFAULT_KAPPA); lpipsDescription: an LPIPS description file (see Lpips), or empty for LPIPS = NaN.
     */
    CV_WRAP static Ptr<Evaluator> create(const Ptr<Smoother>& smoother = Ptr<Smoother>(),
                                         const String& lpipsDescription = "");
    /** @brief With an LPIPS metric in memory (may be empty). */
    static Ptr<Evaluator> create(const Ptr<Smoother>& smoother, const Ptr<Lpips>& lpips);

    /** @brief Scores one recovery; all three images of one size and channel count (depths may differ). */
    CV_WRAP virtual Scores evaluate(InputArray recovered, InputArray smoothed, InputArray groundTruth) = 0;
    /** @brief BRISQUE as evaluate() scores it (see brisque()): NaN for an image under 16x16 or where its
     * model files are not installed, so that one such image does not stop a whole evaluation. */
    CV_WRAP virtual double brisqueOf(InputArray image) const = 0;
    CV_WRAP virtual Ptr<Smoother> getSmoother() const = 0;
    CV_WRAP virtual bool hasLpips() const = 0;
};

//! @}

} // namespace desmooth
} // namespace cv

#endif
