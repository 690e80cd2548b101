// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "configuration.hpp"
#include "jpeg_quality_internals.hpp"
#include "metrics_input.hpp"
#include "smoother_call.hpp"

#include <opencv2/imgcodecs.hpp>

namespace cv {
namespace desmooth {

namespace {

const int kMcu = 16;           //!< JPEG's largest block (chroma subsampled 2x2): crops keep whole ones
const int kCropSide = 256;     //!< of the top-left crop the qualities are tried on
const double kGhostDip = 0.25; //!< the answer's change against its neighbours' at most
//! Where the DCT coefficients show a quality, the encodings try this many qualities either side of it first
//! (9 encodings instead of 88): far enough for qualities with alike low-frequency steps (49..51).
const int kShownQualityMargin = 3;

/** The image as it comes back from OpenCV's JPEG encoder at `quality`. */
Mat throughJpeg(const Mat& image, int quality)
{
    std::vector<uchar> bytes;
    if (!imencode(".jpg", image, bytes, {IMWRITE_JPEG_QUALITY, quality}))
        CV_Error(Error::StsError, "estimateJpegQuality: OpenCV's JPEG encoder failed");
    return imdecode(bytes, image.channels() == 1 ? IMREAD_GRAYSCALE : IMREAD_COLOR);
}

/** BGR or gray 8-bit (what a JPEG file holds): an alpha plane dropped. */
Mat withoutAlpha(const Mat& image)
{
    if (image.channels() != 4) return image;
    Mat bgr;
    cvtColor(image, bgr, COLOR_BGRA2BGR);
    return bgr;
}

/** How much saving `image` as JPEG at `quality` changes it: the mean squared change per value (0..255). */
double jpegChange(const Mat& image, int quality)
{
    return norm(image, throughJpeg(image, quality), NORM_L2SQR) / double(image.total() * image.channels());
}

/** jpegChange(crop, quality) for the search's qualities (kJpegLowestQuality - 1..kJpegHighestQuality + 1),
 * each encoded once however often it is asked for: the search around the DCT coefficients' quality, the whole
 * search and the choice among qualities alike ask for some of the same. */
class JpegChanges
{
public:
    explicit JpegChanges(const Mat& crop) : crop_(crop), change_(detail::kJpegHighestQuality + 2, -1.0) {}
    double at(int quality)
    {
        double& change = change_.at(size_t(quality));
        if (change < 0) change = jpegChange(crop_, quality);
        return change;
    }
    /** The quality in lowest..highest whose encoding changes the crop least (the lowest of equals). */
    int least(int lowest, int highest)
    {
        int least = lowest;
        for (int quality = lowest + 1; quality <= highest; ++quality)
            if (at(quality) < at(least)) least = quality;
        return least;
    }

private:
    const Mat& crop_;
    std::vector<double> change_; //!< by quality; < 0 where not encoded yet
};

/** detail::jpegQualitySearch() over `changes`. */
int searchQuality(JpegChanges& changes, int lowest, int highest)
{
    CV_CheckLE(detail::kJpegLowestQuality, lowest, "jpegQualitySearch: the lowest quality tried");
    CV_CheckLE(lowest, highest, "jpegQualitySearch: the qualities tried");
    CV_CheckLE(highest, detail::kJpegHighestQuality, "jpegQualitySearch: the highest quality tried");
    const int least = changes.least(lowest, highest);
    // A lossless image changes less the finer the quantisation, smoothly; a decoded one dips at its own.
    return changes.at(least) < kGhostDip * std::min(changes.at(least - 1), changes.at(least + 1)) ? least : 0;
}

/** The multiple of the estimated compression error's energy the consistency steps may leave:
 * DESMOOTH_COMPRESSION_FLOOR_SCALE, else 3 (chosen on training photos: docs/results.md). Read at each use,
 * as DESMOOTH_TILE_SIZE is. */
double compressionFloorScale()
{
    const std::string text = utils::getConfigurationParameterString("DESMOOTH_COMPRESSION_FLOOR_SCALE", "");
    if (text.empty()) return 3.0;
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !(value >= 0 && value <= 100))
        CV_Error(Error::StsOutOfRange,
                 "DESMOOTH_COMPRESSION_FLOOR_SCALE must be a number in 0..100 (got \"" + text + "\")");
    return value;
}

/** estimateJpegQuality(image); with `anyWillDo`, where only whether there is a quality matters, the DCT
 * coefficients' quality where they show one, without the encodings (the search's answer, where it differs, is
 * not 0 either). */
int jpegQualityOf(const Mat& image, bool anyWillDo)
{
    detail::checkImageInput(image, "estimateJpegQuality: the image");
    if (image.depth() != CV_8U) return 0;
    const Mat crop = detail::jpegQualityCrop(image);
    if (crop.empty()) return 0;
    // Most images never were a JPEG file: their DCT coefficients say so at a fraction of the encodings' cost.
    const detail::JpegQuantisation quantisation = detail::jpegQuantisation(crop);
    if (!quantisation.untold && quantisation.score < detail::kJpegQuantisationThreshold) return 0;
    const bool shown = quantisation.score >= detail::kJpegQuantisationFound;
    if (anyWillDo && shown) return quantisation.quality;
    // Most decoded images were last saved at the quality their coefficients show: the encodings around it
    // find it. Where they do not (an image saved twice shows the coarser, earlier quality), all of them run.
    JpegChanges changes(crop);
    if (shown) {
        const int near = searchQuality(
            changes, std::max(detail::kJpegLowestQuality, quantisation.quality - kShownQualityMargin),
            std::min(detail::kJpegHighestQuality, quantisation.quality + kShownQualityMargin));
        if (near) return near;
    }
    const int searched = searchQuality(changes, detail::kJpegLowestQuality, detail::kJpegHighestQuality);
    if (searched) return searched;
    // The search misses where neighbouring qualities' tables are alike (high qualities, smooth images); the
    // coefficients still sit on their own quality's steps. Where other qualities have the same steps at the
    // frequencies they were read at (49..51), saving again at the one it was saved at changes it least,
    // though not by the search's margin.
    if (!shown) return 0;
    const auto [lowest, highest] = detail::jpegQualitiesAlike(quantisation.quality);
    return changes.least(lowest, highest);
}

} // namespace

int estimateJpegQuality(InputArray image)
{
    return jpegQualityOf(image.getMat(), false);
}

namespace detail {

bool savedAsJpeg(const Mat& image)
{
    return jpegQualityOf(image, true) > 0;
}

Mat jpegQualityCrop(const Mat& image)
{
    const int width = std::min(image.cols, kCropSide) / kMcu * kMcu,
              height = std::min(image.rows, kCropSide) / kMcu * kMcu;
    if (width == 0 || height == 0) return Mat();
    return withoutAlpha(image(Rect(0, 0, width, height)).clone());
}

int jpegQualitySearch(const Mat& crop, int lowest, int highest)
{
    JpegChanges changes(crop);
    return searchQuality(changes, lowest, highest);
}

double compressionFloor(const Mat& smoothed, const Mat& recovered, Smoother& smoother, const char* caller)
{
    // The scale first: at 0 the quality's 88 encodings would be spent for nothing.
    const double scale = compressionFloorScale();
    if (scale == 0) return 0;
    const int quality = estimateJpegQuality(smoothed);
    if (quality == 0) return 0;
    // F(x) stands in for the image that was saved: what saving it at that quality changes is the size of
    // the compression's error. It comes out smaller than the error was (a smoothed image of the network's
    // recovery compresses better than the smoothed photo did), hence the scale.
    Mat resmoothed;
    smoothChecked(smoother, recovered, caller).convertTo(resmoothed, CV_8U, 255.0);
    const Mat colour = withoutAlpha(resmoothed);
    const double perValue = jpegChange(colour, quality) / (255.0 * 255.0);
    return scale * perValue * double(colour.total() * colour.channels());
}

} // namespace detail
} // namespace desmooth
} // namespace cv
