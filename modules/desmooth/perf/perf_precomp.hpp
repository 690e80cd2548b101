// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_PERF_PRECOMP_HPP
#define OPENCV_DESMOOTH_PERF_PRECOMP_HPP

#include "data_path.hpp"

#include <opencv2/desmooth.hpp>
#include <opencv2/ts.hpp>

namespace opencv_test {
using namespace perf;

//! A committed photo of the repository's data/ folder, resized to `size` (perf inputs are real images: L0
//! smoothing and the generator cost the same on any content, but a photo keeps the outputs meaningful).
inline Mat perfPhoto(const Size& size)
{
    const std::string path = dataPath("photos/butterfly.jpg");
    Mat photo = imread(path, IMREAD_COLOR);
    if (photo.empty()) CV_Error(Error::StsObjectNotFound, "desmooth perf: cannot read " + path);
    resize(photo, photo, size, 0, 0, INTER_AREA);
    return photo;
}

} // namespace opencv_test

#endif
