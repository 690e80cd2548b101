// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "../precomp.hpp"

#include "real_fft2d.hpp"

#include "../configuration.hpp"

#ifdef DESMOOTH_HAVE_FFTW

#include <fftw3.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <tuple>
#include <unistd.h>

namespace cv {
namespace desmooth {
namespace detail {

namespace {

// Planning with FFTW_MEASURE costs 0.4-2.6 s per size here, so plans live for the whole process and the
// measurements are kept as FFTW "wisdom" in a file, which makes the next process plan a known size in
// milliseconds. The planning: setL0FFTWPlanning(), by default the configuration parameter
// DESMOOTH_FFTW_PLANNER = estimate | measure (default) | patient; the wisdom file: DESMOOTH_FFTW_WISDOM = a
// file, or "off".
class FFTWPlanCache
{
public:
    struct Plans
    {
        fftwf_plan forward = nullptr;
        fftwf_plan inverse = nullptr;
    };

    static FFTWPlanCache& instance()
    {
        static FFTWPlanCache cache; // plans are never destroyed: they may be in use until the process exits
        return cache;
    }

    void setPlanning(int planning)
    {
        CV_CheckGE(planning, int(L0_FFTW_ESTIMATE), "setL0FFTWPlanning: an L0FFTWPlanning");
        CV_CheckLE(planning, int(L0_FFTW_PATIENT), "setL0FFTWPlanning: an L0FFTWPlanning");
        std::lock_guard<std::mutex> lock(mutex_);
        planner_ = plannerFlag(planning);
    }

    Plans get(int rows, int cols, size_t planeStride, int threads)
    {
        std::lock_guard<std::mutex> lock(mutex_); // FFTW's planner is not thread-safe
        const auto key = std::make_tuple(rows, cols, threads);
        auto found = plans_.find(key);
        if (found != plans_.end()) return found->second;

        loadWisdomOnce();
        // In place, one plan per plane, run plane after plane, each on all threads: at 1920x1080x3 on 2 cores
        // a forward + inverse round measured 18-28 ms in place, 26-36 ms out of place, 38 ms as one batched
        // plan.
        FloatBuffer scratch(planeStride);
        fftwf_plan_with_nthreads(threads);
        Plans made;
        float* real = scratch.data();
        fftwf_complex* complex = reinterpret_cast<fftwf_complex*>(real);
        made.forward = fftwf_plan_dft_r2c_2d(rows, cols, real, complex, planner_);
        made.inverse = fftwf_plan_dft_c2r_2d(rows, cols, complex, real, planner_);
        if (!made.forward || !made.inverse)
            CV_Error(Error::StsError, format("FFTW could not plan a %dx%d transform", rows, cols));
        plans_[key] = made;
        saveWisdom();
        return made;
    }

private:
    FFTWPlanCache()
    {
        fftwf_init_threads();
        // FFTW's parallel loops run on OpenCV's thread pool rather than a pool of FFTW's own, so the two
        // never compete for the cores.
        fftwf_threads_set_callback(runOnOpenCVThreads, nullptr);
        fftwf_make_planner_thread_safe(); // other code in the process may plan too
        const std::string mode = utils::getConfigurationParameterString("DESMOOTH_FFTW_PLANNER", "measure");
        planner_ = plannerFlag(mode == "estimate"  ? L0_FFTW_ESTIMATE
                               : mode == "patient" ? L0_FFTW_PATIENT
                                                   : L0_FFTW_MEASURE);
        wisdomPath_ = defaultWisdomPath();
    }

    //! FFTW's planner flag for an L0FFTWPlanning.
    static unsigned plannerFlag(int planning)
    {
        return planning == L0_FFTW_ESTIMATE  ? FFTW_ESTIMATE
               : planning == L0_FFTW_PATIENT ? FFTW_PATIENT
                                             : FFTW_MEASURE;
    }

    static void runOnOpenCVThreads(void* (*work)(char*), char* jobs, size_t jobSize, int jobCount, void*)
    {
        parallel_for_(Range(0, jobCount), [&](const Range& r) {
            for (int j = r.start; j < r.end; ++j)
                work(jobs + j * jobSize);
        });
    }

    static std::string defaultWisdomPath()
    {
        const std::string path = utils::getConfigurationParameterString("DESMOOTH_FFTW_WISDOM", "");
        if (!path.empty()) return path == "off" ? "" : path;
        if (const char* cache = std::getenv("XDG_CACHE_HOME"))
            return std::string(cache) + "/desmooth/fftwf-wisdom";
        if (const char* home = std::getenv("HOME"))
            return std::string(home) + "/.cache/desmooth/fftwf-wisdom";
        return "";
    }

    void loadWisdomOnce()
    {
        if (wisdomLoaded_) return;
        wisdomLoaded_ = true;
        if (!wisdomPath_.empty() && std::filesystem::exists(wisdomPath_))
            fftwf_import_wisdom_from_filename(
                wisdomPath_.c_str()); // stale or foreign wisdom is simply ignored
    }

    // Written to a temporary file and renamed, so a concurrent process never reads half a file.
    void saveWisdom()
    {
        if (wisdomPath_.empty() || planner_ == FFTW_ESTIMATE) return;
        std::error_code error;
        std::filesystem::create_directories(std::filesystem::path(wisdomPath_).parent_path(), error);
        const std::string temporary = wisdomPath_ + ".tmp" + std::to_string(::getpid());
        if (fftwf_export_wisdom_to_filename(temporary.c_str()))
            std::filesystem::rename(temporary, wisdomPath_, error);
        if (error) std::filesystem::remove(temporary, error);
    }

    std::mutex mutex_;
    std::map<std::tuple<int, int, int>, Plans> plans_;
    unsigned planner_ = FFTW_MEASURE;
    std::string wisdomPath_;
    bool wisdomLoaded_ = false;
};

// FFTW's in-place layout: image rows padded to 2 * (cols/2 + 1) floats; the spectrum is rows x (cols/2 + 1)
// complex numbers, interleaved re, im.
class FFTWRealFFT2D CV_FINAL : public RealFFT2D
{
public:
    FFTWRealFFT2D(int rows, int cols, int planes)
        : RealFFT2D(rows, cols, planes, 2 * (cols / 2 + 1), size_t(rows) * (cols / 2 + 1) * 2)
    {
        threads_ = std::max(1, getNumThreads());
        plans_ = FFTWPlanCache::instance().get(rows, cols, planeStride(), threads_);
    }

    void forward(float* plane) const CV_OVERRIDE
    {
        fftwf_execute_dft_r2c(plans_.forward, plane, reinterpret_cast<fftwf_complex*>(plane));
    }
    void inverse(float* plane) const CV_OVERRIDE
    {
        fftwf_execute_dft_c2r(plans_.inverse, reinterpret_cast<fftwf_complex*>(plane), plane);
    }
    bool threadedInside() const CV_OVERRIDE { return threads_ > 1; }

    void spreadWeights(const Mat& halfPlane, float* spectrum) const CV_OVERRIDE
    {
        CV_Assert(halfPlane.type() == CV_32F && halfPlane.rows == rows() && halfPlane.cols == cols() / 2 + 1);
        for (int ky = 0; ky < rows(); ++ky)
            for (int kx = 0; kx <= cols() / 2; ++kx) {
                const size_t slot = (size_t(ky) * (cols() / 2 + 1) + kx) * 2;
                spectrum[slot] = spectrum[slot + 1] = halfPlane.at<float>(ky, kx);
            }
    }

private:
    FFTWPlanCache::Plans plans_;
    int threads_ = 1;
};

} // namespace

void setFFTWPlanning(int planning)
{
    FFTWPlanCache::instance().setPlanning(planning);
}

Ptr<RealFFT2D> createFFTWRealFFT2D(int rows, int cols, int planes)
{
    CV_Assert(rows > 0 && cols > 0 && planes > 0);
    return makePtr<FFTWRealFFT2D>(rows, cols, planes);
}

} // namespace detail
} // namespace desmooth
} // namespace cv

#else

namespace cv {
namespace desmooth {
namespace detail {

void setFFTWPlanning(int) {}

Ptr<RealFFT2D> createFFTWRealFFT2D(int, int, int)
{
    CV_Error(Error::StsNotImplemented,
             "desmooth was built without FFTW (DESMOOTH_WITH_FFTW=OFF or FFTW not found): use L0_FFT_OPENCV");
}

} // namespace detail
} // namespace desmooth
} // namespace cv

#endif
