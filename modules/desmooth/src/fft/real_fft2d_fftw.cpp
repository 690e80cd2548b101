// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "../precomp.hpp"

#include "real_fft2d.hpp"

#include "../configuration.hpp"

#ifdef DESMOOTH_HAVE_FFTW

#include <fftw3.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>
#include <unistd.h>

namespace cv {
namespace desmooth {
namespace detail {

namespace {

// Planning with FFTW_MEASURE costs 0.6-7 s per size here (2 threads; 512x512 1.0 s, 1920x1080 6.9 s): as long
// as 700-1800 forward + inverse pairs on plans FFTW_ESTIMATE makes in milliseconds, which ran 0.84-1.49 times
// as long as measured ones, so that measuring paid off only after 2300 (1920x1080) to 14000 (512x512) pairs
// (a throwaway timing). Hence estimated plans by default, and plans that never change within a process unless
// measuring is asked: a measured plan rounds differently. The adaptive planning measures a size once it has
// run kFFTWTransformsBeforeMeasuring transforms in the process, about as long as measuring takes, so that
// either choice costs at most about twice the better one. Plans live for the whole process; measurements are
// kept as FFTW "wisdom" in a file, which makes the next process plan a known size measured, in milliseconds.
// The planning: setL0FFTWPlanning(), by default the configuration parameter DESMOOTH_FFTW_PLANNER = estimate
// (default) | measure | patient | adaptive; the wisdom file: DESMOOTH_FFTW_WISDOM = a file, or "off".
class FFTWPlanCache
{
public:
    struct Plans
    {
        fftwf_plan forward = nullptr;
        fftwf_plan inverse = nullptr;
    };

    //! One size's plans (replaced when measured), and the transforms they have run while estimated.
    struct Entry
    {
        std::atomic<const Plans*> plans{nullptr};
        std::atomic<bool> measured{false};
        std::atomic<long> estimatedTransforms{0};
        int rows = 0, cols = 0, threads = 1;
        size_t planeStride = 0;
    };

    static FFTWPlanCache& instance()
    {
        static FFTWPlanCache cache; // plans are never destroyed: they may be in use until the process exits
        return cache;
    }

    void setPlanning(int planning)
    {
        CV_CheckGE(planning, int(L0_FFTW_ESTIMATE), "setL0FFTWPlanning: an L0FFTWPlanning");
        CV_CheckLE(planning, int(L0_FFTW_ADAPTIVE), "setL0FFTWPlanning: an L0FFTWPlanning");
        planning_ = planning;
    }

    FFTWPlanState state(int rows, int cols, int threads)
    {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto found = entries_.find(std::make_tuple(rows, cols, threads));
        if (found == entries_.end()) return FFTWPlanState::none;
        return found->second->measured ? FFTWPlanState::measured : FFTWPlanState::estimated;
    }

    bool wisdomOn() const { return !wisdomPath_.empty(); }

    /** The entry of a size. A new size is planned as the planning asks (adaptive: measured where the wisdom
    knows it, else estimated for now); an estimated one is measured when measuring is asked. */
    Entry& get(int rows, int cols, size_t planeStride, int threads)
    {
        std::lock_guard<std::mutex> lock(mutex_); // FFTW's planner is not thread-safe
        std::unique_ptr<Entry>& slot = entries_[std::make_tuple(rows, cols, threads)];
        const int planning = planning_;
        if (!slot) {
            slot.reset(new Entry);
            slot->rows = rows;
            slot->cols = cols;
            slot->threads = threads;
            slot->planeStride = planeStride;
            if (planning == L0_FFTW_ESTIMATE) {
                // Without reading the wisdom file, which FFTW_ESTIMATE would use where it knows the size: the
                // plans, and so the results' last bits, then depend on the size alone, not on what this
                // machine once measured.
                plan(*slot, FFTW_ESTIMATE, true);
                return *slot;
            }
            if (planning == L0_FFTW_ADAPTIVE) {
                loadWisdomOnce();
                if (!plan(*slot, FFTW_MEASURE | FFTW_WISDOM_ONLY, false)) plan(*slot, FFTW_ESTIMATE, true);
                return *slot;
            }
        }
        if (!slot->measured && (planning == L0_FFTW_MEASURE || planning == L0_FFTW_PATIENT))
            measure(*slot, planning == L0_FFTW_PATIENT ? FFTW_PATIENT : FFTW_MEASURE);
        return *slot;
    }

    /** Counts a transform run on an estimated entry's plans; under the adaptive planning the one that brings
    the count to kFFTWTransformsBeforeMeasuring or beyond measures the size (transforms already running keep
    the plans they read). */
    void countTransform(Entry& entry)
    {
        const long count = entry.estimatedTransforms.fetch_add(1, std::memory_order_relaxed) + 1;
        if (count < kFFTWTransformsBeforeMeasuring || planning_ != L0_FFTW_ADAPTIVE) return;
        std::lock_guard<std::mutex> lock(mutex_);
        if (!entry.measured) measure(entry, FFTW_MEASURE);
    }

private:
    FFTWPlanCache()
    {
        fftwf_init_threads();
        // FFTW's parallel loops run on OpenCV's thread pool rather than a pool of FFTW's own, so the two
        // never compete for the cores.
        fftwf_threads_set_callback(runOnOpenCVThreads, nullptr);
        fftwf_make_planner_thread_safe(); // other code in the process may plan too
        const std::string mode = utils::getConfigurationParameterString("DESMOOTH_FFTW_PLANNER", "estimate");
        planning_ = mode == "measure"    ? L0_FFTW_MEASURE
                    : mode == "patient"  ? L0_FFTW_PATIENT
                    : mode == "adaptive" ? L0_FFTW_ADAPTIVE
                                         : L0_FFTW_ESTIMATE;
        wisdomPath_ = defaultWisdomPath();
    }

    //! Measures an entry's size (`rigour`: FFTW_MEASURE or FFTW_PATIENT) and keeps the measurement as wisdom.
    void measure(Entry& entry, unsigned rigour)
    {
        loadWisdomOnce();
        plan(entry, rigour, true);
        saveWisdom();
    }

    /** Plans the entry's size with `flags` and makes them its current plans; false where FFTW made none
    (FFTW_WISDOM_ONLY without wisdom for it), an error where it must (`required`). */
    bool plan(Entry& entry, unsigned flags, bool required)
    {
        // In place, one plan per plane, run plane after plane, each on all threads: at 1920x1080x3 on 2
        // cores a forward + inverse round measured 18-28 ms in place, 26-36 ms out of place, 38 ms as one
        // batched plan. Measuring overwrites its arrays: a scratch plane of the same layout.
        FloatBuffer scratch(entry.planeStride);
        fftwf_plan_with_nthreads(entry.threads);
        float* real = scratch.data();
        fftwf_complex* complex = reinterpret_cast<fftwf_complex*>(real);
        std::unique_ptr<Plans> made(new Plans);
        made->forward = fftwf_plan_dft_r2c_2d(entry.rows, entry.cols, real, complex, flags);
        made->inverse = fftwf_plan_dft_c2r_2d(entry.rows, entry.cols, complex, real, flags);
        if (!made->forward || !made->inverse) {
            if (required)
                CV_Error(Error::StsError,
                         format("FFTW could not plan a %dx%d transform", entry.rows, entry.cols));
            if (made->forward) fftwf_destroy_plan(made->forward);
            if (made->inverse) fftwf_destroy_plan(made->inverse);
            return false;
        }
        entry.plans.store(made.get());
        made.release(); // never destroyed: a transform may be running on it
        entry.measured = (flags & FFTW_ESTIMATE) == 0;
        return true;
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
        if (wisdomPath_.empty()) return;
        std::error_code error;
        std::filesystem::create_directories(std::filesystem::path(wisdomPath_).parent_path(), error);
        const std::string temporary = wisdomPath_ + ".tmp" + std::to_string(::getpid());
        if (fftwf_export_wisdom_to_filename(temporary.c_str()))
            std::filesystem::rename(temporary, wisdomPath_, error);
        if (error) std::filesystem::remove(temporary, error);
    }

    std::mutex mutex_;
    std::map<std::tuple<int, int, int>, std::unique_ptr<Entry>> entries_;
    std::atomic<int> planning_{L0_FFTW_ESTIMATE};
    std::string wisdomPath_;
    bool wisdomLoaded_ = false;
};

//! The threads FFTW plans a transform for: OpenCV's (plans are cached per thread count).
int fftwThreads()
{
    return std::max(1, getNumThreads());
}

// FFTW's in-place layout: image rows padded to 2 * (cols/2 + 1) floats; the spectrum is rows x (cols/2 + 1)
// complex numbers, interleaved re, im. Each transform runs on its size's current plans (FFTWPlanCache).
class FFTWRealFFT2D CV_FINAL : public RealFFT2D
{
public:
    FFTWRealFFT2D(int rows, int cols, int planes)
        : RealFFT2D(rows, cols, planes, 2 * (cols / 2 + 1), size_t(rows) * (cols / 2 + 1) * 2),
          threads_(fftwThreads()), entry_(FFTWPlanCache::instance().get(rows, cols, planeStride(), threads_))
    {
    }

    void forward(float* plane) const CV_OVERRIDE
    {
        fftwf_execute_dft_r2c(entry_.plans.load()->forward, plane, reinterpret_cast<fftwf_complex*>(plane));
        counted();
    }
    void inverse(float* plane) const CV_OVERRIDE
    {
        fftwf_execute_dft_c2r(entry_.plans.load()->inverse, reinterpret_cast<fftwf_complex*>(plane), plane);
        counted();
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
    void counted() const
    {
        if (!entry_.measured) FFTWPlanCache::instance().countTransform(entry_);
    }

    int threads_ = 1;
    FFTWPlanCache::Entry& entry_;
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

FFTWPlanState fftwPlanState(int rows, int cols)
{
    return FFTWPlanCache::instance().state(rows, cols, fftwThreads());
}

bool fftwWisdomOn()
{
    return FFTWPlanCache::instance().wisdomOn();
}

} // namespace detail
} // namespace desmooth
} // namespace cv

#else

namespace cv {
namespace desmooth {
namespace detail {

void setFFTWPlanning(int) {}

FFTWPlanState fftwPlanState(int, int)
{
    return FFTWPlanState::none;
}

bool fftwWisdomOn()
{
    return false;
}

Ptr<RealFFT2D> createFFTWRealFFT2D(int, int, int)
{
    CV_Error(Error::StsNotImplemented,
             "desmooth was built without FFTW (DESMOOTH_WITH_FFTW=OFF or FFTW not found): use L0_FFT_OPENCV");
}

} // namespace detail
} // namespace desmooth
} // namespace cv

#endif
