// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// Benchmark: cv::desmooth::L0Smooth against its anchor cv::ximgproc::l0Smooth, side by side in one run, same
// thread count, same photo. Prints the first call (FFT planning included: FFTW's estimated plans, the
// default, then its measured ones) and the median of warm calls, the speed-up at equal output
// (L0_BORDER_REPLICATE reproduces ximgproc) and the PSNR between the two outputs.
//   desmooth_bench_l0_smooth [--photo FILE] [--sizes 512,1920x1080,...] [--threads N] [--repeats N]
//                            [--no-wisdom]  (--help)

#include "command_line.hpp"

#include <opencv2/core/utility.hpp>
#include <opencv2/desmooth.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/ximgproc.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

namespace {

double milliseconds(const std::function<void()>& run)
{
    const int64 start = cv::getTickCount();
    run();
    return 1000.0 * double(cv::getTickCount() - start) / cv::getTickFrequency();
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    namespace po = boost::program_options;
    std::string photoPath = std::string(DESMOOTH_DATA_DIR) + "/photos/path.jpg";
    int threads = cv::getNumberOfCPUs(), repeats = 5;
    bool noWisdom = false;
    std::string sizeList = "512,1920x1080";
    std::vector<cv::Size> sizes;
    po::options_description options("desmooth_bench_l0_smooth: L0Smooth against cv::ximgproc::l0Smooth");
    po::options_description_easy_init add = options.add_options();
    add("help,h", "show this help");
    add("photo", po::value(&photoPath)->default_value(photoPath), "RGB photo resized to each benchmark size");
    add("sizes", po::value(&sizeList)->default_value(sizeList),
        "sizes the photo is resized to, comma-separated: N (square) or WxH (a side with a large prime factor "
        "shows cv::dft's slow lengths)");
    add("threads", po::value(&threads)->default_value(threads), "threads for both implementations");
    add("repeats", po::value(&repeats)->default_value(repeats),
        "warm calls per measurement (ximgproc gets 3 at 1920x1080)");
    add("no-wisdom", po::bool_switch(&noWisdom),
        "ignore FFTW wisdom on disk: the first call shows the planning");
    const auto code = cv::desmooth::apps::parseCommandLine(
        argc, argv, "desmooth_bench_l0_smooth", options, [&](const po::variables_map&) {
            if (threads < 1 || repeats < 1) throw po::error("--threads and --repeats must be >= 1");
            sizes = cv::desmooth::apps::parseSizeList(sizeList, "sizes");
        });
    if (code) return *code;
    if (noWisdom) setenv("DESMOOTH_FFTW_WISDOM", "off", 1); // before the library's first FFTW plan reads it
    const cv::Mat photo = cv::imread(photoPath, cv::IMREAD_COLOR);
    if (photo.empty()) {
        std::fprintf(stderr, "desmooth_bench_l0_smooth: cannot read '%s'\n", photoPath.c_str());
        return 1;
    }
    cv::setNumThreads(threads);
    const double lambda = cv::desmooth::L0_DEFAULT_LAMBDA, kappa = cv::desmooth::L0_DEFAULT_KAPPA;
    std::printf("L0Smooth vs cv::ximgproc::l0Smooth: lambda %.2f, kappa %.0f, %d threads, photo %s\n", lambda,
                kappa, threads, photoPath.c_str());
    std::printf("| size | FFT | border | first call ms | warm ms | ximgproc ms | speed-up (warm) | PSNR vs "
                "ximgproc |\n");
    std::printf("|---|---|---|---:|---:|---:|---:|---:|\n");

    struct Planning
    {
        int fft, fftwPlanning;
        const char* name;
    };
    std::vector<Planning> plannings;
    if (cv::desmooth::haveFFTW()) {
        plannings.push_back(
            {cv::desmooth::L0_FFT_FFTW, cv::desmooth::L0_FFTW_ESTIMATE, "FFTW, estimated plans"});
        plannings.push_back(
            {cv::desmooth::L0_FFT_FFTW, cv::desmooth::L0_FFTW_MEASURE, "FFTW, measured plans"});
    }
    plannings.push_back({cv::desmooth::L0_FFT_OPENCV, cv::desmooth::L0_FFTW_ESTIMATE, "cv::dft"});

    for (const cv::Size size : sizes) {
        cv::Mat image;
        cv::resize(photo, image, size, 0, 0, cv::INTER_AREA);
        cv::Mat anchor;
        std::vector<double> anchorTimes;
        const int anchorRepeats = size.area() > 1000000 ? std::min(repeats, 3) : repeats;
        for (int r = 0; r < anchorRepeats; ++r)
            anchorTimes.push_back(
                milliseconds([&] { cv::ximgproc::l0Smooth(image, anchor, lambda, kappa); }));
        const double anchorMs = median(anchorTimes);

        // FFTW's default estimated plans first, then measured ones: asked to measure, the first call measures
        // the size (L0Smooth transforms planes of the image's size, whichever the border).
        for (const Planning& planning : plannings) {
            if (planning.fft == cv::desmooth::L0_FFT_FFTW)
                cv::desmooth::setL0FFTWPlanning(planning.fftwPlanning);
            for (int border :
                 {int(cv::desmooth::L0_BORDER_REPLICATE), int(cv::desmooth::L0_BORDER_CIRCULAR)}) {
                cv::Ptr<cv::desmooth::L0Smoother> smoother =
                    cv::desmooth::L0Smoother::create(lambda, kappa, border, planning.fft);
                cv::Mat out;
                const double firstMs = milliseconds([&] { smoother->apply(image, out); });
                std::vector<double> times;
                for (int r = 0; r < repeats; ++r)
                    times.push_back(milliseconds([&] { smoother->apply(image, out); }));
                const double warmMs = median(times);
                const bool replicate = border == cv::desmooth::L0_BORDER_REPLICATE;
                std::printf("| %dx%d | %s | %s | %.0f | %.1f | %.0f | %.1fx | %.1f dB%s |\n", size.width,
                            size.height, planning.name, replicate ? "replicate" : "circular", firstMs, warmMs,
                            anchorMs, anchorMs / warmMs, cv::desmooth::psnr(out, anchor),
                            replicate ? "" : " (other border: not equal output)");
                std::fflush(stdout);
            }
        }
        cv::desmooth::setL0FFTWPlanning(cv::desmooth::L0_FFTW_ESTIMATE);
    }
    return 0;
}
