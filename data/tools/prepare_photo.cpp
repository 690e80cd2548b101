// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// prepare_photo: turns packaged images into training photographs, or says why one is not.
//   prepare_photo [--min-side N] [--min-colours F] IN OUT [IN OUT ...]
// IN may be any image OpenCV reads or a GIMP pattern (.pat). Where the image has an alpha channel (cut-out
// stamps, landscape layers), the largest axis-aligned rectangle that is fully opaque is kept: a photograph
// never has transparent holes. An image is refused (a reason on stderr, OUT not written) when its shorter
// side is below --min-side or when it has fewer distinct colours than --min-colours x its pixel count (flat
// drawings and renders have few colours; photographs, with their noise and gradients, have many). Many pairs
// go to one process: loading OpenCV's libraries costs more than preparing a stamp.
// Exit 0: every pair written or refused; 1: an OUT could not be written; 2: bad usage.

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stack>
#include <string>
#include <unordered_set>
#include <vector>

namespace {

uint32_t bigEndian32(const unsigned char* p)
{
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

// A GIMP pattern (version 1): a big-endian header {header size, version, width, height, bytes per pixel,
// "GPAT"}, the name, then the pixels row by row (gray, gray+alpha, RGB or RGBA).
cv::Mat readGimpPattern(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    const std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)),
                                           std::istreambuf_iterator<char>());
    if (bytes.size() < 24 || std::string(bytes.begin() + 20, bytes.begin() + 24) != "GPAT") return {};
    const uint32_t header = bigEndian32(&bytes[0]), width = bigEndian32(&bytes[8]),
                   height = bigEndian32(&bytes[12]), channels = bigEndian32(&bytes[16]);
    if (channels < 1 || channels > 4 || width == 0 || height == 0 || width > 16384 || height > 16384 ||
        uint64_t(header) + uint64_t(width) * height * channels > bytes.size())
        return {};
    cv::Mat raw(int(height), int(width), CV_8UC(int(channels)), const_cast<unsigned char*>(&bytes[header])),
        bgr;
    if (channels == 1 || channels == 2) {
        cv::Mat gray;
        cv::extractChannel(raw, gray, 0);
        cv::merge(std::vector<cv::Mat>{gray, gray, gray}, bgr);
    } else {
        std::vector<cv::Mat> planes;
        cv::split(raw, planes);
        std::swap(planes[0], planes[2]); // RGB(A) -> BGR(A)
        cv::merge(planes, bgr);
    }
    return bgr;
}

// The largest rectangle of non-zero mask pixels: per row, the histogram of opaque run heights above it, and
// the largest rectangle under each histogram with a stack (O(width x height)).
cv::Rect largestFilledRectangle(const cv::Mat& mask)
{
    std::vector<int> heights(size_t(mask.cols) + 1, 0);
    cv::Rect best;
    for (int y = 0; y < mask.rows; ++y) {
        const uchar* row = mask.ptr<uchar>(y);
        for (int x = 0; x < mask.cols; ++x)
            heights[size_t(x)] = row[x] ? heights[size_t(x)] + 1 : 0;
        std::stack<int> open;
        for (int x = 0; x <= mask.cols; ++x) {
            while (!open.empty() && heights[size_t(open.top())] >= heights[size_t(x)]) {
                const int h = heights[size_t(open.top())];
                open.pop();
                const int left = open.empty() ? 0 : open.top() + 1;
                const int w = x - left;
                // Prefer the larger shorter side, then the larger area: training cuts square crops.
                const int shortSide = std::min(w, h), bestShort = std::min(best.width, best.height);
                if (shortSide > bestShort || (shortSide == bestShort && w * h > best.area()))
                    best = cv::Rect(left, y - h + 1, w, h);
            }
            open.push(x);
        }
    }
    return best;
}

double distinctColourShare(const cv::Mat& bgr)
{
    std::unordered_set<uint32_t> colours;
    for (int y = 0; y < bgr.rows; ++y)
        for (int x = 0; x < bgr.cols; ++x) {
            const cv::Vec3b p = bgr.at<cv::Vec3b>(y, x);
            colours.insert(uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2]);
        }
    return double(colours.size()) / double(bgr.total());
}

struct Limits
{
    int minSide = 128;
    double minColours = 0.0;
};

enum class Outcome
{
    written,
    refused,
    failed
};

Outcome refuse(const std::string& in, const std::string& why)
{
    std::cerr << "prepare_photo: " << in << ": " << why << "\n";
    return Outcome::refused;
}

Outcome prepare(const std::string& in, const std::string& out, const Limits& limits)
{
    const bool pattern = in.size() > 4 && in.compare(in.size() - 4, 4, ".pat") == 0;
    cv::Mat image = pattern ? readGimpPattern(in) : cv::imread(in, cv::IMREAD_UNCHANGED);
    if (image.empty()) return refuse(in, "not a readable image");
    if (image.depth() != CV_8U) image.convertTo(image, CV_8U, image.depth() == CV_16U ? 1.0 / 257 : 255.0);
    cv::Mat bgr;
    if (image.channels() == 4) {
        cv::Mat alpha;
        cv::extractChannel(image, alpha, 3);
        const cv::Rect opaque = largestFilledRectangle(alpha == 255);
        if (opaque.empty()) return refuse(in, "no opaque part");
        cv::Mat cut = image(opaque);
        cv::Mat planes[4];
        cv::split(cut, planes);
        cv::merge(planes, 3, bgr);
    } else if (image.channels() == 1) {
        cv::merge(std::vector<cv::Mat>{image, image, image}, bgr);
    } else {
        bgr = image;
    }
    if (std::min(bgr.rows, bgr.cols) < limits.minSide)
        return refuse(in,
                      cv::format("%dx%d is below the minimum side %d", bgr.cols, bgr.rows, limits.minSide));
    const double share = distinctColourShare(bgr);
    if (share < limits.minColours)
        return refuse(in, cv::format("%.3f distinct colours per pixel: a drawing, not a photograph", share));
    if (!cv::imwrite(out, bgr)) {
        std::cerr << "prepare_photo: cannot write " << out << "\n";
        return Outcome::failed;
    }
    return Outcome::written;
}

} // namespace

int main(int argc, char** argv)
{
    Limits limits;
    std::vector<std::string> paths;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--min-side" && i + 1 < argc)
            limits.minSide = std::atoi(argv[++i]);
        else if (arg == "--min-colours" && i + 1 < argc)
            limits.minColours = std::atof(argv[++i]);
        else if (arg.rfind("--", 0) == 0) {
            std::cerr << "prepare_photo: unknown option " << arg << "\n";
            return 2;
        } else
            paths.push_back(arg);
    }
    if (paths.empty() || paths.size() % 2 != 0) {
        std::cerr << "usage: prepare_photo [--min-side N] [--min-colours F] IN OUT [IN OUT ...]\n";
        return 2;
    }
    bool failed = false;
    for (size_t i = 0; i < paths.size(); i += 2)
        failed |= prepare(paths[i], paths[i + 1], limits) == Outcome::failed;
    return failed ? 1 : 0;
}
