// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_CUDA_DISPATCH_HPP
#define OPENCV_DESMOOTH_CUDA_DISPATCH_HPP

namespace cv {
namespace desmooth {

/** Whether a layer asked to use CUDA (`requested`) can: the build has the kernels and a device is usable.
Where it cannot, the layer runs on the CPU, and the first such call says why in the log. */
bool useCudaKernels(bool requested);

} // namespace desmooth
} // namespace cv

#endif
