// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// desmooth_train_smoother_classifier: trains the support vector machine behind
// cv::desmooth::classifySmoother() (and so behind estimateSmoother() and recover(src, dst, "auto")) on a
// folder of photos, each smoothed by smoothers of every kind at random strengths over the span of
// defaultSmootherCandidates(), or by none; each input's class is the candidate nearest to its smoother. C and
// gamma are chosen by cross-validation with the folds split by photo. Run with --help for the options.

#include "command_line.hpp"
#include "image_files.hpp"
#include "other_smoothing.hpp"
#include "random_smoother.hpp"

#include <opencv2/desmooth.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/ml.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <random>
#include <set>

namespace po = boost::program_options;

namespace {

//! A smoother spec in describe()'s form, parsed: "guided:radius=4,eps=400" -> guided, {radius, eps}, {4,
//! 400}.
struct ParsedSpec
{
    std::string kind;
    std::vector<std::string> names;
    std::vector<double> values;
};

ParsedSpec parse(const std::string& spec)
{
    const std::string canonical = cv::desmooth::Smoother::create(spec)->describe();
    const size_t colon = canonical.find(':');
    ParsedSpec parsed{canonical.substr(0, colon), {}, {}};
    if (colon == std::string::npos) return parsed;
    for (const std::string& item : cv::desmooth::apps::splitList(canonical.substr(colon + 1))) {
        parsed.names.push_back(item.substr(0, item.find('=')));
        parsed.values.push_back(std::stod(item.substr(item.find('=') + 1)));
    }
    return parsed;
}

/** The class of a drawn smoother: the candidate of its kind nearest to it (by the log of each parameter), so
the classifier learns strength as well as kind. */
int candidateClass(const ParsedSpec& drawn, const std::vector<ParsedSpec>& candidates)
{
    int best = -1;
    double bestDistance = 0;
    for (size_t i = 0; i < candidates.size(); ++i) {
        const ParsedSpec& candidate = candidates[i];
        if (candidate.kind != drawn.kind || candidate.values.size() != drawn.values.size()) continue;
        double distance = 0;
        for (size_t k = 0; k < drawn.values.size(); ++k) {
            const double d = std::log(drawn.values[k]) - std::log(candidate.values[k]);
            distance += d * d;
        }
        if (best < 0 || distance < bestDistance) best = int(i), bestDistance = distance;
    }
    if (best < 0) throw std::runtime_error("no candidate of the kind " + drawn.kind);
    return best;
}

//! Where a kind's parameters are drawn: between the smallest and largest value among its candidates.
struct KindSpan
{
    std::string kind;
    std::vector<std::string> names;
    std::vector<double> low, high;
    std::vector<bool> whole; //!< every candidate's value is a whole number: draws are rounded
};

std::vector<KindSpan> kindSpans(const std::vector<ParsedSpec>& candidates)
{
    std::vector<KindSpan> spans;
    for (const ParsedSpec& candidate : candidates) {
        auto span = std::find_if(spans.begin(), spans.end(),
                                 [&](const KindSpan& s) { return s.kind == candidate.kind; });
        if (span == spans.end()) {
            spans.push_back({candidate.kind, candidate.names, candidate.values, candidate.values,
                             std::vector<bool>(candidate.values.size(), true)});
            span = spans.end() - 1;
        }
        for (size_t k = 0; k < candidate.values.size(); ++k) {
            span->low[k] = std::min(span->low[k], candidate.values[k]);
            span->high[k] = std::max(span->high[k], candidate.values[k]);
            span->whole[k] = span->whole[k] && candidate.values[k] == std::floor(candidate.values[k]);
        }
    }
    return spans;
}

/** A smoother to train on: a kind of the candidates ("none" as often as each other), each parameter
log-uniform over its span (rounded where the candidates' values are whole numbers), so every candidate is some
draws' nearest. */
std::string drawSmoother(const std::vector<KindSpan>& spans, std::mt19937_64& rng)
{
    const KindSpan& span = spans[std::uniform_int_distribution<size_t>(0, spans.size() - 1)(rng)];
    if (span.names.empty()) return span.kind;
    std::string spec = span.kind + ":";
    for (size_t k = 0; k < span.names.size(); ++k) {
        double value = cv::desmooth::training::logUniform(span.low[k], span.high[k], rng);
        if (span.whole[k]) value = std::round(value);
        spec += (k ? "," : "") + span.names[k] + "=" + cv::format("%.4g", value);
    }
    return spec;
}

/** An RBF support vector machine on standardised features (the form classifySmoother() reads). */
cv::Ptr<cv::ml::SVM> trainSvm(const cv::Mat& samples, const cv::Mat& labels, double c, double gamma)
{
    const cv::Ptr<cv::ml::SVM> svm = cv::ml::SVM::create();
    svm->setType(cv::ml::SVM::C_SVC);
    svm->setKernel(cv::ml::SVM::RBF);
    svm->setC(c);
    svm->setGamma(gamma);
    svm->setTermCriteria(cv::TermCriteria(cv::TermCriteria::MAX_ITER + cv::TermCriteria::EPS, 100000, 1e-3));
    if (!svm->train(cv::ml::TrainData::create(samples, cv::ml::ROW_SAMPLE, labels)))
        throw std::runtime_error("the support vector machine did not train");
    return svm;
}

std::string kindOf(const std::string& spec)
{
    return spec.substr(0, spec.find(':'));
}

/** Share of held-out inputs whose kind the machine names, cross-validated with folds split by photo (draws
of one photo are alike: folds that shared photos would reward remembering them). */
double crossValidatedKindRate(const cv::Mat& samples, const cv::Mat& labels, const std::vector<int>& photoOf,
                              int folds, double c, double gamma, const std::vector<cv::String>& candidates)
{
    int right = 0;
    for (int fold = 0; fold < folds; ++fold) {
        cv::Mat trainSamples, trainLabels, testSamples, testLabels;
        for (int i = 0; i < samples.rows; ++i) {
            const bool held = photoOf[size_t(i)] % folds == fold;
            (held ? testSamples : trainSamples).push_back(samples.row(i));
            (held ? testLabels : trainLabels).push_back(labels.row(i));
        }
        if (testSamples.empty() || trainSamples.empty()) continue;
        const cv::Ptr<cv::ml::SVM> svm = trainSvm(trainSamples, trainLabels, c, gamma);
        for (int i = 0; i < testSamples.rows; ++i) {
            const int picked = cvRound(svm->predict(testSamples.row(i)));
            right += kindOf(candidates[size_t(picked)]) == kindOf(candidates[size_t(testLabels.at<int>(i))]);
        }
    }
    return double(right) / samples.rows;
}

} // namespace

int main(int argc, char** argv)
{
    std::string data, splitFile, out;
    int draws = 8, minLongSide = 256, maxLongSide = 1024, folds = 5, minJpegQuality = 60;
    double jpegShare = 0, otherShare = 0;
    uint64_t seed = 1;
    po::options_description options("desmooth_train_smoother_classifier: the smoother classifier of "
                                    "classifySmoother()");
    po::options_description_easy_init add = options.add_options();
    add("help,h", "show this help");
    add("data", po::value(&data)->required(), "folder of photos (searched recursively)");
    add("split-file", po::value(&splitFile),
        "files (relative to --data) never trained on: the held-out split");
    add("draws", po::value(&draws)->default_value(draws), "smoothed inputs made from each photo");
    add("min-long-side", po::value(&minLongSide)->default_value(minLongSide),
        "each input is the photo downscaled (INTER_AREA) to a random long side from this ...");
    add("max-long-side", po::value(&maxLongSide)->default_value(maxLongSide), "... to this");
    add("folds", po::value(&folds)->default_value(folds),
        "cross-validation folds (split by photo) that choose C and gamma; 1: no search, C 10, gamma "
        "1/features");
    add("jpeg-share", po::value(&jpegShare)->default_value(jpegShare),
        "share of inputs saved as JPEG after smoothing, as many images users have are (docs/training.md)");
    add("min-jpeg-quality", po::value(&minJpegQuality)->default_value(minJpegQuality),
        "their JPEG quality is drawn from this to 95");
    add("other-share", po::value(&otherShare)->default_value(otherShare),
        "share of inputs smoothed by a kind that is no candidate's (a box blur, resampling, adaptive "
        "manifold, "
        "anisotropic diffusion, non-local means, mean shift, ximgproc's edge-preserving filter), labelled "
        "\"none\": the classifier learns that they are none of its candidates");
    add("seed", po::value(&seed)->default_value(seed), "seed of the draws");
    add("out", po::value(&out)->required(), "the classifier file (.yml.gz)");
    const auto code = cv::desmooth::apps::parseCommandLine(
        argc, argv, "desmooth_train_smoother_classifier", options, [&](const po::variables_map&) {
            if (draws < 1 || folds < 1 || minLongSide < 16 || maxLongSide < minLongSide)
                throw po::error("--draws, --folds >= 1 and 16 <= --min-long-side <= --max-long-side");
            if (!(jpegShare >= 0 && jpegShare <= 1) || minJpegQuality < 1 || minJpegQuality > 95)
                throw po::error("--jpeg-share in 0..1 and --min-jpeg-quality in 1..95");
            if (!(otherShare >= 0 && otherShare <= 1)) throw po::error("--other-share must be in 0..1");
        });
    if (code) return *code;
    return cv::desmooth::apps::runReportingErrors("desmooth_train_smoother_classifier", [&] {
        const auto start = std::chrono::steady_clock::now();
        std::set<std::string> heldOut;
        if (!splitFile.empty())
            for (const std::string& name : cv::desmooth::apps::readFileList(splitFile))
                heldOut.insert(name);
        std::vector<std::string> files;
        for (const std::string& name : cv::desmooth::apps::listImages(data))
            if (!heldOut.count(name)) files.push_back(name);
        if (files.empty()) throw std::runtime_error("no photos to train on in " + data);

        std::mt19937_64 rng(seed);
        cv::Mat features, labels;
        std::vector<int> photoOf;
        const std::vector<cv::String> candidates = cv::desmooth::defaultSmootherCandidates();
        std::vector<ParsedSpec> parsedCandidates;
        for (const cv::String& spec : candidates)
            parsedCandidates.push_back(parse(spec));
        const std::vector<KindSpan> spans = kindSpans(parsedCandidates);
        const int noneClass = candidateClass(parse("none"), parsedCandidates);
        std::vector<int> perClass(candidates.size(), 0);
        for (size_t i = 0; i < files.size(); ++i) {
            const cv::Mat photo = cv::desmooth::apps::loadPhoto(data + "/" + files[i], 0);
            for (int d = 0; d < draws; ++d) {
                const int longSide = std::uniform_int_distribution<int>(minLongSide, maxLongSide)(rng);
                const std::string spec = drawSmoother(spans, rng);
                const double scale = double(longSide) / std::max(photo.cols, photo.rows);
                cv::Mat scaled = photo, smoothed, row;
                if (scale < 1) cv::resize(photo, scaled, cv::Size(), scale, scale, cv::INTER_AREA);
                // Drawn for every input when other kinds are asked for (the same candidates' draws at any
                // share), not when not.
                const bool other =
                    otherShare > 0 && std::uniform_real_distribution<double>(0, 1)(rng) < otherShare;
                if (other)
                    cv::desmooth::training::otherSmoothing(scaled, smoothed, rng);
                else
                    cv::desmooth::Smoother::create(spec)->apply(scaled, smoothed);
                // Both drawn for every input when JPEG inputs are asked for (the same smoothers at any
                // share), neither when not.
                const bool jpeg =
                    jpegShare > 0 && std::uniform_real_distribution<double>(0, 1)(rng) < jpegShare;
                const int quality =
                    jpegShare > 0 ? std::uniform_int_distribution<int>(minJpegQuality, 95)(rng) : 0;
                if (jpeg) smoothed = cv::desmooth::apps::throughJpeg(smoothed, quality);
                cv::desmooth::smootherClassifierFeatures(smoothed, row);
                features.push_back(row);
                const int label = other ? noneClass : candidateClass(parse(spec), parsedCandidates);
                labels.push_back(label);
                photoOf.push_back(int(i));
                ++perClass[size_t(label)];
            }
            if ((i + 1) % 50 == 0 || i + 1 == files.size())
                std::cout << "photos " << i + 1 << "/" << files.size() << "\n" << std::flush;
        }
        // Standardised features: the RBF kernel weighs every feature alike.
        cv::Mat mean, scale;
        cv::reduce(features, mean, 0, cv::REDUCE_AVG);
        const cv::Mat centred = features - cv::repeat(mean, features.rows, 1);
        cv::reduce(centred.mul(centred), scale, 0, cv::REDUCE_AVG);
        cv::sqrt(scale, scale);
        scale = cv::max(scale, 1e-6f);
        const cv::Mat samples = centred / cv::repeat(scale, features.rows, 1);

        std::cout << features.rows << " inputs from " << files.size() << " photos, per class:\n";
        for (size_t k = 0; k < candidates.size(); ++k)
            std::cout << "  " << candidates[k] << " " << perClass[k] << "\n";
        if (std::count_if(perClass.begin(), perClass.end(), [](int n) { return n > 0; }) < 2)
            throw std::runtime_error("every input is of one class: a classifier needs two or more (more "
                                     "--draws, or --other-share below 1)");
        double bestC = 10, bestGamma = 1.0 / features.cols, bestRate = -1;
        if (folds > 1) {
            std::cout << "kinds named in " << folds << "-fold cross-validation (folds split by photo):\n";
            for (const double c : {1.0, 3.0, 10.0, 30.0, 100.0})
                for (const double g : {0.3, 1.0, 3.0}) {
                    const double gamma = g / features.cols;
                    const double rate =
                        crossValidatedKindRate(samples, labels, photoOf, folds, c, gamma, candidates);
                    std::cout << cv::format("  C %g, gamma %g/features: %.1f%%\n", c, g, 100 * rate)
                              << std::flush;
                    if (rate > bestRate) bestRate = rate, bestC = c, bestGamma = gamma;
                }
        }
        const cv::Ptr<cv::ml::SVM> svm = trainSvm(samples, labels, bestC, bestGamma);
        cv::desmooth::writeSmootherClassifier(out, mean, scale, svm);
        std::cout << features.cols << " features; C " << bestC << ", gamma " << bestGamma << ", "
                  << svm->getSupportVectors().rows << " support vectors; written to " << out << " in "
                  << cv::desmooth::apps::formatDuration(
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count())
                  << "\n";
        return 0;
    });
}
