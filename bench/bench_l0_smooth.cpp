// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// Benchmark: cv::desmooth::L0Smooth against its anchor cv::ximgproc::l0Smooth, side by side in one run, same
// thread count, same photo. Prints the first call (FFT planning included) and the median of warm calls, the
// speed-up at equal output (L0_BORDER_REPLICATE reproduces ximgproc) and the PSNR between the two outputs.
//   desmooth_bench_l0_smooth [--photo FILE] [--threads N] [--repeats N] [--no-wisdom]

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

double psnr255(const cv::Mat& a, const cv::Mat& b)
{
    const double mse = cv::norm(a, b, cv::NORM_L2SQR) / double(a.total() * a.channels());
    return mse == 0 ? 999.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
}

void usage()
{
    std::printf(
        "usage: desmooth_bench_l0_smooth [--photo FILE] [--threads N] [--repeats N] [--no-wisdom]\n"
        "  --photo      RGB photo resized to each benchmark size (default: data/photos/path.jpg)\n"
        "  --threads    threads for both implementations (default: all cores)\n"
        "  --repeats    warm calls per measurement (default: 5; ximgproc gets 3 at 1920x1080)\n"
        "  --no-wisdom  ignore FFTW wisdom on disk, so the first call shows the full planning cost\n");
}

} // namespace

int main(int argc, char** argv)
{
    std::string photoPath = std::string(DESMOOTH_DATA_DIR) + "/photos/path.jpg";
    int threads = cv::getNumberOfCPUs(), repeats = 5;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--photo" && hasValue)
            photoPath = argv[++i];
        else if (arg == "--threads" && hasValue)
            threads = std::atoi(argv[++i]);
        else if (arg == "--repeats" && hasValue)
            repeats = std::atoi(argv[++i]);
        else if (arg == "--no-wisdom")
            setenv("DESMOOTH_FFTW_WISDOM", "off", 1);
        else {
            usage();
            return arg == "--help" || arg == "-h" ? 0 : 2;
        }
    }
    if (threads < 1 || repeats < 1) {
        std::fprintf(stderr, "desmooth_bench_l0_smooth: --threads and --repeats must be >= 1\n");
        return 2;
    }
    const cv::Mat photo = cv::imread(photoPath, cv::IMREAD_COLOR);
    if (photo.empty()) {
        std::fprintf(stderr, "desmooth_bench_l0_smooth: cannot read '%s'\n", photoPath.c_str());
        return 1;
    }
    cv::setNumThreads(threads);
    const double lambda = 0.02, kappa = 2.0;
    std::printf("L0Smooth vs cv::ximgproc::l0Smooth: lambda %.2f, kappa %.0f, %d threads, photo %s\n", lambda,
                kappa, threads, photoPath.c_str());
    std::printf("| size | FFT | border | first call ms | warm ms | ximgproc ms | speed-up (warm) | PSNR vs "
                "ximgproc |\n");
    std::printf("|---|---|---|---:|---:|---:|---:|---:|\n");

    std::vector<int> ffts{cv::desmooth::L0_FFT_OPENCV};
    if (cv::desmooth::haveFFTW()) ffts.insert(ffts.begin(), cv::desmooth::L0_FFT_FFTW);

    for (const cv::Size size : {cv::Size(512, 512), cv::Size(1920, 1080)}) {
        cv::Mat image;
        cv::resize(photo, image, size, 0, 0, cv::INTER_AREA);
        cv::Mat anchor;
        std::vector<double> anchorTimes;
        const int anchorRepeats = size.area() > 1000000 ? std::min(repeats, 3) : repeats;
        for (int r = 0; r < anchorRepeats; ++r)
            anchorTimes.push_back(
                milliseconds([&] { cv::ximgproc::l0Smooth(image, anchor, lambda, kappa); }));
        const double anchorMs = median(anchorTimes);

        for (int fft : ffts) {
            for (int border :
                 {int(cv::desmooth::L0_BORDER_REPLICATE), int(cv::desmooth::L0_BORDER_CIRCULAR)}) {
                cv::Ptr<cv::desmooth::L0Smoother> smoother =
                    cv::desmooth::L0Smoother::create(lambda, kappa, border, fft);
                cv::Mat out;
                const double firstMs = milliseconds([&] { smoother->apply(image, out); });
                std::vector<double> times;
                for (int r = 0; r < repeats; ++r)
                    times.push_back(milliseconds([&] { smoother->apply(image, out); }));
                const double warmMs = median(times);
                const bool replicate = border == cv::desmooth::L0_BORDER_REPLICATE;
                std::printf("| %dx%d | %s | %s | %.0f | %.1f | %.0f | %.1fx | %.1f dB%s |\n", size.width,
                            size.height, fft == cv::desmooth::L0_FFT_FFTW ? "FFTW" : "cv::dft",
                            replicate ? "replicate" : "circular", firstMs, warmMs, anchorMs,
                            anchorMs / warmMs, psnr255(out, anchor),
                            replicate ? "" : " (other border: not equal output)");
                std::fflush(stdout);
            }
        }
    }
    return 0;
}
