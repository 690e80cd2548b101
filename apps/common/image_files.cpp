// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "image_files.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace cv {
namespace desmooth {
namespace apps {

bool hasImageExtension(const std::string& path)
{
    std::string extension = fs::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    for (const char* known :
         {".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".ppm", ".pgm", ".pnm"})
        if (extension == known) return true;
    return false;
}

std::vector<std::string> listImages(const std::string& folder)
{
    if (!fs::is_directory(folder)) throw std::runtime_error("'" + folder + "' is not a folder");
    std::vector<std::string> files;
    for (const auto& entry :
         fs::recursive_directory_iterator(folder, fs::directory_options::follow_directory_symlink))
        if (entry.is_regular_file() && hasImageExtension(entry.path().string()))
            files.push_back(fs::relative(entry.path(), folder).string());
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<std::string> readFileList(const std::string& path)
{
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read the file list '" + path + "'");
    std::vector<std::string> files;
    for (std::string line; std::getline(in, line);) {
        while (!line.empty() && std::isspace((unsigned char)line.back()))
            line.pop_back();
        if (!line.empty() && line[0] != '#') files.push_back(line);
    }
    return files;
}

cv::Mat fitLongSide(const cv::Mat& image, int maxSide)
{
    const int side = std::max(image.cols, image.rows);
    if (maxSide <= 0 || side <= maxSide) return image;
    const double scale = double(maxSide) / side;
    cv::Mat fitted;
    cv::resize(image, fitted, cv::Size(), scale, scale, cv::INTER_AREA);
    return fitted;
}

cv::Mat loadPhoto(const std::string& path, int maxSide)
{
    const cv::Mat photo = cv::imread(path, cv::IMREAD_COLOR);
    if (photo.empty()) throw std::runtime_error("cannot read an image from '" + path + "'");
    return fitLongSide(photo, maxSide);
}

cv::Mat throughJpeg(const cv::Mat& image, int quality)
{
    if (image.depth() != CV_8U)
        throw std::runtime_error("JPEG holds 8-bit images only; this one is of depth " +
                                 std::to_string(image.depth()));
    if (quality < 1 || quality > 100)
        throw std::runtime_error("JPEG quality " + std::to_string(quality) + " is not in 1..100");
    std::vector<uchar> bytes;
    if (!cv::imencode(".jpg", image, bytes, {cv::IMWRITE_JPEG_QUALITY, quality}))
        throw std::runtime_error("the image could not be encoded as JPEG");
    return cv::imdecode(bytes, cv::IMREAD_UNCHANGED);
}

} // namespace apps
} // namespace desmooth
} // namespace cv
