// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_CONFIGURATION_HPP
#define OPENCV_DESMOOTH_CONFIGURATION_HPP

// OpenCV's configuration parameters (environment variables read through cv::utils, as OpenCV's own modules
// read theirs). Inside an OpenCV tree the private header declares them; Debian's OpenCV does not install it,
// so the standalone build declares the same exported functions of opencv_core.
#ifdef __OPENCV_BUILD
#include "opencv2/core/utils/configuration.private.hpp"
#else
#include <opencv2/core.hpp>

#include <string>

namespace cv {
namespace utils {
CV_EXPORTS std::string getConfigurationParameterString(const char* name, const char* defaultValue);
CV_EXPORTS size_t getConfigurationParameterSizeT(const char* name, size_t defaultValue);
} // namespace utils
} // namespace cv
#endif

#endif
