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

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace fs = std::filesystem;
namespace po = boost::program_options;

namespace {

struct Options
{
    std::string photos, list, smoother = "l0", methods = "identity,unsharp,model", unsharp = "auto", lpips,
                              csv, grid, gridPhoto;
    std::vector<std::string> models;
    int maxSide = 0, threads = 0;
};

std::vector<std::string> splitList(const std::string& text)
{
    std::vector<std::string> items;
    std::stringstream stream(text);
    for (std::string item; std::getline(stream, item, ',');)
        if (!item.empty()) items.push_back(item);
    return items;
}

std::vector<std::string> selectPhotos(const Options& o)
{
    if (o.list.empty()) return desmooth_apps::listImages(o.photos);
    std::vector<std::string> files = desmooth_apps::readFileList(o.list);
    for (const std::string& file : files)
        if (!fs::is_regular_file(fs::path(o.photos) / file))
            throw std::runtime_error("'" + file + "' from " + o.list + " is not under " + o.photos);
    return files;
}

cv::Mat loadPhoto(const std::string& path, int maxSide)
{
    cv::Mat photo = cv::imread(path, cv::IMREAD_COLOR);
    if (photo.empty()) throw std::runtime_error("cannot read an image from '" + path + "'");
    const int side = std::max(photo.cols, photo.rows);
    if (maxSide > 0 && side > maxSide) {
        const double scale = double(maxSide) / side;
        cv::resize(photo, photo, cv::Size(), scale, scale, cv::INTER_AREA);
    }
    return photo;
}

int run(const Options& o)
{
    if (o.threads > 0) cv::setNumThreads(o.threads);
    const std::vector<std::string> names = selectPhotos(o);
    if (names.empty()) throw std::runtime_error("no photos under '" + o.photos + "'");
    const cv::Ptr<cv::desmooth::Evaluator> evaluator =
        cv::desmooth::Evaluator::create(cv::desmooth::Smoother::create(o.smoother), o.lpips);

    std::vector<cv::Mat> photos, smoothed;
    {
        desmooth_apps::ProgressBar progress(long(names.size()), "photos smoothed");
        for (size_t i = 0; i < names.size(); ++i) {
            progress.update(long(i), names[i]);
            photos.push_back(loadPhoto((fs::path(o.photos) / names[i]).string(), o.maxSide));
            cv::Mat input;
            evaluator->getSmoother()->apply(photos.back(), input);
            smoothed.push_back(input);
        }
        progress.update(long(names.size()));
        progress.finish();
    }

    std::vector<desmooth_eval::RecoveryMethod> methods;
    for (const std::string& method : splitList(o.methods)) {
        if (method == "identity") {
            methods.push_back(desmooth_eval::identityMethod());
        } else if (method == "unsharp") {
            std::pair<double, double> parameters;
            if (o.unsharp == "auto") {
                parameters = desmooth_eval::tuneUnsharp(smoothed, photos);
            } else {
                const std::vector<std::string> values = splitList(o.unsharp);
                parameters = {std::stod(values.at(0)), std::stod(values.at(1))};
            }
            methods.push_back(desmooth_eval::unsharpMethod(parameters.first, parameters.second));
        } else if (method == "model") {
            if (o.models.empty()) methods.push_back(desmooth_eval::modelMethod("bundled", ""));
            for (const std::string& argument : o.models) {
                const auto named = desmooth_eval::parseModelArgument(argument);
                methods.push_back(desmooth_eval::modelMethod(named.first, named.second));
            }
        }
    }

    desmooth_eval::ScoreTable table;
    for (const auto& method : methods)
        table.addMethod(method.name, method.parameters);
    std::ofstream csv;
    if (!o.csv.empty()) {
        csv.open(o.csv);
        if (!csv) throw std::runtime_error("cannot write '" + o.csv + "'");
        desmooth_eval::writeCsvHeader(csv);
    }
    const std::string gridPhoto = o.gridPhoto.empty() ? names.front() : o.gridPhoto;
    if (!o.grid.empty() && std::find(names.begin(), names.end(), gridPhoto) == names.end())
        throw std::runtime_error("--grid-photo '" + gridPhoto + "' is not among the photos scored");

    desmooth_apps::ProgressBar progress(long(names.size() * methods.size()), "recoveries scored");
    for (size_t p = 0; p < names.size(); ++p) {
        std::vector<std::pair<std::string, cv::Mat>> recoveries;
        for (size_t m = 0; m < methods.size(); ++m) {
            progress.update(long(p * methods.size() + m), names[p] + " / " + methods[m].name);
            cv::TickMeter timer;
            timer.start();
            const cv::Mat recovered = methods[m].recover(smoothed[p]);
            timer.stop();
            const cv::desmooth::Scores scores = evaluator->evaluate(recovered, smoothed[p], photos[p]);
            table.add(m, scores, timer.getTimeMilli());
            if (csv.is_open())
                desmooth_eval::writeCsvRow(csv, names[p], methods[m].name, scores, timer.getTimeMilli());
            if (names[p] == gridPhoto && methods[m].name != "identity") // the grid shows the input anyway
                recoveries.emplace_back(methods[m].name, recovered);
        }
        if (!o.grid.empty() && names[p] == gridPhoto &&
            !cv::imwrite(o.grid, desmooth_eval::comparisonGrid(smoothed[p], recoveries, photos[p])))
            throw std::runtime_error("cannot write the grid '" + o.grid + "'");
    }
    progress.update(long(names.size() * methods.size()));
    progress.finish();

    std::cout << names.size() << " photos from " << o.photos << (o.list.empty() ? "" : " (" + o.list + ")")
              << ", smoothed by " << evaluator->getSmoother()->describe()
              << (evaluator->hasLpips() ? "" : "; LPIPS n/a (no --lpips)") << "\n\n";
    table.printMarkdown(std::cout);
    if (csv.is_open()) std::cout << "\nper-photo scores: " << o.csv << "\n";
    if (!o.grid.empty()) std::cout << "comparison grid (" << gridPhoto << "): " << o.grid << "\n";
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    Options o;
    po::options_description options(
        "desmooth_eval: score de-smoothing methods on a folder of photos (paper Table 1)");
    options.add_options()("help,h", "show this help")("photos", po::value(&o.photos)->required(),
                                                      "folder of ground-truth photos, searched recursively")(
        "list", po::value(&o.list),
        "score only the photos this file lists (relative paths), e.g. a held-out split")(
        "model,m", po::value(&o.models)->composing(),
        "model file, or NAME=FILE; repeat for several (default: the bundled model)")(
        "methods", po::value(&o.methods)->default_value(o.methods),
        "comma-separated rows: identity (the smoothed input), unsharp (a tuned unsharp mask), model (each "
        "--model)")(
        "smoother", po::value(&o.smoother)->default_value(o.smoother),
        "what makes the inputs and SC's re-smoothing: l0, fgs or bilateral with parameters, e.g. "
        "l0:lambda=0.02,kappa=2  fgs:lambda=100,sigma=5  bilateral:d=9,sigma_color=50,sigma_space=5")(
        "unsharp", po::value(&o.unsharp)->default_value(o.unsharp),
        "SIGMA,AMOUNT of the unsharp mask, or auto: the best mean PSNR on these photos (a grid search)")(
        "lpips", po::value(&o.lpips),
        "LPIPS description file (see cv::desmooth::Lpips); without it LPIPS is n/a")(
        "csv", po::value(&o.csv), "write per-photo scores: photo,method,sc,ssim,psnr,lpips,ms")(
        "grid", po::value(&o.grid), "write a comparison grid (paper Fig. 7) of one photo as PNG")(
        "grid-photo", po::value(&o.gridPhoto), "the photo of the grid (relative path; default: the first)")(
        "max-side", po::value(&o.maxSide)->default_value(o.maxSide),
        "downscale larger photos to this side (0: never)")(
        "threads", po::value(&o.threads)->default_value(o.threads), "OpenCV threads (0: all cores)");
    const auto code =
        desmooth_apps::parseCommandLine(argc, argv, "desmooth_eval", options, [&](const po::variables_map&) {
            for (const std::string& method : splitList(o.methods))
                if (method != "identity" && method != "unsharp" && method != "model")
                    throw po::error("unknown method '" + method +
                                    "' in --methods (identity, unsharp, model)");
            if (splitList(o.methods).empty()) throw po::error("--methods lists no method");
            if (o.unsharp != "auto") {
                const std::vector<std::string> values = splitList(o.unsharp);
                char* end = nullptr;
                if (values.size() != 2 || !(std::strtod(values[0].c_str(), &end) > 0) || *end ||
                    !(std::strtod(values[1].c_str(), &end) >= 0) || *end)
                    throw po::error("--unsharp must be auto or SIGMA,AMOUNT with SIGMA > 0 and AMOUNT >= 0");
            }
            if (o.maxSide < 0 || o.threads < 0) throw po::error("--max-side and --threads must be >= 0");
        });
    if (code) return *code;
    return desmooth_apps::runReportingErrors("desmooth_eval", [&] { return run(o); });
}
