// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_METRICS_HPP
#define OPENCV_DESMOOTH_METRICS_HPP

#include "opencv2/desmooth/smoother.hpp"

namespace cv {
namespace desmooth {

//! @addtogroup desmooth
//! @{

/* The paper's metrics, defined so that our numbers equal other people's (docs/design.md "Metrics"). All take
two images of one size and channel count, each CV_8U, CV_16U or CV_32F (ranges 0..255, 0..65535, 0..1; the two
may differ in depth), 1, 3 or 4 channels (alpha is ignored), and score on the 0..255 scale. */

/** @brief PSNR in dB from the MSE pooled over all pixels and channels, peak 255 (cv::PSNR's and
 * scikit-image's peak_signal_noise_ratio(data_range=255)); +infinity for identical images. */
CV_EXPORTS_W double psnr(InputArray a, InputArray b);

/** @brief SSIM (Wang et al. 2004): Gaussian window 11x11 with sigma 1.5, K1 = 0.01, K2 = 0.03, averaged over
 * the valid region (5-pixel border left out) per channel, then over channels: scikit-image's
 * structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=255). Needs
 * images of at least 11x11 pixels. */
CV_EXPORTS_W double ssim(InputArray a, InputArray b);

/** @brief Smooth consistency (paper Eq. 12): the MSE on the 0..255 scale, pooled over pixels and channels,
 * between the recovery re-smoothed by `smoother` and the smoothed input. Use the smoother that made the
 * input. */
CV_EXPORTS_W double smoothConsistency(InputArray recovered, InputArray smoothed,
                                      const Ptr<Smoother>& smoother);

/** @brief GMSD (gradient magnitude similarity deviation, Xue et al. 2014) of `a` against the reference `b`,
 * as cv::quality::QualityGMSD computes it per channel on the 0..255 scale, averaged over the channels. 0 for
 * identical images; lower is better (structure closer to the reference). */
CV_EXPORTS_W double gmsd(InputArray a, InputArray reference);

/** @brief BRISQUE (Mittal et al. 2012), a no-reference naturalness score: cv::quality::QualityBRISQUE with
 * the LIVE model that Debian's opencv-data installs (brisque_model_live.yml, brisque_range_live.yml), on the
 * image rounded to 8 bits. Lower is more natural; photographs score ~20-30 here, smoothed ones far higher.
 * The folder of the two files is the configuration parameter OPENCV_DESMOOTH_BRISQUE_DIR (default
 * /usr/share/opencv4/quality); a clear cv::Exception when they are missing. */
CV_EXPORTS_W double brisque(InputArray image);

/** @brief Detail ratio: the high-pass energy of `image` over that of `reference`, where the high-pass energy
 * is the mean of (g - GaussianBlur(g, sigma 1.5))^2 over the pixels of the gray image g on the 0..255 scale.
 * 1: as much fine detail as the reference; below 1 smoother; above 1 more texture (or noise) than it has.
 * An energy below 1e-6 counts as none (a flat image): +infinity when the reference has none and the image has
 * some, 1 when neither has any. */
CV_EXPORTS_W double detailRatio(InputArray image, InputArray reference);

//! @}

} // namespace desmooth
} // namespace cv

#endif
