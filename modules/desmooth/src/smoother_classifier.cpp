// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "embedded_file.hpp"
#include "metrics_input.hpp"
#include "model_validation.hpp"
#include "smoother_call.hpp"

#include <opencv2/ml.hpp>

// The bundled classifier's bytes (a .yml.gz cv::ml::RTrees file), linked in as the bundled model is.
#if defined(DESMOOTH_BUNDLED_SMOOTHER_CLASSIFIER_FILE) && (defined(__GNUC__) || defined(__clang__))
#define DESMOOTH_HAVE_BUNDLED_SMOOTHER_CLASSIFIER 1
DESMOOTH_EMBED_FILE(desmooth_bundled_smoother_classifier, DESMOOTH_BUNDLED_SMOOTHER_CLASSIFIER_FILE);
#endif

namespace cv {
namespace desmooth {

namespace {

const int kFeatureSide = 256;
const int kGradientFeatures = 5; //!< the gray-step statistics after the smoothers' responses

std::vector<Ptr<Smoother>> referenceSmoothers()
{
    std::vector<Ptr<Smoother>> smoothers;
    for (const String& spec : defaultSmootherCandidates())
        if (spec != "none") smoothers.push_back(Smoother::create(spec));
    return smoothers;
}

double rms255(const Mat& a, const Mat& b)
{
    return 255.0 * std::sqrt(detail::pooledMse(a, b));
}

Ptr<ml::RTrees> checkedClassifier(const Ptr<ml::RTrees>& classifier, const String& label)
{
    if (!classifier || classifier->empty() || !classifier->isClassifier())
        CV_Error(Error::StsParseError, format("classifySmoother: %s is not a trained random-forest "
                                              "classifier (desmooth_train_smoother_classifier writes one)",
                                              label.c_str()));
    const int expected = int(referenceSmoothers().size()) * 2 + kGradientFeatures;
    if (classifier->getVarCount() != expected)
        CV_Error(Error::StsUnmatchedSizes,
                 format("classifySmoother: %s reads %d features; this library makes %d (retrain it with "
                        "desmooth_train_smoother_classifier)",
                        label.c_str(), classifier->getVarCount(), expected));
    return classifier;
}

Ptr<ml::RTrees> bundledClassifier()
{
#ifdef DESMOOTH_HAVE_BUNDLED_SMOOTHER_CLASSIFIER
    // Parsed once, then shared (predict() is const).
    static const Ptr<ml::RTrees> classifier = [] {
        const String label = "the bundled smoother classifier";
        const size_t size =
            size_t(desmooth_bundled_smoother_classifier_end - desmooth_bundled_smoother_classifier_begin);
        const std::string text = detail::gunzip(desmooth_bundled_smoother_classifier_begin, size, label);
        return checkedClassifier(Algorithm::loadFromString<ml::RTrees>(text), label);
    }();
    return classifier;
#else
    CV_Error(Error::StsNotImplemented,
             "classifySmoother: this build has no bundled smoother classifier (data/models/ had none "
             "when it was built); pass a classifier file (see desmooth_train_smoother_classifier)");
#endif
}

} // namespace

bool haveBundledSmootherClassifier()
{
#ifdef DESMOOTH_HAVE_BUNDLED_SMOOTHER_CLASSIFIER
    return true;
#else
    return false;
#endif
}

void smootherClassifierFeatures(InputArray _smoothed, OutputArray _features)
{
    const Mat smoothed = _smoothed.getMat();
    detail::checkImageInput(smoothed, "smootherClassifierFeatures: the image");
    if (smoothed.cols < 2 || smoothed.rows < 2)
        CV_Error(Error::StsBadSize, "smootherClassifierFeatures: the image must be at least 2x2");
    const int w = std::min(smoothed.cols, kFeatureSide), h = std::min(smoothed.rows, kFeatureSide);
    const Rect crop((smoothed.cols - w) / 2, (smoothed.rows - h) / 2, w, h);
    Mat y;
    smoothed(crop).convertTo(y, CV_32F, detail::scaleToUnit(smoothed.depth()));

    std::vector<float> features;
    for (const Ptr<Smoother>& smoother : referenceSmoothers())
        features.push_back(float(
            std::log(rms255(detail::smoothChecked(*smoother, y, "smootherClassifierFeatures"), y) + 1e-3)));
    const size_t responses = features.size();
    double mean = 0;
    for (size_t i = 0; i < responses; ++i)
        mean += features[i];
    mean /= double(responses);
    for (size_t i = 0; i < responses; ++i)
        features.push_back(float(features[i] - mean));

    // Gradients of the 8-bit gray image: L0 smoothing leaves exactly flat steps, photos rarely do.
    Mat gray, gray8;
    if (y.channels() == 1)
        gray = y;
    else
        cvtColor(y, gray, y.channels() == 3 ? COLOR_BGR2GRAY : COLOR_BGRA2GRAY);
    gray.convertTo(gray8, CV_8U, 255.0);
    Mat level;
    gray8.convertTo(level, CV_32S);
    const Mat dx = cv::abs(level(Rect(1, 0, w - 1, h)) - level(Rect(0, 0, w - 1, h)));
    const Mat dy = cv::abs(level(Rect(0, 1, w, h - 1)) - level(Rect(0, 0, w, h - 1)));
    const double cells = double(dx.total());
    features.push_back(float(1.0 - countNonZero(dx) / cells));
    features.push_back(float(1.0 - countNonZero(dy) / double(dy.total())));
    features.push_back(float(countNonZero(dx == 1) / cells));
    features.push_back(float(countNonZero(dx <= 2) / cells));
    Mat fine, blurred;
    gray8.convertTo(fine, CV_32F);
    GaussianBlur(fine, blurred, Size(), 1.0);
    features.push_back(
        float(std::log(norm(fine, blurred, NORM_L2) / std::sqrt(double(fine.total())) + 1e-3)));
    CV_DbgAssert(features.size() == 2 * responses + kGradientFeatures);
    Mat(features, true).reshape(1, 1).copyTo(_features);
}

String classifySmoother(InputArray smoothed, const String& classifierFile)
{
    Ptr<ml::RTrees> classifier;
    if (classifierFile.empty()) {
        classifier = bundledClassifier();
    } else {
        const String label = "'" + classifierFile + "'";
        FileStorage file;
        try {
            file.open(classifierFile, FileStorage::READ);
        } catch (const cv::Exception& e) {
            CV_Error(Error::StsParseError, "classifySmoother: cannot parse " + label + ": " + e.err);
        }
        if (!file.isOpened()) CV_Error(Error::StsError, "classifySmoother: cannot read " + label);
        classifier = ml::RTrees::create();
        try {
            classifier->read(file.getFirstTopLevelNode());
        } catch (const cv::Exception& e) {
            CV_Error(Error::StsParseError,
                     "classifySmoother: " + label + " is not a random forest: " + e.err);
        }
        classifier = checkedClassifier(classifier, label);
    }
    Mat features;
    smootherClassifierFeatures(smoothed, features);
    const float label = classifier->predict(features);
    const std::vector<String> candidates = defaultSmootherCandidates();
    const int index = cvRound(label);
    if (index < 0 || index >= int(candidates.size()))
        CV_Error(Error::StsOutOfRange,
                 format("classifySmoother: the classifier answered class %g; there are %d candidates",
                        double(label), int(candidates.size())));
    return candidates[size_t(index)];
}

} // namespace desmooth
} // namespace cv
