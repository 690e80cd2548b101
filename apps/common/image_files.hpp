// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_APPS_IMAGE_FILES_HPP
#define DESMOOTH_APPS_IMAGE_FILES_HPP

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace cv {
namespace desmooth {
namespace apps {

/** Whether the name ends in an image extension OpenCV reads (case-insensitive). */
bool hasImageExtension(const std::string& path);

/** The image files under a folder, searched recursively, as paths relative to it, sorted. Throws
 * std::runtime_error when the folder does not exist. */
std::vector<std::string> listImages(const std::string& folder);

/** Reads a list of relative paths (one a line; blank lines and '#' comments skipped), e.g. a held-out split.
 */
std::vector<std::string> readFileList(const std::string& path);

/** The image downscaled with INTER_AREA to long side maxSide when larger (0: never); else the image itself.
 */
cv::Mat fitLongSide(const cv::Mat& image, int maxSide);

/** A photo as BGR, fitted to long side maxSide (fitLongSide); std::runtime_error when it cannot be read. */
cv::Mat loadPhoto(const std::string& path, int maxSide);

/** The image as it comes back from a JPEG file of that quality (1..100), as most images people share are;
 * 8-bit images only (JPEG holds no more), else std::runtime_error. */
cv::Mat throughJpeg(const cv::Mat& image, int quality);

} // namespace apps
} // namespace desmooth
} // namespace cv

#endif
