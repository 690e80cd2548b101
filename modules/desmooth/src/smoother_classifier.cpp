// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "embedded_file.hpp"
#include "metrics_input.hpp"
#include "model_validation.hpp"
#include "smoother_call.hpp"
#include "smoother_classifier_internals.hpp"

#include <opencv2/ml.hpp>

#include <cfloat>
#include <fstream>
#include <iterator>
#include <mutex>

// The bundled classifier's bytes (a .yml.gz file holding a cv::ml::SVM), linked in as the bundled model is.
#if defined(DESMOOTH_BUNDLED_SMOOTHER_CLASSIFIER_FILE) && (defined(__GNUC__) || defined(__clang__))
#define DESMOOTH_HAVE_BUNDLED_SMOOTHER_CLASSIFIER 1
DESMOOTH_EMBED_FILE(desmooth_bundled_smoother_classifier, DESMOOTH_BUNDLED_SMOOTHER_CLASSIFIER_FILE);
#endif

namespace cv {
namespace desmooth {

namespace {

const int kFeatureSide = 256;
const int kGradientFeatures = 5; //!< the gray-step statistics after the smoothers' responses
const int kFormatVersion = 2;    //!< of the classifier file (docs/design.md)

std::vector<Ptr<Smoother>> referenceSmoothers()
{
    std::vector<Ptr<Smoother>> smoothers;
    for (const String& spec : defaultSmootherCandidates())
        if (spec != "none") smoothers.push_back(Smoother::create(spec));
    return smoothers;
}

int featureCount()
{
    return int(referenceSmoothers().size()) * 3 + kGradientFeatures;
}

double rms255(const Mat& a, const Mat& b)
{
    return 255.0 * std::sqrt(detail::pooledMse(a, b));
}

//! Squared change summed over the channels, one value a pixel.
Mat squaredChange(const Mat& a, const Mat& b)
{
    Mat d;
    subtract(a, b, d);
    d = d.mul(d);
    return d.reshape(1, int(d.total())) * Mat::ones(d.channels(), 1, CV_32F);
}

//! The 8-bit gray image's low-gradient half: Sobel magnitude at most its median.
Mat lowGradientMask(const Mat& gray8)
{
    Mat g, gx, gy, magnitude;
    gray8.convertTo(g, CV_32F);
    Sobel(g, gx, CV_32F, 1, 0);
    Sobel(g, gy, CV_32F, 0, 1);
    cv::magnitude(gx, gy, magnitude);
    std::vector<float> values(magnitude.begin<float>(), magnitude.end<float>());
    std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
    const Mat low = magnitude <= values[values.size() / 2];
    return low.reshape(1, int(low.total()));
}

/** The classifier file: format version, the candidates it names, the features' standardisation and a
cv::ml::SVM (docs/design.md). */
struct Classifier
{
    Mat mean, scale; //!< features are (f - mean) / scale before the SVM
    Ptr<ml::SVM> svm;
};

//! What a classifier must be for this library's features; `fix` says what to do about one that is not.
void checkFitsThisLibrary(const Classifier& classifier, const char* caller, const String& label,
                          const char* fix)
{
    const int expected = featureCount();
    if (classifier.svm->getVarCount() != expected)
        CV_Error(Error::StsUnmatchedSizes,
                 format("%s: %s reads %d features; this library makes %d (%s)", caller, label.c_str(),
                        classifier.svm->getVarCount(), expected, fix));
    for (const Mat* row : {&classifier.mean, &classifier.scale})
        if (row->type() != CV_32F || row->size() != Size(expected, 1))
            CV_Error(Error::StsUnmatchedSizes,
                     format("%s: %s has a feature_%s that is not 1 x %d CV_32F", caller, label.c_str(),
                            row == &classifier.mean ? "mean" : "scale", expected));
    if (!checkRange(classifier.scale, true, nullptr, 1e-12, DBL_MAX))
        CV_Error(Error::StsParseError,
                 format("%s: %s has feature scales that are not > 0", caller, label.c_str()));
}

Classifier readClassifier(const FileStorage& file, const String& label)
{
    const String wrongFile = "classifySmoother: " + label +
                             " is not a smoother classifier of this library "
                             "(desmooth_train_smoother_classifier writes one)";
    if (!file["opencv_ml_rtrees"].empty())
        CV_Error(Error::StsParseError, "classifySmoother: " + label +
                                           " is the random forest of an earlier version of this library; "
                                           "retrain it with desmooth_train_smoother_classifier");
    if (!file["desmooth_smoother_classifier"].isInt()) CV_Error(Error::StsParseError, wrongFile);
    const int version = int(file["desmooth_smoother_classifier"]);
    if (version != kFormatVersion)
        CV_Error(Error::StsParseError,
                 format("classifySmoother: %s is a classifier file of format %d; this library reads %d "
                        "(retrain it with desmooth_train_smoother_classifier)",
                        label.c_str(), version, kFormatVersion));
    std::vector<String> candidates;
    file["candidates"] >> candidates;
    if (candidates != defaultSmootherCandidates())
        CV_Error(Error::StsUnmatchedSizes,
                 "classifySmoother: " + label +
                     " names other candidates than defaultSmootherCandidates() (retrain it with "
                     "desmooth_train_smoother_classifier)");
    Classifier classifier;
    file["feature_mean"] >> classifier.mean;
    file["feature_scale"] >> classifier.scale;
    classifier.svm = ml::SVM::create();
    try {
        classifier.svm->read(file["svm"]);
    } catch (const cv::Exception& e) {
        CV_Error(Error::StsParseError, wrongFile + ": " + e.err);
    }
    if (classifier.svm->empty() || !classifier.svm->isClassifier()) CV_Error(Error::StsParseError, wrongFile);
    checkFitsThisLibrary(classifier, "classifySmoother", label,
                         "retrain it with desmooth_train_smoother_classifier");
    return classifier;
}

const Classifier& bundledClassifier()
{
#ifdef DESMOOTH_HAVE_BUNDLED_SMOOTHER_CLASSIFIER
    // Parsed once, then shared (predict() is const).
    static const Classifier classifier = [] {
        const String label = "the bundled smoother classifier";
        const size_t size =
            size_t(desmooth_bundled_smoother_classifier_end - desmooth_bundled_smoother_classifier_begin);
        const std::string text = detail::gunzip(desmooth_bundled_smoother_classifier_begin, size, label);
        return readClassifier(FileStorage(text, FileStorage::READ | FileStorage::MEMORY), label);
    }();
    return classifier;
#else
    CV_Error(Error::StsNotImplemented,
             "classifySmoother: this build has no bundled smoother classifier (data/models/ had none "
             "when it was built); pass a classifier file (see desmooth_train_smoother_classifier)");
#endif
}

// The bytes of a file ("" where it cannot be read).
std::string fileBytes(const String& path)
{
    std::ifstream in(path, std::ios::binary);
    return in ? std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>())
              : std::string();
}

// A classifier file's contents, kept while the file's bytes stay the same: parsing one takes about as long as
// classifying an image, and callers classify image after image with one file. The file is read once a call,
// and what is parsed (and kept) is those bytes.
Classifier classifierFromFile(const String& path)
{
    static std::mutex mutex;
    static String cachedPath;
    static std::string cachedBytes;
    static Classifier cached;
    const String label = "'" + path + "'";
    const std::string bytes = fileBytes(path);
    if (bytes.empty()) CV_Error(Error::StsError, "classifySmoother: cannot read " + label);
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (cached.svm && path == cachedPath && bytes == cachedBytes) return cached;
    }
    const bool gzip = bytes.size() >= 2 && uchar(bytes[0]) == 0x1f && uchar(bytes[1]) == 0x8b;
    FileStorage file;
    try {
        file.open(gzip ? detail::gunzip(bytes.data(), bytes.size(), label) : bytes,
                  FileStorage::READ | FileStorage::MEMORY);
    } catch (const cv::Exception& e) {
        CV_Error(Error::StsParseError, "classifySmoother: cannot parse " + label + ": " + e.err);
    }
    if (!file.isOpened()) CV_Error(Error::StsParseError, "classifySmoother: cannot parse " + label);
    const Classifier classifier = readClassifier(file, label);
    std::lock_guard<std::mutex> lock(mutex);
    cachedPath = path;
    cachedBytes = bytes;
    cached = classifier;
    return classifier;
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
    if (detail::tooSmallToClassify(smoothed))
        CV_Error(Error::StsBadSize, format("smootherClassifierFeatures: the image must be at least %dx%d",
                                           detail::kClassifierMinSide, detail::kClassifierMinSide));
    const int w = std::min(smoothed.cols, kFeatureSide), h = std::min(smoothed.rows, kFeatureSide);
    const Rect crop((smoothed.cols - w) / 2, (smoothed.rows - h) / 2, w, h);
    Mat y;
    smoothed(crop).convertTo(y, CV_32F, detail::scaleToUnit(smoothed.depth()));
    // Smoothers pass alpha through: counted, its zero change would lower every RMS by a fixed factor and
    // move the features away from those of the same colours without it.
    if (y.channels() == 4) cvtColor(y, y, COLOR_BGRA2BGR);
    Mat gray, gray8;
    if (y.channels() == 1)
        gray = y;
    else
        cvtColor(y, gray, COLOR_BGR2GRAY);
    gray.convertTo(gray8, CV_8U, 255.0);

    // How much each smoother still changes the image, and where: in its low-gradient half or the rest
    // (smoothers of different kinds take different shares from edges and flat regions).
    const Mat low = lowGradientMask(gray8), high = ~low;
    std::vector<float> features, where;
    for (const Ptr<Smoother>& smoother : referenceSmoothers()) {
        const Mat out = detail::smoothChecked(*smoother, y, "smootherClassifierFeatures");
        features.push_back(float(std::log(rms255(out, y) + 1e-3)));
        const Mat change = squaredChange(out, y);
        where.push_back(
            float(0.5 * std::log((mean(change, low)[0] + 1e-12) / (mean(change, high)[0] + 1e-12))));
    }
    const size_t responses = features.size();
    double average = 0;
    for (size_t i = 0; i < responses; ++i)
        average += features[i];
    average /= double(responses);
    for (size_t i = 0; i < responses; ++i)
        features.push_back(float(features[i] - average));
    features.insert(features.end(), where.begin(), where.end());

    // Gradients of the 8-bit gray image: L0 smoothing leaves exactly flat steps, photos rarely do.
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
    CV_DbgAssert(int(features.size()) == featureCount());
    Mat(features, true).reshape(1, 1).copyTo(_features);
}

void writeSmootherClassifier(const String& path, InputArray featureMean, InputArray featureScale,
                             const Ptr<ml::SVM>& svm)
{
    if (!svm || !svm->isTrained() || !svm->isClassifier())
        CV_Error(Error::StsBadArg, "writeSmootherClassifier: the SVM is not a trained classifier");
    Classifier classifier;
    classifier.mean = featureMean.getMat();
    classifier.scale = featureScale.getMat();
    classifier.svm = svm;
    checkFitsThisLibrary(classifier, "writeSmootherClassifier", "the classifier",
                         "train it on smootherClassifierFeatures()");
    FileStorage file(path, FileStorage::WRITE);
    if (!file.isOpened()) CV_Error(Error::StsError, "writeSmootherClassifier: cannot write '" + path + "'");
    file << "desmooth_smoother_classifier" << kFormatVersion;
    file << "candidates" << defaultSmootherCandidates();
    file << "feature_mean" << classifier.mean << "feature_scale" << classifier.scale;
    file << "svm"
         << "{";
    svm->write(file);
    file << "}";
}

String classifySmoother(InputArray smoothed, const String& classifierFile)
{
    const Classifier fromFile = classifierFile.empty() ? Classifier() : classifierFromFile(classifierFile);
    const Classifier& classifier = classifierFile.empty() ? bundledClassifier() : fromFile;
    Mat features;
    smootherClassifierFeatures(smoothed, features);
    features = (features - classifier.mean) / classifier.scale;
    const float label = classifier.svm->predict(features);
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
