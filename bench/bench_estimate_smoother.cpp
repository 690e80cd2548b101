// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// Benchmark: how often cv::desmooth::estimateSmoother names the kind of smoother that made its input (the
// bundled smoother classifier's pick where the library has one), with a model's blind recovery (the bundled
// one by default; its fidelity end, as recover(src, dst, "auto")), on a list of photos.
//   desmooth_bench_estimate_smoother --photos DIR --list SPLIT [--max-side 512] [--smoother SPEC ...]
//   [--model F] [--jpeg-quality Q] [--classifier F]
// One row per smoother: how many inputs were called each kind (and how many L0 estimates took
// cv::ximgproc::l0Smooth's border, where any did), the share called the right one, and the share
// in which showsJpegBlocking() finds JPEG's block grid (auto then recovers blind), and the share in which
// estimateJpegQuality() finds a quality (a given smoother's steps then stop within the compression's error),
// with --jpeg-quality how many of those are the quality it was saved at. With
// --jpeg-quality, each smoothed input is saved as JPEG at that quality first, as most images users have are.
// With --classifier, the kind is that classifier file's pick (classifySmoother), and no model runs.

#include "command_line.hpp"
#include "image_files.hpp"

#include <opencv2/desmooth.hpp>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace {

std::string kindOf(const std::string& spec)
{
    return spec.substr(0, spec.find(':'));
}

//! The q-quantile (0..1) of non-empty `values`, the nearest rank's.
double quantile(std::vector<double> values, double q)
{
    const size_t rank = std::min(values.size() - 1, size_t(q * double(values.size() - 1) + 0.5));
    std::nth_element(values.begin(), values.begin() + rank, values.end());
    return values[rank];
}

} // namespace

int main(int argc, char** argv)
{
    namespace po = boost::program_options;
    std::string photos, list, modelFile, classifierFile;
    int maxSide = 512, jpegQuality = 0;
    std::vector<std::string> smoothers;
    po::options_description options("desmooth_bench_estimate_smoother: estimateSmoother's kind-pick rate");
    po::options_description_easy_init add = options.add_options();
    add("help,h", "show this help");
    add("photos", po::value(&photos)->required(), "folder of photos");
    add("list", po::value(&list)->required(), "the photos to use (relative paths), e.g. a held-out split");
    add("max-side", po::value(&maxSide)->default_value(maxSide), "downscale (INTER_AREA) to this long side");
    add("smoother", po::value(&smoothers)->composing(), "smoothers that make the inputs (repeat)");
    add("jpeg-quality", po::value(&jpegQuality)->default_value(jpegQuality),
        "save each smoothed input as JPEG at this quality (1..100) first; 0: no");
    add("classifier", po::value(&classifierFile),
        "a classifier file (desmooth_train_smoother_classifier) whose pick is counted instead");
    add("model", po::value(&modelFile),
        "model file whose blind recovery is scored (default: the bundled model)");
    const auto code = cv::desmooth::apps::parseCommandLine(
        argc, argv, "desmooth_bench_estimate_smoother", options, [&](const po::variables_map&) {
            if (maxSide < 1) throw po::error("--max-side must be >= 1");
            if (jpegQuality < 0 || jpegQuality > 100) throw po::error("--jpeg-quality in 0..100");
        });
    if (code) return *code;
    if (smoothers.empty())
        smoothers = {"none",
                     "l0:lambda=0.02,kappa=2",
                     "fgs:lambda=300,sigma=7",
                     "bilateral:d=15,sigma_color=150,sigma_space=15",
                     "guided:radius=4,eps=400",
                     "edge_preserving:sigma_s=60,sigma_r=0.4"};
    return cv::desmooth::apps::runReportingErrors("desmooth_bench_estimate_smoother", [&] {
        const std::vector<std::string> names = cv::desmooth::apps::readFileList(list);
        std::vector<cv::Mat> images; // read once for every smoother
        for (const std::string& name : names)
            images.push_back(cv::desmooth::apps::loadPhoto(photos + "/" + name, maxSide));
        // With a classifier file no model runs (its pick is the answer), so none is read.
        const cv::Ptr<cv::desmooth::DeSmoother> model =
            classifierFile.empty() ? cv::desmooth::DeSmoother::create(modelFile) : nullptr;
        if (model && model->hasDetailEnd())
            model->setDetail(0); // what recover(src, dst, "auto") estimates from
        const std::string jpegNote =
            jpegQuality ? cv::format(", saved as JPEG at quality %d", jpegQuality) : std::string();
        if (!classifierFile.empty())
            std::printf("classifySmoother with %s, %zu photos of %s, long side <= %d%s\n",
                        classifierFile.c_str(), names.size(), list.c_str(), maxSide, jpegNote.c_str());
        else
            std::printf("estimateSmoother (%s) with the blind recovery of %s%s, %zu photos of %s, long side "
                        "<= %d%s\n",
                        cv::desmooth::haveBundledSmootherClassifier()
                            ? "the bundled smoother classifier's pick"
                            : "the score alone: no bundled classifier",
                        modelFile.empty() ? "the bundled model" : modelFile.c_str(),
                        model->hasDetailEnd() ? " (fidelity end)" : "", names.size(), list.c_str(), maxSide,
                        jpegNote.c_str());
        std::printf(
            "| input smoothed by | kinds found | right kind | JPEG blocking found (score: 10th, 50th, "
            "90th percentile) | JPEG quality found |\n|---|---|---|---|---|\n");
        int right = 0, inputs = 0, blocked = 0, qualities = 0;
        for (const std::string& spec : smoothers) {
            const cv::Ptr<cv::desmooth::Smoother> smoother = cv::desmooth::Smoother::create(spec);
            std::map<std::string, int> found;
            std::vector<double> blocking; // what recover(src, dst, "auto") checks first
            int withBlocking = 0, withQuality = 0, savedQuality = 0;
            int ximgprocBorder = 0; // L0 estimates given cv::ximgproc::l0Smooth's border (estimateL0Border)
            for (const cv::Mat& photo : images) {
                cv::Mat smoothed, blind;
                smoother->apply(photo, smoothed);
                if (jpegQuality) smoothed = cv::desmooth::apps::throughJpeg(smoothed, jpegQuality);
                blocking.push_back(cv::desmooth::jpegBlockingScore(smoothed));
                withBlocking += cv::desmooth::showsJpegBlocking(smoothed);
                const int quality = cv::desmooth::estimateJpegQuality(smoothed);
                withQuality += quality > 0;
                savedQuality += quality > 0 && quality == jpegQuality;
                if (!classifierFile.empty()) {
                    ++found[kindOf(cv::desmooth::classifySmoother(smoothed, classifierFile))];
                    continue;
                }
                model->recover(smoothed, blind);
                const std::string estimate = cv::desmooth::estimateSmoother(smoothed, blind)->describe();
                ++found[kindOf(estimate)];
                ximgprocBorder += estimate.find(",border=1") != std::string::npos;
            }
            std::string kinds;
            for (const auto& entry : found)
                kinds += (kinds.empty() ? "" : ", ") + entry.first + " " + std::to_string(entry.second);
            if (ximgprocBorder > 0) kinds += cv::format(" (%d with ximgproc's border)", ximgprocBorder);
            const std::string saved = jpegQuality ? cv::format(" (%d at %d)", savedQuality, jpegQuality) : "";
            std::printf("| %s | %s | %.0f%% | %.0f%% (%.2f, %.2f, %.2f) | %d%s |\n", spec.c_str(),
                        kinds.c_str(), 100.0 * found[kindOf(spec)] / double(names.size()),
                        100.0 * withBlocking / double(names.size()), quantile(blocking, 0.1),
                        quantile(blocking, 0.5), quantile(blocking, 0.9), withQuality, saved.c_str());
            std::fflush(stdout);
            right += found[kindOf(spec)];
            blocked += withBlocking;
            qualities += withQuality;
            inputs += int(names.size());
        }
        std::printf(
            "right kind on %d of %d inputs (%.0f%%); JPEG blocking found on %d (%.0f%%); a JPEG quality "
            "on %d (%.0f%%)\n",
            right, inputs, 100.0 * right / std::max(inputs, 1), blocked,
            100.0 * blocked / std::max(inputs, 1), qualities, 100.0 * qualities / std::max(inputs, 1));
        return 0;
    });
}
