// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// Benchmark: cv::desmooth::DeSmoother::recover with a seeded random-weight model (an untrained network costs
// what a trained one does) at several sizes: milliseconds per image (first call, which plans the network for
// the size, and the median of warm calls) and the process's peak resident memory during those calls.
//   desmooth_bench_recover [--config lite|paper|restore] [--sizes 512,1920x1080,...] [--repeats N] [--threads
//   N]
//                          [--anchor lite] [--tile N]
// With --anchor the anchor configuration is timed beside it, size by size in the same run, and the table adds
// the ratio of the two warm times (the speed budget of a new architecture against the shipped one).

#include "command_line.hpp"
#include "config_overrides.hpp"
#include "peak_memory.hpp"
#include "random_model.hpp"

#include <opencv2/core/utility.hpp>
#include <opencv2/desmooth.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <thread>
#include <vector>

namespace {

// One recovery: blind, or with a smoother spec / "auto" (known-smoother recovery).
void recoverWith(cv::desmooth::DeSmoother& desmoother, const cv::Mat& image, const std::string& smoother,
                 cv::Mat& out)
{
    if (smoother.empty())
        desmoother.recover(image, out);
    else
        desmoother.recover(image, out, smoother);
}

// The median of `repeats` calls on a network already planned for the image's size, in milliseconds.
double warmMedianMs(cv::desmooth::DeSmoother& desmoother, const cv::Mat& image, int repeats,
                    const std::string& smoother = "")
{
    cv::Mat out;
    std::vector<double> times;
    for (int r = 0; r < repeats; ++r) {
        const int64 start = cv::getTickCount();
        recoverWith(desmoother, image, smoother, out);
        times.push_back(1000.0 * double(cv::getTickCount() - start) / cv::getTickFrequency());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    namespace po = boost::program_options;
    std::string sizes = "512,1024,2048", configName = "lite", anchorName, smoother;
    std::vector<cv::Size> imageSizes;
    int repeats = 3, threads = cv::getNumberOfCPUs(), tile = -1;
    cv::desmooth::apps::ConfigOverrides overrides;
    cv::desmooth::ModelConfig config;
    po::options_description options("desmooth_bench_recover: recover() with a random-weight model");
    po::options_description_easy_init add = options.add_options();
    add("help,h", "show this help");
    add("config", po::value(&configName)->default_value(configName), "lite, paper or restore");
    add("anchor", po::value(&anchorName), "a second configuration timed beside it (lite, paper or restore)");
    add("sizes", po::value(&sizes)->default_value(sizes), "image sizes, comma-separated: N (square) or WxH");
    add("repeats", po::value(&repeats)->default_value(repeats), "warm calls per size (median)");
    add("threads", po::value(&threads)->default_value(threads), "OpenCV threads");
    overrides.addOptions(add); // widths and depths of --config, to choose them by measurement
    add("tile", po::value(&tile),
        "DeSmoother::setTileSize of both (0: never tile; default: the library's, DESMOOTH_TILE_SIZE or "
        "1024)");
    add("smoother", po::value(&smoother),
        "time known-smoother recovery with this spec, or auto (the anchor stays blind)");
    const auto code = cv::desmooth::apps::parseCommandLine(
        argc, argv, "desmooth_bench_recover", options, [&](const po::variables_map&) {
            imageSizes = cv::desmooth::apps::parseSizeList(sizes, "sizes");
            config = overrides.apply(configName);
            try {
                if (!anchorName.empty()) cv::desmooth::ModelConfig::named(anchorName);
            } catch (const cv::Exception& e) {
                throw po::error("--anchor: " + e.err);
            }
            if (repeats < 1 || threads < 1) throw po::error("--repeats and --threads must be >= 1");
            if (tile != -1 && tile != 0 && tile < 256) throw po::error("--tile must be 0 or >= 256");
            if (!smoother.empty() && smoother != "auto") {
                try {
                    cv::desmooth::Smoother::create(smoother);
                } catch (const cv::Exception& e) {
                    throw po::error("--smoother: " + e.err);
                }
            }
        });
    if (code) return *code;
    cv::setNumThreads(threads);
    cv::Ptr<cv::desmooth::DeSmoother> desmoother =
        cv::desmooth::DeSmoother::create(opencv_test::randomModel(config, 1));
    cv::Ptr<cv::desmooth::DeSmoother> anchor =
        anchorName.empty() ? nullptr
                           : cv::desmooth::DeSmoother::create(
                                 opencv_test::randomModel(cv::desmooth::ModelConfig::named(anchorName), 1));
    if (tile >= 0) {
        desmoother->setTileSize(tile);
        if (anchor) anchor->setTileSize(tile);
    }
    const cv::Mat photo = cv::imread(std::string(DESMOOTH_DATA_DIR) + "/photos/path.jpg");
    const char* algorithm = std::getenv("DESMOOTH_FA_ALGORITHM");
    std::printf("recover(), %s config (random weights; %s), attention %s, tiles %s, %d threads, "
                "median of %d warm calls, %s\n",
                configName.c_str(), cv::desmooth::apps::ConfigOverrides::describe(config).c_str(),
                algorithm ? algorithm : "auto",
                desmoother->getTileSize() ? cv::format("of %d", desmoother->getTileSize()).c_str() : "off",
                threads, repeats, smoother.empty() ? "blind" : ("smoother " + smoother).c_str());
    if (anchor)
        std::printf("| image | first call ms | warm ms | peak RSS MiB | %s warm ms | ratio to %s |\n"
                    "|---|---:|---:|---:|---:|---:|\n",
                    anchorName.c_str(), anchorName.c_str());
    else
        std::printf("| image | first call ms | warm ms | peak RSS MiB |\n|---|---:|---:|---:|\n");
    for (const cv::Size& size : imageSizes) {
        cv::Mat image, out;
        cv::resize(photo, image, size, 0, 0, cv::INTER_LINEAR);
        perf::resetPeak();
        int64 start = cv::getTickCount();
        recoverWith(*desmoother, image, smoother, out);
        const double firstMs = 1000.0 * double(cv::getTickCount() - start) / cv::getTickFrequency();
        const double warm = warmMedianMs(*desmoother, image, repeats, smoother),
                     peak = perf::peakResidentMiB();
        if (!anchor) {
            std::printf("| %dx%d | %.0f | %.0f | %.0f |\n", size.width, size.height, firstMs, warm, peak);
            std::fflush(stdout);
            continue;
        }
        anchor->recover(image, out); // plans the anchor for this size
        const double anchorWarm = warmMedianMs(*anchor, image, repeats);
        std::printf("| %dx%d | %.0f | %.0f | %.0f | %.0f | %.2f |\n", size.width, size.height, firstMs, warm,
                    peak, anchorWarm, warm / anchorWarm);
        std::fflush(stdout);
    }

    if (std::getenv("DESMOOTH_FA_ALGORITHM"))
        return 0; // the concurrency measurement belongs to the default run
    // One DeSmoother shared by two threads: each concurrent call takes a network of its own from the pool, so
    // the calls overlap where a lock around one network would run them one after another.
    const int images = 8;
    const cv::Size size = imageSizes.front();
    cv::Mat image;
    cv::resize(photo, image, size, 0, 0, cv::INTER_LINEAR);
    const auto run = [&](int threadCount) {
        const int64 start = cv::getTickCount();
        std::vector<std::thread> workers;
        for (int t = 0; t < threadCount; ++t)
            workers.emplace_back([&] {
                cv::Mat out;
                for (int i = 0; i < images / threadCount; ++i)
                    desmoother->recover(image, out);
            });
        for (std::thread& worker : workers)
            worker.join();
        return images / (double(cv::getTickCount() - start) / cv::getTickFrequency());
    };
    run(2); // builds the second network
    const double sequential = run(1), concurrent = run(2);
    std::printf(
        "\n%d images of %dx%d through one DeSmoother: 1 calling thread %.1f images/s, 2 calling threads %.1f "
        "images/s (%.2fx)\n",
        images, size.width, size.height, sequential, concurrent, concurrent / sequential);
    return 0;
}
