// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "metrics_input.hpp"
#include "opencv2/desmooth/metrics.hpp"

#include <limits>

#include "configuration.hpp"

#include <fstream>
#include <map>

#include <opencv2/quality/qualitybrisque.hpp>
#include <opencv2/quality/qualitygmsd.hpp>
#include <opencv2/quality/qualityssim.hpp>

namespace cv {
namespace desmooth {

namespace detail {

void checkImageInput(const Mat& src, const char* what)
{
    if (src.empty()) CV_Error(Error::StsBadArg, cv::format("%s is empty", what));
    const int depth = src.depth(), channels = src.channels();
    if (depth != CV_8U && depth != CV_16U && depth != CV_32F)
        CV_Error(Error::BadDepth, cv::format("%s must be CV_8U, CV_16U or CV_32F", what));
    if (channels != 1 && channels != 3 && channels != 4)
        CV_Error(Error::BadNumChannels, cv::format("%s must have 1, 3 or 4 channels", what));
    if (depth == CV_32F && !cv::checkRange(src))
        CV_Error(Error::StsBadArg, cv::format("%s has NaN or infinite values", what));
}

double scaleTo255(int depth)
{
    return depth == CV_8U ? 1.0 : depth == CV_16U ? 255.0 / 65535.0 : 255.0;
}

double scaleToUnit(int depth)
{
    return scaleTo255(depth) / 255.0;
}

Mat toColour255(InputArray image, const char* what)
{
    const Mat src = image.getMat();
    checkImageInput(src, what);
    Mat colour = src;
    if (src.channels() == 4) cv::cvtColor(src, colour, COLOR_BGRA2BGR);
    Mat out;
    colour.convertTo(out, CV_32F, scaleTo255(src.depth()));
    return out;
}

void checkSameShape(const Mat& a, const Mat& b, const char* what)
{
    if (a.size() != b.size() || a.channels() != b.channels())
        CV_Error(Error::StsUnmatchedSizes,
                 cv::format("%s: the images differ in size or channels (%dx%dx%d vs %dx%dx%d)", what, a.cols,
                            a.rows, a.channels(), b.cols, b.rows, b.channels()));
}

double pooledMse(const Mat& a, const Mat& b)
{
    return cv::norm(a, b, NORM_L2SQR) / double(a.total() * a.channels());
}

} // namespace detail

namespace {

// The quality module scores each channel: the mean of the first `channels` entries.
double channelMean(const Scalar& perChannel, int channels)
{
    double sum = 0;
    for (int c = 0; c < channels; ++c)
        sum += perChannel[c];
    return sum / channels;
}

} // namespace

double psnr(InputArray a, InputArray b)
{
    const Mat x = detail::toColour255(a, "psnr: the first image"),
              y = detail::toColour255(b, "psnr: the second image");
    detail::checkSameShape(x, y, "psnr");
    const double mse = detail::pooledMse(x, y);
    return mse == 0 ? std::numeric_limits<double>::infinity() : 10.0 * std::log10(255.0 * 255.0 / mse);
}

double ssim(InputArray a, InputArray b)
{
    const Mat x = detail::toColour255(a, "ssim: the first image"),
              y = detail::toColour255(b, "ssim: the second image");
    detail::checkSameShape(x, y, "ssim");
    const int border = 5; // half the 11x11 window: scikit-image averages only where the window fits
    if (x.cols < 2 * border + 1 || x.rows < 2 * border + 1)
        CV_Error(Error::StsBadSize, "ssim: the images must be at least 11x11 pixels");
    // QualitySSIM's map is Wang et al.'s (Gaussian 11x11, sigma 1.5, K1 0.01, K2 0.03, L 255); its own mean
    // includes the border, so average the valid region ourselves. It holds about twenty float maps of its
    // input (5 GB for a 20-megapixel photo), so it runs on bands of rows, each with the window's border above
    // and below: a valid row sees only real rows either way, so the mean is the whole image's.
    const int bandRows = 256, validRows = x.rows - 2 * border, validCols = x.cols - 2 * border;
    Scalar sum = Scalar::all(0);
    for (int top = border; top < border + validRows; top += bandRows) {
        const int rows = std::min(bandRows, border + validRows - top);
        const Rect band(0, top - border, x.cols, rows + 2 * border);
        Mat map;
        cv::quality::QualitySSIM::compute(x(band), y(band), map);
        sum += cv::sum(map(Rect(border, border, validCols, rows)));
    }
    return channelMean(sum * (1.0 / (double(validRows) * validCols)), x.channels());
}

double smoothConsistency(InputArray recovered, InputArray smoothed, const Ptr<Smoother>& smoother)
{
    CV_Assert(!smoother.empty());
    const Mat r = detail::toColour255(recovered, "smoothConsistency: the recovery");
    const Mat s = detail::toColour255(smoothed, "smoothConsistency: the smoothed input");
    detail::checkSameShape(r, s, "smoothConsistency");
    // Re-smooth the recovery as it is (its own type), exactly as the input was made from the photo.
    Mat resmoothed;
    smoother->apply(recovered, resmoothed);
    return detail::pooledMse(detail::toColour255(resmoothed, "smoothConsistency: the re-smoothed recovery"),
                             s);
}

double gmsd(InputArray a, InputArray reference)
{
    const Mat x = detail::toColour255(a, "gmsd: the image"),
              y = detail::toColour255(reference, "gmsd: the reference");
    detail::checkSameShape(x, y, "gmsd");
    if (x.cols < 2 || x.rows < 2) CV_Error(Error::StsBadSize, "gmsd: the images must be at least 2x2 pixels");
    return channelMean(cv::quality::QualityGMSD::compute(y, x, noArray()), x.channels());
}

double brisque(InputArray image)
{
    const Mat x = detail::toColour255(image, "brisque: the image");
    if (x.cols < 16 || x.rows < 16)
        CV_Error(Error::StsBadSize, "brisque: the image must be at least 16x16 pixels");
    const std::string folder = cv::utils::getConfigurationParameterString("OPENCV_DESMOOTH_BRISQUE_DIR",
                                                                          "/usr/share/opencv4/quality");
    const std::string model = folder + "/brisque_model_live.yml", range = folder + "/brisque_range_live.yml";
    for (const std::string& file : {model, range})
        if (!std::ifstream(file).good())
            CV_Error(
                Error::StsObjectNotFound,
                "brisque: '" + file +
                    "' is missing: install Debian's opencv-data, or point OPENCV_DESMOOTH_BRISQUE_DIR at the "
                    "folder of brisque_model_live.yml and brisque_range_live.yml");
    // The SVM model is read once per folder: loading it takes longer than scoring a photo.
    static std::mutex mutex;
    static std::map<std::string, Ptr<cv::quality::QualityBRISQUE>> loaded;
    Ptr<cv::quality::QualityBRISQUE> scorer;
    {
        std::lock_guard<std::mutex> lock(mutex);
        Ptr<cv::quality::QualityBRISQUE>& slot = loaded[folder];
        if (!slot) slot = cv::quality::QualityBRISQUE::create(model, range);
        scorer = slot;
    }
    Mat eight;
    x.convertTo(eight, CV_8U);               // QualityBRISQUE works on 8-bit gray (it converts BGR itself)
    std::lock_guard<std::mutex> lock(mutex); // one QualityBRISQUE is not documented as thread-safe
    return scorer->compute(eight)[0];
}

namespace {

double highPassEnergy(const Mat& colour255)
{
    Mat gray = colour255, blurred;
    if (gray.channels() == 3) cv::cvtColor(colour255, gray, COLOR_BGR2GRAY);
    cv::GaussianBlur(gray, blurred, Size(0, 0), 1.5, 1.5, BORDER_REFLECT_101);
    return cv::norm(gray, blurred, NORM_L2SQR) / double(gray.total());
}

} // namespace

double detailRatio(InputArray image, InputArray reference)
{
    const Mat x = detail::toColour255(image, "detailRatio: the image"),
              y = detail::toColour255(reference, "detailRatio: the reference");
    detail::checkSameShape(x, y, "detailRatio");
    // Below 1e-6 (on 0..255) an energy is the blur's rounding on a flat image, not detail.
    const double noDetail = 1e-6;
    double mine = highPassEnergy(x), theirs = highPassEnergy(y);
    if (mine < noDetail) mine = 0;
    if (theirs < noDetail) return mine == 0 ? 1.0 : std::numeric_limits<double>::infinity();
    return mine / theirs;
}

} // namespace desmooth
} // namespace cv
