// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_SMOOTHER_CLASSIFIER_HPP
#define OPENCV_DESMOOTH_SMOOTHER_CLASSIFIER_HPP

#include <opencv2/core.hpp>

namespace cv {
namespace ml {
class SVM;
}
namespace desmooth {

//! @addtogroup desmooth
//! @{

/** @brief What the smoother classifier reads from an image: a 1 x N CV_32F row.

On the centre of the image (at most 256x256): how much each non-"none" member of defaultSmootherCandidates()
still changes it (the log RMS difference on 0..255, and the same minus its mean over the members: an image a
smoother of some kind made is nearly a fixed point of that kind's members, less so of the others'), where it
changes it (half the log of the ratio of the mean squared change in the image's low-gradient half to that in
the rest: kinds differ in what they take from edges and from flat regions), and statistics of its 8-bit gray
gradients (the share of exactly flat steps, which L0 smoothing leaves, of steps
of one and of at most two grey levels, and the log RMS of its finest detail).

@param smoothed CV_8U/CV_16U/CV_32F (0..255, 0..65535, 0..1), 1, 3 or 4 channels (of 4, the last is alpha and
is not read: the features are those of the colours alone).
@param features the row of features.
 */
CV_EXPORTS_W void smootherClassifierFeatures(InputArray smoothed, OutputArray features);

/** @brief Which smoother made an image, by a support vector machine (cv::ml::SVM, RBF kernel) over
smootherClassifierFeatures(), standardised: the member of defaultSmootherCandidates() ("none" included) most
like it, in kind and strength.

@param smoothed CV_8U/CV_16U/CV_32F, 1, 3 or 4 channels.
@param classifier a classifier file written by desmooth_train_smoother_classifier; empty: the one bundled with
the library (an error where the build has none: haveBundledSmootherClassifier()).
@return the candidate's spec, as defaultSmootherCandidates() writes it.
 */
CV_EXPORTS_W String classifySmoother(InputArray smoothed, const String& classifier = String());

/** @brief Writes a classifier file that classifySmoother() reads (format in docs/design.md): the format
version, defaultSmootherCandidates(), the features' standardisation and the SVM.

@param path the file (.yml, .yml.gz, .xml, .json: cv::FileStorage).
@param featureMean, featureScale 1 x N CV_32F: the SVM classifies (f - mean) / scale; scales > 0.
@param svm a trained cv::ml::SVM classifier over the N = smootherClassifierFeatures() features whose labels
index defaultSmootherCandidates().
 */
CV_EXPORTS void writeSmootherClassifier(const String& path, InputArray featureMean, InputArray featureScale,
                                        const Ptr<ml::SVM>& svm);

//! @brief Whether this build of the library carries a smoother classifier.
CV_EXPORTS_W bool haveBundledSmootherClassifier();

//! @}

} // namespace desmooth
} // namespace cv

#endif
