// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "photo_dataset.hpp"

#include "image_files.hpp"
#include "random_smoother.hpp"
#include "smooth_image.hpp"

#include <opencv2/desmooth.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

namespace cv {
namespace desmooth {
namespace training {

namespace fs = std::filesystem;

namespace {

// FNV-1a, 64 bits: stable across runs and machines, unlike std::hash.
uint64_t fingerprint(const std::string& bytes, uint64_t hash = 1469598103934665603ull)
{
    for (unsigned char c : bytes)
        hash = (hash ^ c) * 1099511628211ull;
    return hash;
}

std::string readBytes(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

} // namespace

torch::Tensor imageToTensor(const cv::Mat& bgr)
{
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    rgb.convertTo(rgb, CV_32F, 2.0 / 255, -1.0);
    return torch::from_blob(rgb.data, {rgb.rows, rgb.cols, 3}).permute({2, 0, 1}).clone();
}

cv::Mat tensorToImage(const torch::Tensor& rgb)
{
    const torch::Tensor hwc = ((rgb.detach().to(torch::kCPU, torch::kFloat32) + 1) * 127.5)
                                  .clamp(0, 255)
                                  .permute({1, 2, 0})
                                  .contiguous();
    cv::Mat image(int(hwc.size(0)), int(hwc.size(1)), CV_32FC3, hwc.data_ptr<float>()), bgr;
    image.convertTo(bgr, CV_8U);
    cv::cvtColor(bgr, bgr, cv::COLOR_RGB2BGR);
    return bgr;
}

namespace {

// The square `region` of `image` resized to side x side: INTER_AREA when it shrinks (as users downscale
// photos), bicubic when it enlarges a photo smaller than a crop.
cv::Mat cutAndResize(const cv::Mat& image, const cv::Rect& region, int side)
{
    cv::Mat out;
    cv::resize(image(region), out, cv::Size(side, side), 0, 0,
               region.width > side ? cv::INTER_AREA : cv::INTER_CUBIC);
    return out;
}

} // namespace

void DatasetOptions::validate() const
{
    const auto refuse = [](const std::string& why) { throw std::invalid_argument("data set: " + why); };
    const auto isShare = [](double share) { return share >= 0 && share < 1; }; // false for NaN
    if (!(l0Lambda > 0) || !(l0Kappa > 1))
        refuse(cv::format("L0 lambda %g must be > 0 and kappa %g > 1 (--l0-lambda, --l0-kappa)", l0Lambda,
                          l0Kappa));
    if (!isShare(validationFraction))
        refuse(cv::format("the held-out fraction %g must be in [0, 1) (--val-fraction)", validationFraction));
    if (!isShare(identityShare))
        refuse(cv::format("the unsmoothed share %g must be in [0, 1) (--identity-share)", identityShare));
    if (minLongSide < 0)
        refuse(cv::format("the smallest long side %d must be >= 0 (--min-long-side)", minLongSide));
    // These act per crop, on the crop's own smoother: without smoother kinds there is none.
    const bool perCrop = !smootherKinds.empty();
    if (reverseIterations < 0 || (reverseIterations > 0 && !perCrop))
        refuse(
            cv::format("reverse filtering %d times needs >= 0 and, above 0, smoother kinds (--reverse-input "
                       "with --smoothers)",
                       reverseIterations));
    if (!isShare(smoothImageShare) || (smoothImageShare > 0 && !perCrop))
        refuse(
            cv::format("the synthetic smooth image share %g must be in [0, 1) and, above 0, needs smoother "
                       "kinds (--smooth-image-share with --smoothers)",
                       smoothImageShare));
    if (!isShare(jpegShare) || (jpegShare > 0 && !perCrop))
        refuse(
            cv::format("the JPEG share %g must be in [0, 1) and, above 0, needs smoother kinds (--jpeg-share "
                       "with --smoothers: crops are saved as JPEG after their smoother)",
                       jpegShare));
    if (!(wideShare >= 0 && wideShare <= 1) || (wideShare > 0 && !perCrop))
        refuse(cv::format("the share %g of crops at wide strengths must be in [0, 1] and, above 0, needs "
                          "smoother kinds (--strengths with --smoothers: the random smoother per crop)",
                          wideShare));
    const auto [worstQuality, bestQuality] = jpegQuality;
    if (worstQuality < 1 || worstQuality > bestQuality || bestQuality > 100)
        refuse(cv::format("JPEG qualities %d..%d: 1 <= smallest <= largest <= 100 (--jpeg-quality)",
                          worstQuality, bestQuality));
}

PhotoDataset::PhotoDataset(const std::string& folder, const DatasetOptions& options) : options_(options)
{
    if (!fs::is_directory(folder)) throw std::runtime_error("photo folder '" + folder + "' does not exist");
    options.validate();
    // The same image files every program finds (apps/common): recursive, by extension, sorted.
    std::vector<fs::path> files;
    for (const std::string& relative : cv::desmooth::apps::listImages(folder))
        files.push_back(fs::path(folder) / relative);
    if (files.empty())
        throw std::runtime_error("no photos (jpg, png, webp, tiff, bmp, pnm) under '" + folder + "'");

    std::set<std::string> heldOutNames;
    if (!options.splitFile.empty()) {
        for (const std::string& name : cv::desmooth::apps::readFileList(options.splitFile))
            heldOutNames.insert(name);
    } else {
        std::vector<fs::path> shuffled = files;
        std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(options.seed));
        const size_t count = size_t(options.validationFraction * double(files.size()) + 0.5);
        for (size_t i = 0; i < count; ++i)
            heldOutNames.insert(fs::relative(shuffled[i], folder).string());
    }

    if (!options.cacheDir.empty() && options.writeCache) fs::create_directories(options.cacheDir);
    for (const fs::path& file : files) {
        PhotoPair pair;
        pair.name = fs::relative(file, folder).string();
        const std::string bytes = readBytes(file);
        pair.photo = cv::imdecode(cv::Mat(1, int(bytes.size()), CV_8U, const_cast<char*>(bytes.data())),
                                  cv::IMREAD_COLOR);
        if (pair.photo.empty()) {
            std::cerr << "warning: skipping '" << file.string() << "': not a readable image\n";
            skipped_.push_back(pair.name);
            continue;
        }
        const uint64_t key = fingerprint(
            cv::format("l0 %.17g %.17g circular", options.l0Lambda, options.l0Kappa), fingerprint(bytes));
        const fs::path cached =
            options.cacheDir.empty()
                ? fs::path()
                : fs::path(options.cacheDir) / cv::format("%016llx.png", (unsigned long long)key);
        const bool heldOut = heldOutNames.count(pair.name) > 0;
        if (!heldOut && !options.smootherKinds.empty()) { // smoothed per crop by sampleBatch
            training_.push_back(std::move(pair));
            continue;
        }
        if (!cached.empty() && fs::exists(cached))
            pair.smoothed = cv::imread(cached.string(), cv::IMREAD_COLOR);
        if (pair.smoothed.size() != pair.photo.size()) {
            cv::desmooth::L0Smooth(pair.photo, pair.smoothed, options.l0Lambda, options.l0Kappa);
            if (!cached.empty() && options.writeCache) {
                const fs::path temporary = cached.string() + ".tmp.png";
                if (cv::imwrite(temporary.string(), pair.smoothed)) fs::rename(temporary, cached);
            }
        }
        (heldOut ? heldOut_ : training_).push_back(std::move(pair));
    }
    if (training_.empty()) throw std::runtime_error("no training photos left after the held-out split");
}

std::pair<torch::Tensor, torch::Tensor> PhotoDataset::sampleBatch(int batch, int crop,
                                                                  std::mt19937_64& rng) const
{
    return sampleBatch(batch, crop, rng, 0, batch);
}

std::pair<torch::Tensor, torch::Tensor> PhotoDataset::sampleBatch(int batch, int crop, std::mt19937_64& rng,
                                                                  int first, int count) const
{
    if (first < 0 || count < 1 || first + count > batch)
        throw std::invalid_argument(
            cv::format("sampleBatch: crops %d..%d of a batch of %d", first, first + count - 1, batch));
    // Smoothing a crop alone would make its borders differ from the same area of a smoothed photo: smooth a
    // margin around it and keep the centre.
    const bool perCrop = !options_.smootherKinds.empty();
    const int margin = perCrop ? crop / 8 : 0, window = crop + 2 * margin;
    std::vector<torch::Tensor> smooths, photos;
    for (int i = 0; i < batch; ++i) {
        const PhotoPair& pair =
            training_[std::uniform_int_distribution<size_t>(0, training_.size() - 1)(rng)];
        const cv::Mat& photo = pair.photo;
        const int longSide = std::max(photo.rows, photo.cols), shortSide = std::min(photo.rows, photo.cols);
        double scale = 1.0;
        if (options_.minLongSide > 0 && longSide > options_.minLongSide)
            scale = std::exp(std::uniform_real_distribution<double>(
                std::log(double(options_.minLongSide) / longSide), 0.0)(rng));
        scale = std::max(scale, double(window) / shortSide); // > 1 enlarges a photo smaller than a window
        const int side = std::min(shortSide, int(std::lround(window / scale)));
        const int x = std::uniform_int_distribution<int>(0, photo.cols - side)(rng);
        const int y = std::uniform_int_distribution<int>(0, photo.rows - side)(rng);
        const cv::Rect region(x, y, side, side);
        // The draws below happen for every crop; the work only for this caller's range.
        const bool mine = i >= first && i < first + count;
        const std::string spec = perCrop ? drawSmootherSpec(options_.smootherKinds, options_.identityShare,
                                                            rng, options_.wideShare)
                                         : std::string();
        const bool flip = std::uniform_int_distribution<int>(0, 1)(rng) != 0;
        bool smoothImage = false;
        uint64_t smoothImageSeed = 0;
        if (perCrop && options_.smoothImageShare > 0) {
            smoothImage = std::uniform_real_distribution<double>(0, 1)(rng) < options_.smoothImageShare;
            smoothImageSeed = rng();
        }
        int jpegQuality = 0; // 0: the smoothed crop as it is
        if (perCrop && options_.jpegShare > 0) {
            const bool jpeg = std::uniform_real_distribution<double>(0, 1)(rng) < options_.jpegShare;
            const int quality = std::uniform_int_distribution<int>(options_.jpegQuality.first,
                                                                   options_.jpegQuality.second)(rng);
            if (jpeg) jpegQuality = quality;
        }
        if (!mine) continue;
        cv::Mat photoCrop = smoothImage ? drawSmoothImage(window, smoothImageSeed)
                                        : cutAndResize(photo, region, window),
                smoothCrop;
        if (perCrop) {
            // "none" (an unsmoothed pair) is a smoother like the others: it copies.
            const cv::Ptr<cv::desmooth::Smoother> smoother = cv::desmooth::Smoother::create(spec);
            smoother->apply(photoCrop, smoothCrop);
            // The window's side and margin are multiples of 8 for crops that are: JPEG's grid then lies on
            // the crop's, as on a whole image.
            if (jpegQuality) smoothCrop = cv::desmooth::apps::throughJpeg(smoothCrop, jpegQuality);
            if (options_.reverseIterations > 0)
                cv::desmooth::reverseFilter(smoothCrop, smoothCrop, smoother, options_.reverseIterations);
            const cv::Rect centre(margin, margin, crop, crop);
            photoCrop = photoCrop(centre).clone();
            smoothCrop = smoothCrop(centre).clone();
        } else {
            smoothCrop = cutAndResize(pair.smoothed, region, window);
        }
        if (flip) {
            cv::flip(photoCrop, photoCrop, 1);
            cv::flip(smoothCrop, smoothCrop, 1);
        }
        photos.push_back(imageToTensor(photoCrop));
        smooths.push_back(imageToTensor(smoothCrop));
    }
    return {torch::stack(smooths), torch::stack(photos)};
}

} // namespace training
} // namespace desmooth
} // namespace cv
