// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// desmooth_eval: scores de-smoothing methods on a folder of photos as the paper's Table 1 does. Each photo is
// smoothed (L0 by default), every method recovers it, and SC, SSIM, PSNR, LPIPS and the time are recorded.
//   desmooth_eval --photos data/photos_fetched --list data/splits/held_out.txt --model runs/full/model.yml.gz
//                 --csv scores.csv --grid grid.png

#include "command_line.hpp"
#include "comparison_grid.hpp"
#include "image_files.hpp"
#include "progress_bar.hpp"
#include "recovery_methods.hpp"
#include "score_table.hpp"

#include <opencv2/core/utility.hpp>
#include <opencv2/desmooth.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <sstream>

namespace fs = std::filesystem;
namespace po = boost::program_options;

namespace {

struct Options
{
    std::string photos, list, methods = "identity,unsharp,model", unsharp = "auto", lpips, csv, grid,
                              gridPhoto, details, autoIterations, autoMoveLimits, reverseMethods,
                              reverseIterations, selfEnsemble;
    std::string
        smoothedFolder; //!< --smoothed: inputs made elsewhere, beside the photos; "" = smooth them here
    bool smootherGiven = false; //!< whether --smoother was given (with --smoothed: what made those inputs)
    std::vector<std::string> models, smoothers{"l0"};
    std::vector<int> maxSides{0};
    std::vector<int> autoIterationCounts;        //!< --auto-iterations, parsed; empty: the library's default
    std::vector<double> autoMoveLimitRatios{-1}; //!< --auto-move-limits, parsed; -1: the library's default
    std::vector<int> reverseSchemes{-1};         //!< --reverse-methods, parsed; -1: reverseFilter's default
    std::vector<int> reverseCounts{-1}; //!< --reverse-iterations, parsed; -1: reverseFilter's default
    std::vector<double> detailSettings; //!< --detail, parsed; empty: each model's default
    std::vector<int> selfEnsembles{1};  //!< --self-ensemble, parsed
    int threads = 0;
    int jpegQuality = 0;      //!< 0: the smoothed inputs stay lossless
    bool reverseStop = false; //!< --reverse-stop: each reverse row also stopped within the rounding
    bool knownFromRecoveryAlone = false; //!< --known-from-recovery-alone: a row beside each model+known
};

// The family of smoothers that `--smoother family` scores: L0 at three strengths, and four edge-preserving
// filters people meet in practice (docs/results.md).
const std::vector<std::string>& smootherFamily()
{
    static const std::vector<std::string> family{"l0:lambda=0.01,kappa=2",
                                                 "l0:lambda=0.02,kappa=2",
                                                 "l0:lambda=0.04,kappa=2",
                                                 "fgs:lambda=100,sigma=5",
                                                 "bilateral:d=9,sigma_color=50,sigma_space=5",
                                                 "guided:radius=4,eps=400",
                                                 "edge_preserving:sigma_s=60,sigma_r=0.4"};
    return family;
}

// `--smoother untrained`: four kinds no model here trained on, at everyday strengths (docs/results.md).
const std::vector<std::string>& untrainedSmoothers()
{
    static const std::vector<std::string> untrained{
        "gaussian:sigma=1.5", "median:ksize=5", "rolling_guidance:sigma_color=25,sigma_space=3,iterations=4",
        "domain_transform:sigma_s=30,sigma_r=40"};
    return untrained;
}

//! The specs of a named list, as --help shows them.
std::string listed(const std::vector<std::string>& specs)
{
    std::string text;
    for (size_t i = 0; i < specs.size(); ++i)
        text += (i == 0 ? "" : i + 1 == specs.size() ? " and " : ", ") + specs[i];
    return text;
}

std::vector<std::string> expandSmoothers(const std::vector<std::string>& specs)
{
    std::vector<std::string> all;
    for (const std::string& spec : specs) {
        const std::vector<std::string>* named = spec == "family"      ? &smootherFamily()
                                                : spec == "untrained" ? &untrainedSmoothers()
                                                                      : nullptr;
        if (named)
            all.insert(all.end(), named->begin(), named->end());
        else
            all.push_back(spec);
    }
    return all;
}

std::vector<std::string> selectPhotos(const Options& o)
{
    if (o.list.empty()) return cv::desmooth::apps::listImages(o.photos);
    std::vector<std::string> files = cv::desmooth::apps::readFileList(o.list);
    for (const std::string& file : files)
        if (!fs::is_regular_file(fs::path(o.photos) / file))
            throw std::runtime_error("'" + file + "' from " + o.list + " is not under " + o.photos);
    return files;
}

/** --smoothed: each photo's smoothed input, by the same relative path or, failing that, the same one but for
 * the extension (photos are often JPEG and their smoothed copies PNG). One missing, or two that could be it,
 * fail now, before any table. */
std::vector<std::string> pairSmoothedInputs(const Options& o, const std::vector<std::string>& names)
{
    std::map<std::string, std::vector<std::string>> byStem;
    for (const std::string& file : cv::desmooth::apps::listImages(o.smoothedFolder))
        byStem[fs::path(file).replace_extension().string()].push_back(file);
    std::vector<std::string> paths;
    for (const std::string& name : names) {
        const fs::path same = fs::path(o.smoothedFolder) / name;
        if (fs::is_regular_file(same)) {
            paths.push_back(same.string());
            continue;
        }
        const auto found = byStem.find(fs::path(name).replace_extension().string());
        if (found == byStem.end())
            throw std::runtime_error("no smoothed input for the photo '" + name + "' under " +
                                     o.smoothedFolder + " (the same relative path, any image extension)");
        if (found->second.size() > 1)
            throw std::runtime_error("two smoothed inputs under " + o.smoothedFolder +
                                     " could pair with the photo '" + name + "': '" + found->second[0] +
                                     "' and '" + found->second[1] + "'");
        paths.push_back((fs::path(o.smoothedFolder) / found->second.front()).string());
    }
    return paths;
}

using NamedModels = std::vector<std::pair<std::string, cv::desmooth::Model>>;

// Every --model (default: the bundled one), read once for all the tables: a model file takes about a second
// to parse.
NamedModels readModels(const Options& o)
{
    NamedModels models;
    if (o.models.empty()) models.emplace_back("bundled", cv::desmooth::apps::readModel(""));
    for (const std::string& argument : o.models) {
        const auto named = cv::desmooth::apps::parseModelArgument(argument);
        models.emplace_back(named.first, cv::desmooth::apps::readModel(named.second));
    }
    return models;
}

const std::vector<std::string>& knownMethods()
{
    static const std::vector<std::string> known{"identity", "unsharp",     "reverse",
                                                "model",    "model+known", "model+auto"};
    return known;
}

bool usesModels(const std::string& method)
{
    return method.compare(0, 5, "model") == 0;
}

// The photos of one table and their smoothed copies. Each is read, smoothed and dropped in turn, so a run
// holds one photo and its recoveries at a time (at full resolution every photo of the set took gigabytes);
// only a method that tunes itself on the whole set (`--unsharp auto`) makes it hold them all.
class TableInputs
{
public:
    /** `smoothedPaths`: --smoothed's inputs, one a photo (else each photo is smoothed by `smoother`). */
    TableInputs(const Options& o, const std::vector<std::string>& names, int maxSide,
                cv::desmooth::Smoother& smoother, const std::vector<std::string>& smoothedPaths)
        : o_(o), names_(names), maxSide_(maxSide), smoother_(smoother), smoothedPaths_(smoothedPaths)
    {
    }

    //! The photo and its smoothed copy (saved as JPEG first with --jpeg-quality).
    std::pair<cv::Mat, cv::Mat> at(size_t p) const
    {
        if (!photos_.empty()) return {photos_[p], smoothed_[p]};
        std::pair<cv::Mat, cv::Mat> pair;
        const std::string photoPath = (fs::path(o_.photos) / names_[p]).string();
        if (smoothedPaths_.empty()) {
            pair.first = cv::desmooth::apps::loadPhoto(photoPath, maxSide_);
            smoother_.apply(pair.first, pair.second);
        } else {
            // Compared as read: an input smoothed at another resolution may still downscale to the photo's
            // size, and would then be scored against a photo it was never made from.
            pair.first = cv::desmooth::apps::loadPhoto(photoPath, 0);
            pair.second = cv::desmooth::apps::loadPhoto(smoothedPaths_[p], 0);
            if (pair.second.size() != pair.first.size())
                throw std::runtime_error(cv::format(
                    "the smoothed input '%s' is %dx%d, its photo '%s' %dx%d", smoothedPaths_[p].c_str(),
                    pair.second.cols, pair.second.rows, photoPath.c_str(), pair.first.cols, pair.first.rows));
            pair.first = cv::desmooth::apps::fitLongSide(pair.first, maxSide_);
            pair.second = cv::desmooth::apps::fitLongSide(pair.second, maxSide_);
        }
        if (o_.jpegQuality) pair.second = cv::desmooth::apps::throughJpeg(pair.second, o_.jpegQuality);
        return pair;
    }

    //! Every photo and smoothed copy at once, for a method that tunes itself on the set.
    void holdAll()
    {
        if (!photos_.empty()) return;
        cv::desmooth::apps::ProgressBar progress(long(names_.size()), "photos smoothed");
        std::vector<cv::Mat> photos, smoothed;
        for (size_t i = 0; i < names_.size(); ++i) {
            progress.update(long(i), names_[i]);
            const std::pair<cv::Mat, cv::Mat> pair = at(i);
            photos.push_back(pair.first);
            smoothed.push_back(pair.second);
        }
        progress.update(long(names_.size()));
        progress.finish();
        photos_ = std::move(photos);
        smoothed_ = std::move(smoothed);
    }
    const std::vector<cv::Mat>& heldPhotos() const { return photos_; }
    const std::vector<cv::Mat>& heldSmoothed() const { return smoothed_; }

private:
    const Options& o_;
    const std::vector<std::string>& names_;
    int maxSide_;
    cv::desmooth::Smoother& smoother_;
    const std::vector<std::string>& smoothedPaths_;
    std::vector<cv::Mat> photos_, smoothed_; //!< empty unless holdAll()
};

// A model row of the evaluator's table: its label and how the model recovers for it.
struct ModelRow
{
    std::string label;
    cv::desmooth::apps::ModelSettings settings;
};

// Each of `rows` once for every one of `values`, in that order, changed by `apply` (its setting and label):
// applied once per option, the rows are every combination of the options' lists.
template <typename Value, typename Apply>
std::vector<ModelRow> eachWith(const std::vector<ModelRow>& rows, const std::vector<Value>& values,
                               Apply apply)
{
    std::vector<ModelRow> combined;
    for (const ModelRow& row : rows)
        for (const Value& value : values) {
            ModelRow changed = row;
            apply(changed, value);
            combined.push_back(changed);
        }
    return combined;
}

std::vector<cv::desmooth::apps::RecoveryMethod>
makeMethods(const Options& o, const NamedModels& models, TableInputs& inputs, const std::string& smootherSpec)
{
    std::vector<cv::desmooth::apps::RecoveryMethod> methods;
    for (const std::string& method : cv::desmooth::apps::splitList(o.methods)) {
        if (method == "identity") {
            methods.push_back(cv::desmooth::apps::identityMethod());
        } else if (method == "unsharp") {
            std::pair<double, double> parameters;
            if (o.unsharp == "auto") {
                inputs.holdAll();
                parameters = cv::desmooth::apps::tuneUnsharp(inputs.heldSmoothed(), inputs.heldPhotos());
            } else {
                const std::vector<std::string> values = cv::desmooth::apps::splitList(o.unsharp);
                parameters = {std::stod(values.at(0)), std::stod(values.at(1))};
            }
            methods.push_back(cv::desmooth::apps::unsharpMethod(parameters.first, parameters.second));
        } else if (method == "reverse") {
            // A row for each scheme and count of --reverse-methods x --reverse-iterations (and stopped, with
            // --reverse-stop).
            for (int scheme : o.reverseSchemes)
                for (int count : o.reverseCounts)
                    for (bool stop : {false, true})
                        if (!stop || o.reverseStop)
                            methods.push_back(
                                cv::desmooth::apps::reverseMethod(smootherSpec, scheme, count, stop));
        } else if (usesModels(method)) {
            // model: blind; model+known: given the smoother that made the inputs; model+auto: estimating it.
            const std::string smoother = method == "model+known"  ? smootherSpec
                                         : method == "model+auto" ? "auto"
                                                                  : "";
            const std::string suffix = method == "model" ? "" : method.substr(5);
            // --auto-iterations, --auto-move-limits: a model+auto row for each count and limit (labelled with
            // them); else the defaults.
            const std::vector<int> steps = method == "model+auto" && !o.autoIterationCounts.empty()
                                               ? o.autoIterationCounts
                                               : std::vector<int>{-1};
            const std::vector<double> limits =
                method == "model+auto" ? o.autoMoveLimitRatios : std::vector<double>{-1};
            // --known-from-recovery-alone: a model+known row also with the steps from the recovery alone.
            const std::vector<bool> fromInput = method == "model+known" && o.knownFromRecoveryAlone
                                                    ? std::vector<bool>{true, false}
                                                    : std::vector<bool>{true};
            for (const auto& named : models) {
                std::vector<ModelRow> rows;
                for (double t : cv::desmooth::apps::detailSettings(named.second, o.detailSettings)) {
                    ModelRow row{
                        (t < 0 ? named.first : cv::format("%s t=%g", named.first.c_str(), t)) + suffix, {}};
                    row.settings.detail = t;
                    row.settings.smoother = smoother;
                    rows.push_back(row);
                }
                rows = eachWith(rows, steps, [](ModelRow& row, int n) {
                    row.settings.autoIterations = n;
                    if (n >= 0) row.label += cv::format(" (%d steps)", n);
                });
                rows = eachWith(rows, limits, [](ModelRow& row, double limit) {
                    row.settings.autoMoveLimit = limit;
                    if (limit >= 0) row.label += cv::format(" (move limit %g)", limit);
                });
                rows = eachWith(rows, o.selfEnsembles, [](ModelRow& row, int e) {
                    row.settings.selfEnsemble = e;
                    if (e != 1) row.label += cv::format(" (self-ensemble %d)", e);
                });
                rows = eachWith(rows, fromInput, [](ModelRow& row, bool input) {
                    row.settings.consistencyFromInput = input;
                    if (!input) row.label += " (from the recovery alone)";
                });
                for (const ModelRow& row : rows)
                    methods.push_back(cv::desmooth::apps::modelMethod(row.label, named.second, row.settings));
            }
        }
    }
    return methods;
}

// One table: the photos at one scale, smoothed by one smoother (or --smoothed's inputs, made by
// `smootherSpec` where it is not empty), recovered by every method.
void scoreOne(const Options& o, const NamedModels& models, const std::vector<std::string>& names, int maxSide,
              const std::string& smootherSpec, const std::vector<std::string>& smoothedPaths,
              std::ofstream& csv, bool writeGrid)
{
    // SC needs the smoother that made the inputs; where no one says which, "none" stands in (it costs
    // nothing) and SC is n/a.
    const bool smootherKnown = !smootherSpec.empty();
    const cv::Ptr<cv::desmooth::Evaluator> evaluator = cv::desmooth::Evaluator::create(
        cv::desmooth::Smoother::create(smootherKnown ? smootherSpec : "none"), o.lpips);
    const std::string scale =
        (maxSide > 0 ? cv::format("long side <= %d", maxSide) : "full resolution") +
        (o.jpegQuality ? cv::format(" (inputs as JPEG at quality %d)", o.jpegQuality) : "");
    const std::string smoothedBy =
        smoothedPaths.empty() ? "smoothed by " + evaluator->getSmoother()->describe()
                              : "smoothed inputs from " + o.smoothedFolder +
                                    (smootherKnown ? " (made by " + evaluator->getSmoother()->describe() + ")"
                                                   : " (smoother not given: SC n/a)");
    const std::string csvSmoother = smootherKnown ? smootherSpec : "unknown";
    TableInputs inputs(o, names, maxSide, *evaluator->getSmoother(), smoothedPaths);
    const std::vector<cv::desmooth::apps::RecoveryMethod> methods =
        makeMethods(o, models, inputs, smootherSpec);
    cv::desmooth::apps::ScoreTable table;
    for (const auto& method : methods)
        table.addMethod(method.name, method.parameters);
    const std::string gridPhoto = o.gridPhoto.empty() ? names.front() : o.gridPhoto;
    double photoBrisque = 0;
    int photosWithBrisque = 0; // BRISQUE is NaN under 16x16 or without its model files: the mean skips those
    cv::desmooth::apps::ProgressBar progress(long(names.size() * methods.size()), "recoveries scored");
    for (size_t p = 0; p < names.size(); ++p) {
        progress.update(long(p * methods.size()), names[p] + " (smoothing)");
        const auto [photo, smoothed] = inputs.at(p);
        const double ownBrisque = evaluator->brisqueOf(photo);
        if (std::isfinite(ownBrisque)) {
            photoBrisque += ownBrisque;
            ++photosWithBrisque;
        }
        std::vector<std::pair<std::string, cv::Mat>> recoveries;
        for (size_t m = 0; m < methods.size(); ++m) {
            progress.update(long(p * methods.size() + m), names[p] + " / " + methods[m].name);
            cv::TickMeter timer;
            timer.start();
            const cv::Mat recovered = methods[m].recover(smoothed);
            timer.stop();
            cv::desmooth::Scores scores = evaluator->evaluate(recovered, smoothed, photo);
            if (!smootherKnown) scores.sc = std::numeric_limits<double>::quiet_NaN();
            table.add(m, scores, timer.getTimeMilli());
            if (csv.is_open())
                cv::desmooth::apps::writeCsvRow(csv, scale, csvSmoother, names[p], methods[m].name, scores,
                                                timer.getTimeMilli());
            if (names[p] == gridPhoto && methods[m].name != "identity") // the grid shows the input anyway
                recoveries.emplace_back(methods[m].name, recovered);
        }
        if (writeGrid && names[p] == gridPhoto &&
            !cv::imwrite(o.grid, cv::desmooth::apps::comparisonGrid(smoothed, recoveries, photo)))
            throw std::runtime_error("cannot write the grid '" + o.grid + "'");
    }
    progress.update(long(names.size() * methods.size()));
    progress.finish();

    std::cout << "### " << names.size() << " photos from " << o.photos
              << (o.list.empty() ? "" : " (" + o.list + ")") << ", " << scale << ", " << smoothedBy << "\n\n"
              << "BRISQUE of the photos themselves: "
              << (photosWithBrisque ? cv::format("%.1f", photoBrisque / photosWithBrisque)
                                    : std::string("n/a"))
              << (evaluator->hasLpips() ? "" : "; LPIPS n/a (no --lpips)") << "\n\n";
    table.printMarkdown(std::cout);
    std::cout << std::endl;
}

int run(const Options& o)
{
    if (o.threads > 0) cv::setNumThreads(o.threads);
    const std::vector<std::string> names = selectPhotos(o);
    if (names.empty()) throw std::runtime_error("no photos under '" + o.photos + "'");
    // With --smoothed, one table a scale: the inputs are given, made by the one --smoother if any.
    const std::vector<std::string> smoothers =
        o.smoothedFolder.empty() ? expandSmoothers(o.smoothers)
                                 : std::vector<std::string>{o.smootherGiven ? o.smoothers.front() : ""};
    const std::vector<std::string> methodNames = cv::desmooth::apps::splitList(o.methods);
    const NamedModels models =
        std::any_of(methodNames.begin(), methodNames.end(), usesModels) ? readModels(o) : NamedModels();
    for (const std::string& spec : smoothers)
        if (!spec.empty()) cv::desmooth::Smoother::create(spec); // a bad spec fails now, not after a table
    std::ofstream csv;
    if (!o.csv.empty()) {
        csv.open(o.csv);
        if (!csv) throw std::runtime_error("cannot write '" + o.csv + "'");
        cv::desmooth::apps::writeCsvHeader(csv);
    }
    const std::string gridPhoto = o.gridPhoto.empty() ? names.front() : o.gridPhoto;
    if (!o.grid.empty() && std::find(names.begin(), names.end(), gridPhoto) == names.end())
        throw std::runtime_error("--grid-photo '" + gridPhoto + "' is not among the photos scored");

    // Photos (and --smoothed's inputs) are read as each table reaches them; one no codec can read fails now,
    // not hours in.
    const auto requireReadable = [](const std::string& path) {
        if (!cv::haveImageReader(path)) throw std::runtime_error("cannot read an image from '" + path + "'");
    };
    for (const std::string& name : names)
        requireReadable((fs::path(o.photos) / name).string());
    const std::vector<std::string> smoothedPaths =
        o.smoothedFolder.empty() ? std::vector<std::string>() : pairSmoothedInputs(o, names);
    for (const std::string& path : smoothedPaths)
        requireReadable(path);
    for (size_t s = 0; s < o.maxSides.size(); ++s)
        for (size_t k = 0; k < smoothers.size(); ++k)
            scoreOne(o, models, names, o.maxSides[s], smoothers[k], smoothedPaths, csv,
                     !o.grid.empty() && s == 0 && k == 0);
    if (csv.is_open()) std::cout << "per-photo scores: " << o.csv << "\n";
    if (!o.grid.empty()) std::cout << "comparison grid (" << gridPhoto << "): " << o.grid << "\n";
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    // Scores must not depend on FFTW's timing measurements: a measured plan (and the wisdom that keeps it)
    // can change L0Smooth's output in the last bits, and with it the L0 rows. Estimated plans, which read no
    // wisdom file, are the same every run on every machine.
    cv::desmooth::setL0FFTWPlanning(cv::desmooth::L0_FFTW_ESTIMATE);
    Options o;
    po::options_description options(
        "desmooth_eval: score de-smoothing methods on a folder of photos (paper Table 1)");
    // One statement per option, so that each help text stays beside its option.
    po::options_description_easy_init add = options.add_options();
    add("help,h", "show this help");
    add("photos", po::value(&o.photos)->required(), "folder of ground-truth photos, searched recursively");
    add("list", po::value(&o.list),
        "score only the photos this file lists (relative paths), e.g. a held-out split");
    add("model,m", po::value(&o.models)->composing(),
        "model file, or NAME=FILE; repeat for several (default: the bundled model)");
    add("methods", po::value(&o.methods)->default_value(o.methods),
        "comma-separated rows: identity (the smoothed input), unsharp (a tuned unsharp mask), reverse "
        "(reverse "
        "filtering with the table's smoother), model (each --model, blind), model+known (each --model given "
        "the table's smoother), model+auto (each --model estimating the smoother)");
    add("smoother", po::value(&o.smoothers)->composing(),
        (std::string(
             "what makes the inputs and SC's re-smoothing (repeat for a table each; default l0): l0, fgs, "
             "bilateral, guided, edge_preserving, gaussian, median, rolling_guidance or domain_transform "
             "with parameters, e.g. l0:lambda=0.02,kappa=2  fgs:lambda=100,sigma=5  "
             "bilateral:d=9,sigma_color=50,sigma_space=5  guided:radius=4,eps=400  "
             "edge_preserving:sigma_s=60,sigma_r=0.4  gaussian:sigma=1.5  median:ksize=5; or family: ") +
         listed(smootherFamily()) + "; or untrained: " + listed(untrainedSmoothers()) +
         ", kinds the models never trained on")
            .c_str());
    add("smoothed", po::value(&o.smoothedFolder),
        "a folder of smoothed inputs made elsewhere (by any smoother, one of these or not), each beside its "
        "photo by relative path (any image extension), recovered instead of smoothing the photos here: one "
        "table a scale; --smoother then names what made them, if known (SC, reverse and model+known need it; "
        "without it SC is n/a)");
    add("detail", po::value(&o.details),
        "comma-separated fidelity-detail settings (0..1) to score each model at, e.g. 0,0.5,1 (a model with "
        "one end is scored at 0 only); default: the model's own");
    add("auto-iterations", po::value(&o.autoIterations),
        "comma-separated numbers of consistency steps (>= 0) to score model+auto with, a row each, e.g. "
        "1,2,5; default: the library's (DeSmoother::setAutoIterations)");
    add("auto-move-limits", po::value(&o.autoMoveLimits),
        "comma-separated limits on how far model+auto's steps may move the network's recovery, in multiples "
        "of the network's own move from the input (0: none), a row each, e.g. 0,0.75,1; default: the "
        "library's (DeSmoother::setAutoMoveLimit)");
    add("reverse-methods", po::value(&o.reverseMethods),
        "comma-separated reverse filtering schemes to score the reverse row with, a row each with each "
        "--reverse-iterations count: t (zero-order, Tao et al.), tda (Galetto and Deng's gradient descent), "
        "nesterov (t with momentum); needs --reverse-iterations; default: reverseFilter's");
    add("reverse-iterations", po::value(&o.reverseIterations),
        "comma-separated iteration counts (>= 0) to score the reverse row with, a row each, e.g. 3,5,8; "
        "default: reverseFilter's");
    add("reverse-stop", po::bool_switch(&o.reverseStop),
        "score each reverse row also stopped within the input's rounding (reverseFilter's stopAtRounding), "
        "a row beside it");
    add("known-from-recovery-alone", po::bool_switch(&o.knownFromRecoveryAlone),
        "score each model+known row also with its consistency steps from the network's recovery alone "
        "(DeSmoother::setConsistencyFromInput(false)), a row beside it");
    add("self-ensemble", po::value(&o.selfEnsemble),
        "comma-separated self-ensemble sizes (1, 2, 4 or 8: DeSmoother::setSelfEnsemble) to score each model "
        "row with, a row each, e.g. 1,8; default: 1");
    add("unsharp", po::value(&o.unsharp)->default_value(o.unsharp),
        "SIGMA,AMOUNT of the unsharp mask, or auto: the best mean PSNR on these photos (a grid search)");
    add("lpips", po::value(&o.lpips),
        "LPIPS description file (see cv::desmooth::Lpips); without it LPIPS is n/a");
    add("csv", po::value(&o.csv),
        "write per-photo scores: scale,smoother,photo,method,sc,ssim,psnr,lpips,gmsd,brisque,detail,ms");
    add("grid", po::value(&o.grid),
        "write a comparison grid (paper Fig. 7) of one photo as PNG (first scale, first smoother)");
    add("grid-photo", po::value(&o.gridPhoto), "the photo of the grid (relative path; default: the first)");
    add("max-side", po::value(&o.maxSides)->multitoken()->composing(),
        "downscale larger photos (INTER_AREA) to this long side (0: never); several values: a table each");
    add("threads", po::value(&o.threads)->default_value(o.threads), "OpenCV threads (0: all cores)");
    add("jpeg-quality", po::value(&o.jpegQuality)->default_value(o.jpegQuality),
        "save each smoothed input as JPEG at this quality (1..100) before it is recovered and scored, "
        "as most images people share are; 0: lossless");
    const auto code = cv::desmooth::apps::parseCommandLine(
        argc, argv, "desmooth_eval", options, [&](const po::variables_map& vm) {
            for (const std::string& method : cv::desmooth::apps::splitList(o.methods))
                if (std::find(knownMethods().begin(), knownMethods().end(), method) == knownMethods().end())
                    throw po::error("unknown method '" + method +
                                    "' in --methods (identity, unsharp, reverse, model, model+known, "
                                    "model+auto)");
            if (cv::desmooth::apps::splitList(o.methods).empty())
                throw po::error("--methods lists no method");
            o.smootherGiven = vm.count("smoother") > 0;
            if (!o.smoothedFolder.empty()) {
                if (o.smootherGiven && expandSmoothers(o.smoothers).size() != 1)
                    throw po::error("--smoothed takes at most one --smoother: the one that made its inputs");
                for (const std::string& method : cv::desmooth::apps::splitList(o.methods))
                    if (!o.smootherGiven && (method == "reverse" || method == "model+known"))
                        throw po::error("--methods " + method +
                                        " needs the smoother that made --smoothed's inputs: give it as "
                                        "--smoother");
            }
            if (o.unsharp != "auto") {
                const std::vector<std::string> values = cv::desmooth::apps::splitList(o.unsharp);
                char* end = nullptr;
                if (values.size() != 2 || !(std::strtod(values[0].c_str(), &end) > 0) || *end ||
                    !(std::strtod(values[1].c_str(), &end) >= 0) || *end)
                    throw po::error("--unsharp must be auto or SIGMA,AMOUNT with SIGMA > 0 and AMOUNT >= 0");
            }
            for (int side : o.maxSides)
                if (side < 0) throw po::error("--max-side must be >= 0");
            if (o.maxSides.empty()) throw po::error("--max-side needs a value");
            if (o.threads < 0) throw po::error("--threads must be >= 0");
            if (o.jpegQuality < 0 || o.jpegQuality > 100) throw po::error("--jpeg-quality must be in 0..100");
            if (!o.autoIterations.empty()) {
                o.autoIterationCounts =
                    cv::desmooth::apps::parseIntList(o.autoIterations, "auto-iterations", 0, 1000, "1,2,5");
            }
            if (!o.autoMoveLimits.empty())
                o.autoMoveLimitRatios = cv::desmooth::apps::parseDoubleList(
                    o.autoMoveLimits, "auto-move-limits", 0, 1000, "0,0.75,1");
            if (!o.reverseIterations.empty())
                o.reverseCounts = cv::desmooth::apps::parseIntList(o.reverseIterations, "reverse-iterations",
                                                                   0, 1000, "3,5,8");
            if (!o.reverseMethods.empty()) {
                if (o.reverseIterations.empty())
                    throw po::error(
                        "--reverse-methods needs --reverse-iterations (the counts to run each with)");
                o.reverseSchemes.clear();
                for (const std::string& name : cv::desmooth::apps::splitList(o.reverseMethods)) {
                    try {
                        o.reverseSchemes.push_back(cv::desmooth::apps::reverseFilterMethodNamed(name));
                    } catch (const std::invalid_argument& e) {
                        throw po::error(std::string("--reverse-methods: ") + e.what());
                    }
                }
                if (o.reverseSchemes.empty()) throw po::error("--reverse-methods lists no method");
            }
            if (!o.selfEnsemble.empty()) {
                o.selfEnsembles =
                    cv::desmooth::apps::parseIntList(o.selfEnsemble, "self-ensemble", 1, 8, "1,8");
                for (int e : o.selfEnsembles)
                    if (e != 1 && e != 2 && e != 4 && e != 8)
                        throw po::error("--self-ensemble takes 1, 2, 4 or 8");
            }
            if (!o.details.empty())
                o.detailSettings = cv::desmooth::apps::parseDoubleList(o.details, "detail", 0, 1, "0,0.5,1");
        });
    if (code) return *code;
    return cv::desmooth::apps::runReportingErrors("desmooth_eval", [&] { return run(o); });
}
