// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// desmooth: recover the details of smoothed images, one file or a folder; or make smoothed inputs; or
// describe a model file.
//   desmooth --input smoothed.png --output recovered.png [--model FILE] [--strength 1] [--threads N]
//            [--smoother SPEC|auto [--auto-move-limit R]]
//   desmooth --input photos/ --output smoothed/ --smooth [--smoother l0:lambda=0.02,kappa=2]
//   desmooth --info model.yml.gz

#include "command_line.hpp"
#include "config_overrides.hpp"
#include "image_files.hpp"
#include "progress_bar.hpp"

#include <opencv2/core/utility.hpp>
#include <opencv2/desmooth.hpp>
#include <opencv2/imgcodecs.hpp>

#include <filesystem>
#include <iostream>
#include <memory>

namespace fs = std::filesystem;
namespace po = boost::program_options;

namespace {

struct Options
{
    std::string input, output, model, info;
    std::string smoother; //!< --smooth: what to apply ("" = l0); recovery: the known one, "auto", "" = blind
    double strength = 1.0;
    double detail = -1; //!< < 0: the model's default
    int threads = 0;
    int tile = -1; //!< < 0: the library's default (DESMOOTH_TILE_SIZE, else 1024)
    int selfEnsemble = 1;
    double autoMoveLimit = -1; //!< < 0: the library's default (DeSmoother::setAutoMoveLimit)
    bool smooth = false;
};

int describeModel(const std::string& path)
{
    const cv::desmooth::Model model =
        path == "bundled" ? cv::desmooth::readBundledModel() : cv::desmooth::readModelFile(path);
    const cv::desmooth::ModelConfig& c = model.config;
    long long parameters = 0;
    for (const auto& weight : model.weights)
        parameters += (long long)weight.second.total();
    std::cout << "model " << path << "\n"
              << "  config: " << c.name << " (" << c.architecture << " architecture, "
              << cv::desmooth::apps::ConfigOverrides::describe(c) << ", SFT " << (c.sft ? "on" : "off")
              << ", mlp_ratio " << c.mlpRatio << (c.residual ? ", residual output" : "") << ")\n"
              << "  parameters: " << parameters << " in " << model.weights.size() << " tensors\n"
              << "  smoother: L0 lambda " << c.smootherLambda << ", kappa " << c.smootherKappa << "\n"
              << "  detail: "
              << (model.detailWeights.empty()
                      ? std::string("one end only (--detail 0)")
                      : cv::format("two ends (fidelity 0 .. detail 1), default %g", model.defaultDetail))
              << "\n";
    if (!model.train.empty()) std::cout << "  training:\n";
    for (const auto& entry : model.train)
        std::cout << "    " << entry.first << ": " << entry.second << "\n";
    return 0;
}

/** How "auto"'s steps toward its estimate were bounded, for its line: the move limit, where there is one. */
std::string movedNote(double autoMoveLimit)
{
    return autoMoveLimit > 0
               ? cv::format("; the recovery made consistent with it, moved at most %g times as far "
                            "as the network moved it",
                            autoMoveLimit)
               : "; the recovery made consistent with it";
}

/** A known L0 smoother given with the circular border for an input that shows cv::ximgproc::l0Smooth's
 * (cv::desmooth::withL0BorderOf): the steps then enforce a smoother that did not make it (docs/results.md),
 * and the user may not know the spec's border=1. A note, not an error: a photo with a drawn frame shows the
 * same mark. */
void warnOfL0Border(const std::string& input, const cv::Mat& image,
                    const cv::Ptr<cv::desmooth::Smoother>& given)
{
    const cv::Ptr<cv::desmooth::Smoother> shown = cv::desmooth::withL0BorderOf(given, image);
    if (shown == given) return;
    std::cerr << "desmooth: note: " << input
              << " shows cv::ximgproc::l0Smooth's border (cv::desmooth::estimateL0Border); if that function "
                 "made it, give --smoother "
              << shown->describe() << "\n";
}

/** Recovers (or smooths) one image file into another; 16-bit stays 16-bit. With `autoPicked`, "auto" also
 * says there what it enforced ("" where it recovered blind). */
void processFile(const std::string& input, const std::string& output, const Options& o,
                 const cv::Ptr<cv::desmooth::DeSmoother>& desmoother,
                 const cv::Ptr<cv::desmooth::Smoother>& smoother, std::string* autoPicked = nullptr)
{
    const cv::Mat image = cv::imread(input, cv::IMREAD_UNCHANGED);
    if (image.empty()) throw std::runtime_error("cannot read an image from '" + input + "'");
    cv::Mat result;
    if (o.smooth)
        smoother->apply(image, result);
    else if (o.smoother == "auto") {
        const std::string picked = desmoother->recoverAuto(image, result); // estimated per image
        if (autoPicked) *autoPicked = picked;
    } else {
        desmoother->recover(image, result); // with setSmoother()'s smoother, if any
        if (const auto given = desmoother->getSmoother()) warnOfL0Border(input, image, given);
    }
    const fs::path parent = fs::path(output).parent_path();
    if (!parent.empty()) fs::create_directories(parent);
    bool written = false;
    try {
        written = cv::imwrite(output, result);
    } catch (const cv::Exception& e) {
        throw std::runtime_error("cannot write '" + output + "': " + e.err);
    }
    if (!written)
        throw std::runtime_error("cannot write '" + output + "'" +
                                 (result.depth() == CV_16U ? " (a 16-bit image needs .png or .tif)" : ""));
}

int run(const Options& o)
{
    if (o.threads > 0) cv::setNumThreads(o.threads);
    if (!o.info.empty()) return describeModel(o.info);
    cv::Ptr<cv::desmooth::DeSmoother> desmoother;
    cv::Ptr<cv::desmooth::Smoother> smoother;
    if (o.smooth) {
        smoother = cv::desmooth::Smoother::create(o.smoother.empty() ? "l0" : o.smoother);
    } else {
        desmoother = cv::desmooth::DeSmoother::create(o.model);
        desmoother->setStrength(o.strength);
        if (o.detail >= 0) desmoother->setDetail(o.detail);
        if (o.tile >= 0) desmoother->setTileSize(o.tile);
        desmoother->setSelfEnsemble(o.selfEnsemble);
        if (o.autoMoveLimit >= 0) desmoother->setAutoMoveLimit(o.autoMoveLimit); // it checks the range
        if (!o.smoother.empty() && o.smoother != "auto")
            desmoother->setSmoother(cv::desmooth::Smoother::create(o.smoother)); // a bad spec fails now
    }
    const char* verb = o.smooth ? "smoothed" : "recovered";
    if (fs::exists(o.input) && fs::exists(o.output) && fs::equivalent(o.input, o.output))
        throw std::runtime_error("--output '" + o.output + "' is the input itself: the " + verb +
                                 " result would replace it; give another --output");
    if (!fs::is_directory(o.input)) {
        if (!fs::exists(o.input)) throw std::runtime_error("'" + o.input + "' does not exist");
        // One image: its units of work on a bar where there are several (a large image's tiles, a known
        // smoother's steps), since those can take minutes.
        std::unique_ptr<cv::desmooth::apps::ProgressBar> steps;
        if (desmoother)
            desmoother->setProgressCallback([&steps](int done, int total) {
                if (total <= 1) return;
                if (!steps)
                    steps = std::make_unique<cv::desmooth::apps::ProgressBar>(
                        total, "steps (network tiles, smoother calls)");
                steps->update(done);
                if (done == total) steps->finish();
            });
        std::string autoPicked;
        const cv::TickMeter timer = [&] {
            cv::TickMeter t;
            t.start();
            processFile(o.input, o.output, o, desmoother, smoother, &autoPicked);
            t.stop();
            return t;
        }();
        std::cout
            << verb << " " << o.input << " -> " << o.output << " in "
            << cv::format("%.0f", timer.getTimeMilli()) << " ms"
            << (o.smoother != "auto" ? ""
                : autoPicked.empty()
                    ? " (auto: recovered blind: the input was saved as JPEG, or no smoother explains it)"
                    : " (auto: estimated " + autoPicked + movedNote(desmoother->getAutoMoveLimit()) + ")")
            << "\n";
        return 0;
    }
    if (fs::exists(o.output) && !fs::is_directory(o.output))
        throw std::runtime_error("--input is a folder, so --output must be one too, not the file '" +
                                 o.output + "'");
    const std::vector<std::string> files = cv::desmooth::apps::listImages(o.input);
    if (files.empty()) throw std::runtime_error("no images under '" + o.input + "'");
    cv::desmooth::apps::ProgressBar progress(long(files.size()), "images");
    int failures = 0;
    for (size_t i = 0; i < files.size(); ++i) {
        progress.update(long(i), files[i]);
        try {
            processFile((fs::path(o.input) / files[i]).string(), (fs::path(o.output) / files[i]).string(), o,
                        desmoother, smoother);
        } catch (const std::exception& e) {
            progress.finish();
            std::cerr << "desmooth: " << e.what() << "\n";
            ++failures;
        }
    }
    progress.update(long(files.size()));
    progress.finish();
    std::cout << verb << " " << files.size() - failures << " of " << files.size() << " images from "
              << o.input << " into " << o.output << "\n";
    return failures ? 1 : 0;
}

} // namespace

int main(int argc, char** argv)
{
    Options o;
    po::options_description options("desmooth: recover the details of smoothed images (DeSmoothGAN)");
    // One statement per option, so that each help text stays beside its option.
    po::options_description_easy_init add = options.add_options();
    add("help,h", "show this help");
    add("input,i", po::value(&o.input), "smoothed image, or a folder of them (searched recursively)");
    add("output,o", po::value(&o.output), "recovered image, or a folder (mirrors the input's tree)");
    add("model,m", po::value(&o.model), "model file (default: the bundled model)");
    add("strength", po::value(&o.strength)->default_value(o.strength), "0 = the input, 1 = full recovery");
    add("detail", po::value(&o.detail),
        "fidelity-detail setting of a model with two ends: 0 = closest to the photo, 1 = most texture "
        "(default: the model's own)");
    add("threads", po::value(&o.threads)->default_value(o.threads), "OpenCV threads (0: all cores)");
    add("tile", po::value(&o.tile),
        "recover images with a side above this many pixels in overlapping tiles, which bounds memory (0: "
        "never; "
        "else >= 256; default DESMOOTH_TILE_SIZE or 1024)");
    add("self-ensemble", po::value(&o.selfEnsemble)->default_value(o.selfEnsemble),
        "run the network on 1, 2, 4 or 8 flips and transposes of the image and average them: a little more "
        "PSNR for that many times the time");
    add("smooth", po::bool_switch(&o.smooth),
        "write the smoothed image instead: makes test inputs from photos");
    add("smoother", po::value(&o.smoother),
        "the smoother that made the input, when it is known (recovery then enforces consistency with it), "
        "or auto (estimated per image; blind where the input shows JPEG's block grid); with --smooth the one "
        "to apply (default l0): l0, fgs, bilateral, "
        "guided, edge_preserving, gaussian, median, rolling_guidance or domain_transform, with parameters, "
        "e.g. "
        "l0:lambda=0.02,kappa=2 (cv::desmooth::Smoother::create's syntax; l0:...,border=1 is "
        "cv::ximgproc::l0Smooth's output)");
    add("auto-move-limit", po::value(&o.autoMoveLimit),
        cv::format(
            "with --smoother auto: its steps move the network's recovery at most this many times as far "
            "as the network moved the input (0: no limit; default: the library's, %g)",
            cv::desmooth::DESMOOTHER_DEFAULT_AUTO_MOVE_LIMIT)
            .c_str());
    add("info", po::value(&o.info),
        "print a model file's configuration and training metadata (\"bundled\": the built-in model), then "
        "exit");
    const auto code = cv::desmooth::apps::parseCommandLine(
        argc, argv, "desmooth", options, [&](const po::variables_map& vm) {
            if (vm.count("info")) return;
            if (o.input.empty() || o.output.empty())
                throw po::error("--input and --output are required (or --info)");
            if (!(o.strength >= 0 && o.strength <= 1)) throw po::error("--strength must be in [0, 1]");
            if (vm.count("detail") && !(o.detail >= 0 && o.detail <= 1))
                throw po::error("--detail must be in [0, 1]");
            if (o.threads < 0) throw po::error("--threads must be >= 0");
            if (vm.count("tile") && o.tile != 0 && o.tile < 256)
                throw po::error("--tile must be 0 (never tile) or >= 256");
            if (o.selfEnsemble != 1 && o.selfEnsemble != 2 && o.selfEnsemble != 4 && o.selfEnsemble != 8)
                throw po::error("--self-ensemble must be 1, 2, 4 or 8");
            if (o.smooth && o.smoother == "auto")
                throw po::error("--smoother auto estimates a smoother for recovery; --smooth needs one");
            if (vm.count("auto-move-limit") && (o.smooth || o.smoother != "auto"))
                throw po::error("--auto-move-limit bounds --smoother auto's steps: give --smoother auto");
            if (vm.count("auto-move-limit") && !(o.autoMoveLimit >= 0))
                throw po::error("--auto-move-limit must be >= 0 (0: no limit)");
        });
    if (code) return *code;
    return cv::desmooth::apps::runReportingErrors("desmooth", [&] { return run(o); });
}
