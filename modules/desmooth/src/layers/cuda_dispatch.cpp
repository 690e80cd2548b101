// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "../precomp.hpp"

#include "cuda_dispatch.hpp"

#ifdef DESMOOTH_HAVE_CUDA
#include "desmooth_cuda.hpp"
#endif

namespace cv {
namespace desmooth {

namespace {

bool deviceUsable()
{
#ifdef DESMOOTH_HAVE_CUDA
    static const bool usable = cv::desmooth::cuda::deviceAvailable();
    return usable;
#else
    return false;
#endif
}

} // namespace

bool haveCUDA()
{
    return deviceUsable();
}

bool useCudaKernels(bool requested)
{
    if (!requested) return false;
    if (deviceUsable()) return true;
    static std::once_flag once;
    std::call_once(once, [] {
#ifdef DESMOOTH_HAVE_CUDA
        CV_LOG_INFO(
            NULL,
            "desmooth: CUDA was asked for, but no CUDA device is usable: the custom layers run on the CPU");
#else
        CV_LOG_INFO(NULL, "desmooth: CUDA was asked for, but this build has no CUDA kernels: the custom layers run on "
                          "the CPU");
#endif
    });
    return false;
}

} // namespace desmooth
} // namespace cv
