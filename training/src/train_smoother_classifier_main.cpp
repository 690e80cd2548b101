// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// desmooth_train_smoother_classifier: trains the random forest behind cv::desmooth::classifySmoother()
// (and so behind estimateSmoother() and recover(src, dst, "auto")) on a folder of photos, each smoothed by
// smoothers of every kind at random strengths over the span of defaultSmootherCandidates(), or by none; each
// input's class is the candidate nearest to its smoother. Run with --help for the options.

#include "command_line.hpp"
#include "image_files.hpp"

#include <opencv2/desmooth.hpp>
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
the forest learns strength as well as kind. */
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
        double value = std::exp(
            std::uniform_real_distribution<double>(std::log(span.low[k]), std::log(span.high[k]))(rng));
        if (span.whole[k]) value = std::round(value);
        spec += (k ? "," : "") + span.names[k] + "=" + cv::format("%.4g", value);
    }
    return spec;
}

} // namespace

int main(int argc, char** argv)
{
    std::string data, splitFile, out;
    int draws = 8, minLongSide = 256, maxLongSide = 1024, trees = 200, maxDepth = 12;
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
    add("trees", po::value(&trees)->default_value(trees), "trees in the forest");
    add("max-depth", po::value(&maxDepth)->default_value(maxDepth), "depth limit of a tree");
    add("seed", po::value(&seed)->default_value(seed), "seed of the draws and the forest");
    add("out", po::value(&out)->required(), "the classifier file (.yml.gz)");
    const auto code = cv::desmooth::apps::parseCommandLine(
        argc, argv, "desmooth_train_smoother_classifier", options, [&](const po::variables_map&) {
            if (draws < 1 || trees < 1 || maxDepth < 1 || minLongSide < 16 || maxLongSide < minLongSide)
                throw po::error("--draws, --trees, --max-depth >= 1 and 16 <= --min-long-side <= "
                                "--max-long-side");
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
        const std::vector<cv::String> candidates = cv::desmooth::defaultSmootherCandidates();
        std::vector<ParsedSpec> parsedCandidates;
        for (const cv::String& spec : candidates)
            parsedCandidates.push_back(parse(spec));
        const std::vector<KindSpan> spans = kindSpans(parsedCandidates);
        std::vector<int> perClass(candidates.size(), 0);
        for (size_t i = 0; i < files.size(); ++i) {
            const cv::Mat photo = cv::desmooth::apps::loadPhoto(data + "/" + files[i], 0);
            for (int d = 0; d < draws; ++d) {
                const int longSide = std::uniform_int_distribution<int>(minLongSide, maxLongSide)(rng);
                const std::string spec = drawSmoother(spans, rng);
                const double scale = double(longSide) / std::max(photo.cols, photo.rows);
                cv::Mat scaled = photo, smoothed, row;
                if (scale < 1) cv::resize(photo, scaled, cv::Size(), scale, scale, cv::INTER_AREA);
                cv::desmooth::Smoother::create(spec)->apply(scaled, smoothed);
                cv::desmooth::smootherClassifierFeatures(smoothed, row);
                features.push_back(row);
                const int label = candidateClass(parse(spec), parsedCandidates);
                labels.push_back(label);
                ++perClass[size_t(label)];
            }
            if ((i + 1) % 50 == 0 || i + 1 == files.size())
                std::cout << "photos " << i + 1 << "/" << files.size() << "\n" << std::flush;
        }
        cv::Mat varTypes(1, features.cols + 1, CV_8U, cv::Scalar(cv::ml::VAR_ORDERED));
        varTypes.at<uchar>(features.cols) = cv::ml::VAR_CATEGORICAL;
        const cv::Ptr<cv::ml::TrainData> trainData = cv::ml::TrainData::create(
            features, cv::ml::ROW_SAMPLE, labels, cv::noArray(), cv::noArray(), cv::noArray(), varTypes);
        const cv::Ptr<cv::ml::RTrees> forest = cv::ml::RTrees::create();
        forest->setMaxDepth(maxDepth);
        forest->setMinSampleCount(3);
        forest->setCalculateVarImportance(false);
        forest->setTermCriteria(cv::TermCriteria(cv::TermCriteria::MAX_ITER, trees, 0));
        if (!forest->train(trainData)) throw std::runtime_error("the forest did not train");
        forest->save(out);
        std::cout << features.rows << " inputs from " << files.size() << " photos, per class:\n";
        for (size_t k = 0; k < candidates.size(); ++k)
            std::cout << "  " << candidates[k] << " " << perClass[k] << "\n";
        std::cout << "" << features.cols << " features, " << trees << " trees; training error "
                  << cv::format("%.1f%%", forest->calcError(trainData, false, cv::noArray()))
                  << "; written to " << out << " in "
                  << cv::desmooth::apps::formatDuration(
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count())
                  << "\n";
        return 0;
    });
}
