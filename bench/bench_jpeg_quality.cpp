// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// Benchmark: cv::desmooth::estimateJpegQuality, which known-smoother recovery runs on every 8-bit input,
// against its anchor measured side by side: the quality search alone (88 encodings and decodings of the
// crop), what every input paid before the DCT test that now answers most lossless ones without encoding.
// Inputs: photos of a list, each smoothed, lossless and saved as JPEG at each quality. Per row: how often a
// quality is found (and how often the one saved at), how often the search alone finds one and how often the
// answer is its answer where it does (the DCT test may skip only inputs where it finds none; the DCT's own
// quality answers where it finds none), the range of the DCT score (jpegQuantisation: below one threshold no
// encoding runs, at or above another its quality is the answer where the search finds none) where the search
// finds a quality and where it finds none (inputs too flat for some quality to tell, which the search
// decides, left out), and the times.
//   desmooth_bench_jpeg_quality --photos DIR --list SPLIT [--max-side 512] [--smoother SPEC ...]
//   [--jpeg-quality Q ...] [--repeats 3]

#include "command_line.hpp"
#include "image_files.hpp"
#include "jpeg_quality_internals.hpp"

#include <opencv2/desmooth.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace {

//! The fastest of `repeats` runs of `work`, in ms: the least disturbed by the machine's other work.
template <typename Work> double fastestMs(int repeats, Work work)
{
    double fastest = 1e300;
    for (int i = 0; i < repeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        work();
        fastest = std::min(
            fastest,
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    return fastest;
}

//! "lo..hi" of `values`, "-" where empty.
std::string range(const std::vector<double>& values)
{
    if (values.empty()) return "-";
    const auto extremes = std::minmax_element(values.begin(), values.end());
    return cv::format("%.2f..%.2f", *extremes.first, *extremes.second);
}

} // namespace

int main(int argc, char** argv)
{
    namespace po = boost::program_options;
    std::string photos, list;
    int maxSide = 512, repeats = 3;
    std::vector<std::string> smoothers;
    std::vector<int> qualities;
    po::options_description options(
        "desmooth_bench_jpeg_quality: estimateJpegQuality against its search alone");
    po::options_description_easy_init add = options.add_options();
    add("help,h", "show this help");
    add("photos", po::value(&photos)->required(), "folder of photos");
    add("list", po::value(&list)->required(), "the photos to use (relative paths), e.g. a held-out split");
    add("max-side", po::value(&maxSide)->default_value(maxSide), "downscale (INTER_AREA) to this long side");
    add("smoother", po::value(&smoothers)->composing(),
        "smoothers that make the inputs (repeat; default L0 0.02)");
    add("jpeg-quality", po::value(&qualities)->composing(),
        "qualities (1..100) the inputs are also saved at (repeat; default 80)");
    add("repeats", po::value(&repeats)->default_value(repeats), "timed runs per input; the fastest counts");
    const auto code = cv::desmooth::apps::parseCommandLine(
        argc, argv, "desmooth_bench_jpeg_quality", options, [&](const po::variables_map&) {
            if (maxSide < 16) throw po::error("--max-side must be >= 16");
            for (int quality : qualities)
                if (quality < 1 || quality > 100) throw po::error("--jpeg-quality in 1..100");
            if (repeats < 1) throw po::error("--repeats must be >= 1");
        });
    if (code) return *code;
    if (smoothers.empty()) smoothers = {"l0:lambda=0.02,kappa=2"};
    if (qualities.empty()) qualities = {80};
    qualities.insert(qualities.begin(), 0); // lossless first
    return cv::desmooth::apps::runReportingErrors("desmooth_bench_jpeg_quality", [&] {
        namespace ds = cv::desmooth;
        const std::vector<std::string> names = ds::apps::readFileList(list);
        std::vector<cv::Mat> images;
        for (const std::string& name : names)
            images.push_back(ds::apps::loadPhoto(photos + "/" + name, maxSide));
        std::printf(
            "estimateJpegQuality against the search alone, %zu photos of %s, long side <= %d, the fastest "
            "of %d runs; DCT score thresholds: %.2f (below: no encoding), %.2f (at or above: its quality "
            "where the search finds none)\n\n",
            names.size(), list.c_str(), maxSide, repeats, ds::detail::kJpegQuantisationThreshold,
            ds::detail::kJpegQuantisationFound);
        std::printf(
            "| input smoothed by | saved as | quality found (the one saved at) | search alone found | answer "
            "= "
            "search's where it finds one | DCT score where the search finds one / none | estimate, ms | "
            "search alone, ms | estimate / search |\n|---|---|---|---|---|---|---|---|---|\n");
        int losslessInputs = 0, losslessFound = 0, compressedInputs = 0, compressedFound = 0, searchFound = 0,
            disagreeing = 0;
        double estimateTotal = 0, searchTotal = 0;
        for (const std::string& spec : smoothers) {
            const cv::Ptr<ds::Smoother> smoother = ds::Smoother::create(spec);
            std::vector<cv::Mat> smoothed(images.size());
            for (size_t i = 0; i < images.size(); ++i)
                smoother->apply(images[i], smoothed[i]);
            for (int saved : qualities) {
                int found = 0, right = 0, searchedFound = 0, same = 0;
                double estimateMs = 0, searchMs = 0;
                std::vector<double> scoresFound, scoresNone;
                for (const cv::Mat& image : smoothed) {
                    const cv::Mat input = saved ? ds::apps::throughJpeg(image, saved) : image;
                    const cv::Mat crop = ds::detail::jpegQualityCrop(input);
                    int answer = 0, searched = 0;
                    estimateMs += fastestMs(repeats, [&] { answer = ds::estimateJpegQuality(input); });
                    searchMs += fastestMs(
                        repeats, [&] { searched = crop.empty() ? 0 : ds::detail::jpegQualitySearch(crop); });
                    // (Inputs too flat for some quality to tell go to the search whatever their score.)
                    const ds::detail::JpegQuantisation quantisation =
                        crop.empty() ? ds::detail::JpegQuantisation() : ds::detail::jpegQuantisation(crop);
                    if (quantisation.quality > 0 && !quantisation.untold)
                        (searched ? scoresFound : scoresNone).push_back(quantisation.score);
                    found += answer > 0;
                    right += saved && answer == saved;
                    searchedFound += searched > 0;
                    same += searched > 0 && answer == searched;
                }
                const double count = double(smoothed.size());
                std::printf("| %s | %s | %d (%s) | %d | %d of %d | %s / %s | %.1f | %.1f | %.2f |\n",
                            spec.c_str(), saved ? cv::format("JPEG %d", saved).c_str() : "lossless", found,
                            saved ? std::to_string(right).c_str() : "-", searchedFound, same, searchedFound,
                            range(scoresFound).c_str(), range(scoresNone).c_str(), estimateMs / count,
                            searchMs / count, estimateMs / searchMs);
                std::fflush(stdout);
                (saved ? compressedInputs : losslessInputs) += int(smoothed.size());
                (saved ? compressedFound : losslessFound) += found;
                if (saved) searchFound += searchedFound;
                disagreeing += searchedFound - same;
                estimateTotal += estimateMs;
                searchTotal += searchMs;
            }
        }
        std::printf(
            "a quality found on %d of %d inputs saved as JPEG (the search alone: %d) and on %d of %d "
            "lossless ones; an answer other than the search's where it finds one: %d; estimate / search "
            "over all: %.2f\n",
            compressedFound, compressedInputs, searchFound, losslessFound, losslessInputs, disagreeing,
            estimateTotal / searchTotal);
        return 0;
    });
}
