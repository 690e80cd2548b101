// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "metrics_input.hpp"
#include "opencv2/desmooth/smoother.hpp"

#if defined(HAVE_OPENCV_XIMGPROC) || defined(DESMOOTH_HAVE_XIMGPROC)
#include <opencv2/ximgproc/edge_filter.hpp>
#define DESMOOTH_XIMGPROC_AVAILABLE 1
#endif
#if defined(HAVE_OPENCV_PHOTO) || defined(DESMOOTH_HAVE_PHOTO)
#include <opencv2/photo.hpp>
#define DESMOOTH_PHOTO_AVAILABLE 1
#endif

#include <map>
#include <sstream>

namespace cv {
namespace desmooth {

namespace {

/** Smoothers built on opencv_ximgproc fail when they are made, not at their first image, in a build without
 * it. */
void requireXimgproc(const char* smoother)
{
#ifdef DESMOOTH_XIMGPROC_AVAILABLE
    CV_UNUSED(smoother);
#else
    CV_Error(Error::StsNotImplemented,
             cv::format("%s smoother: this build of desmooth has no opencv_ximgproc", smoother));
#endif
}

/** Runs a filter that wants 1 or 3 float channels on the 0..255 scale over any supported input: converts in
 * and back, and passes alpha through. */
template <typename Filter>
void applyOnColour(InputArray _src, OutputArray _dst, const char* name, Filter filter)
{
    const Mat src = _src.getMat();
    detail::checkImageInput(src, cv::format("%s: the input", name).c_str());
    const int depth = src.depth(), channels = src.channels();
    Mat colour, alpha;
    if (channels == 4) {
        std::vector<Mat> planes;
        cv::split(src, planes);
        alpha = planes[3];
        planes.pop_back();
        cv::merge(planes, colour);
    } else {
        colour = src;
    }
    const double scale = detail::scaleTo255(depth);
    Mat in, out;
    colour.convertTo(in, CV_32F, scale);
    filter(in, out);
    Mat result;
    out.convertTo(result, depth, 1.0 / scale);
    if (!alpha.empty()) {
        std::vector<Mat> planes;
        cv::split(result, planes);
        planes.push_back(alpha);
        cv::merge(planes, result);
    }
    _dst.assign(result);
}

class L0SmootherAdapter CV_FINAL : public Smoother
{
public:
    L0SmootherAdapter(double lambda, double kappa, int border)
        : lambda_(lambda), kappa_(kappa), border_(border)
    {
        L0Smoother::create(lambda, kappa, border); // validates the parameters now, not at the first image
    }
    void apply(InputArray src, OutputArray dst) CV_OVERRIDE { L0Smooth(src, dst, lambda_, kappa_, border_); }
    String describe() const CV_OVERRIDE
    {
        return cv::format("l0:lambda=%g,kappa=%g%s", lambda_, kappa_, border_ ? ",border=1" : "");
    }
    int border() const { return border_; }
    Ptr<Smoother> withBorder(int border) const { return makePtr<L0SmootherAdapter>(lambda_, kappa_, border); }

private:
    double lambda_, kappa_;
    int border_;
};

class FgsSmoother CV_FINAL : public Smoother
{
public:
    FgsSmoother(double lambda, double sigmaColor) : lambda_(lambda), sigmaColor_(sigmaColor)
    {
        if (!(lambda > 0) || !(sigmaColor > 0))
            CV_Error(Error::StsOutOfRange, "FGS smoother: lambda and sigmaColor must be > 0");
        requireXimgproc("FGS");
    }
    void apply(InputArray src, OutputArray dst) CV_OVERRIDE
    {
        applyOnColour(src, dst, "FGS smoother", [this](const Mat& in, Mat& out) {
#ifdef DESMOOTH_XIMGPROC_AVAILABLE
            // Self-guided, as in the paper; ximgproc takes only 8-bit guides, so the guide is the image
            // rounded.
            Mat guide;
            in.convertTo(guide, CV_8U);
            cv::ximgproc::fastGlobalSmootherFilter(guide, in, out, lambda_, sigmaColor_);
#else
            CV_UNUSED(in);
            CV_UNUSED(out);
#endif
        });
    }
    String describe() const CV_OVERRIDE
    {
        return cv::format("fgs:lambda=%g,sigma=%g", lambda_, sigmaColor_);
    }

private:
    double lambda_, sigmaColor_;
};

class BilateralSmoother CV_FINAL : public Smoother
{
public:
    BilateralSmoother(int d, double sigmaColor, double sigmaSpace)
        : d_(d), sigmaColor_(sigmaColor), sigmaSpace_(sigmaSpace)
    {
        if (d < 1 || !(sigmaColor > 0) || !(sigmaSpace > 0))
            CV_Error(Error::StsOutOfRange, "bilateral smoother: d >= 1, sigmaColor > 0 and sigmaSpace > 0");
    }
    void apply(InputArray src, OutputArray dst) CV_OVERRIDE
    {
        applyOnColour(src, dst, "bilateral smoother", [this](const Mat& in, Mat& out) {
            cv::bilateralFilter(in, out, d_, sigmaColor_, sigmaSpace_, BORDER_REFLECT_101);
        });
    }
    String describe() const CV_OVERRIDE
    {
        return cv::format("bilateral:d=%d,sigma_color=%g,sigma_space=%g", d_, sigmaColor_, sigmaSpace_);
    }

private:
    int d_;
    double sigmaColor_, sigmaSpace_;
};

/** Runs a local filter, whose output at a row depends on input rows at most `reach` away, on bands of rows,
 * each read with `reach` rows of context either side and kept without them: the whole image's result (the
 * context rows see the real neighbours; only their own, discarded outputs see the band's border) in the
 * working memory of a band. The guided filter keeps about ten float images of its input's size at once. */
template <typename Filter> void filterInBands(const Mat& in, Mat& out, int reach, Filter filter)
{
    const int bandRows = 256;
    if (in.rows <= bandRows + 2 * reach) {
        filter(in, out);
        return;
    }
    Mat result(in.size(), in.type());
    for (int first = 0; first < in.rows; first += bandRows) {
        const int last = std::min(first + bandRows, in.rows);
        const int from = std::max(first - reach, 0), to = std::min(last + reach, in.rows);
        Mat band;
        filter(in.rowRange(from, to), band);
        band.rowRange(first - from, last - from).copyTo(result.rowRange(first, last));
    }
    out = result;
}

class GuidedSmoother CV_FINAL : public Smoother
{
public:
    GuidedSmoother(int radius, double eps) : radius_(radius), eps_(eps)
    {
        if (radius < 1 || !(eps > 0))
            CV_Error(Error::StsOutOfRange, "guided smoother: radius >= 1 and eps > 0");
        requireXimgproc("guided");
    }
    void apply(InputArray src, OutputArray dst) CV_OVERRIDE
    {
        applyOnColour(src, dst, "guided smoother", [this](const Mat& in, Mat& out) {
#ifdef DESMOOTH_XIMGPROC_AVAILABLE
            // Self-guided (He et al. 2013); eps is a variance on the 0..255 scale. Two box filters of radius
            // r in a row: an output row reads input rows up to 2r away.
            filterInBands(in, out, 2 * radius_, [this](const Mat& band, Mat& filtered) {
                cv::ximgproc::guidedFilter(band, band, filtered, radius_, eps_);
            });
#else
            CV_UNUSED(in);
            CV_UNUSED(out);
#endif
        });
    }
    String describe() const CV_OVERRIDE
    {
        return cv::format("guided:radius=%d,eps=%g", radius_, eps_);
    }

private:
    int radius_;
    double eps_;
};

class EdgePreservingSmoother CV_FINAL : public Smoother
{
public:
    EdgePreservingSmoother(double sigmaS, double sigmaR) : sigmaS_(sigmaS), sigmaR_(sigmaR)
    {
        if (!(sigmaS > 0) || !(sigmaR > 0 && sigmaR <= 1))
            CV_Error(Error::StsOutOfRange, "edge-preserving smoother: sigma_s > 0 and 0 < sigma_r <= 1");
#ifndef DESMOOTH_PHOTO_AVAILABLE
        CV_Error(Error::StsNotImplemented,
                 "edge-preserving smoother: this build of desmooth has no opencv_photo");
#endif
    }
    void apply(InputArray src, OutputArray dst) CV_OVERRIDE
    {
        applyOnColour(src, dst, "edge-preserving smoother", [this](const Mat& in, Mat& out) {
#ifdef DESMOOTH_PHOTO_AVAILABLE
            // cv::edgePreservingFilter (Gastal and Oliveira's recursive domain transform) takes 8-bit BGR
            // only: gray goes through BGR and back, and the result is rounded to 8 bits.
            Mat bgr;
            in.convertTo(bgr, CV_8U);
            if (bgr.channels() == 1) cv::cvtColor(bgr, bgr, COLOR_GRAY2BGR);
            Mat filtered;
            cv::edgePreservingFilter(bgr, filtered, cv::RECURS_FILTER, float(sigmaS_), float(sigmaR_));
            if (in.channels() == 1) cv::cvtColor(filtered, filtered, COLOR_BGR2GRAY);
            filtered.convertTo(out, CV_32F);
#else
            CV_UNUSED(in);
            CV_UNUSED(out);
#endif
        });
    }
    String describe() const CV_OVERRIDE
    {
        return cv::format("edge_preserving:sigma_s=%g,sigma_r=%g", sigmaS_, sigmaR_);
    }

private:
    double sigmaS_, sigmaR_;
};

// The four kinds below are smoothers the bundled model never trained on: the evaluator's `untrained` set
// measures how its recovery carries over to them (docs/results.md).

class GaussianSmoother CV_FINAL : public Smoother
{
public:
    explicit GaussianSmoother(double sigma) : sigma_(sigma)
    {
        if (!(sigma > 0 && sigma <= 100))
            CV_Error(Error::StsOutOfRange, "gaussian smoother: 0 < sigma <= 100");
    }
    void apply(InputArray src, OutputArray dst) CV_OVERRIDE
    {
        applyOnColour(src, dst, "gaussian smoother", [this](const Mat& in, Mat& out) {
            cv::GaussianBlur(in, out, Size(), sigma_, sigma_, BORDER_REFLECT_101);
        });
    }
    String describe() const CV_OVERRIDE { return cv::format("gaussian:sigma=%g", sigma_); }

private:
    double sigma_;
};

class MedianSmoother CV_FINAL : public Smoother
{
public:
    explicit MedianSmoother(int ksize) : ksize_(ksize)
    {
        if (ksize < 3 || ksize % 2 == 0 || ksize > 255)
            CV_Error(Error::StsOutOfRange, "median smoother: ksize must be odd, 3..255");
    }
    void apply(InputArray src, OutputArray dst) CV_OVERRIDE
    {
        applyOnColour(src, dst, "median smoother", [this](const Mat& in, Mat& out) {
            // cv::medianBlur takes float only for ksize 3 and 5: every size works on 8 bits.
            Mat bytes, filtered;
            in.convertTo(bytes, CV_8U);
            cv::medianBlur(bytes, filtered, ksize_);
            filtered.convertTo(out, CV_32F);
        });
    }
    String describe() const CV_OVERRIDE { return cv::format("median:ksize=%d", ksize_); }

private:
    int ksize_;
};

class RollingGuidanceSmoother CV_FINAL : public Smoother
{
public:
    RollingGuidanceSmoother(double sigmaColor, double sigmaSpace, int iterations)
        : sigmaColor_(sigmaColor), sigmaSpace_(sigmaSpace), iterations_(iterations)
    {
        if (!(sigmaColor > 0) || !(sigmaSpace > 0 && sigmaSpace <= 100) || iterations < 1 || iterations > 100)
            CV_Error(Error::StsOutOfRange,
                     "rolling-guidance smoother: sigma_color > 0, 0 < sigma_space <= 100, iterations 1..100");
        requireXimgproc("rolling-guidance");
    }
    void apply(InputArray src, OutputArray dst) CV_OVERRIDE
    {
        applyOnColour(src, dst, "rolling-guidance smoother", [this](const Mat& in, Mat& out) {
#ifdef DESMOOTH_XIMGPROC_AVAILABLE
            // d = -1: the bilateral window follows sigma_space.
            cv::ximgproc::rollingGuidanceFilter(in, out, -1, sigmaColor_, sigmaSpace_, iterations_);
#else
            CV_UNUSED(in);
            CV_UNUSED(out);
#endif
        });
    }
    String describe() const CV_OVERRIDE
    {
        return cv::format("rolling_guidance:sigma_color=%g,sigma_space=%g,iterations=%d", sigmaColor_,
                          sigmaSpace_, iterations_);
    }

private:
    double sigmaColor_, sigmaSpace_;
    int iterations_;
};

class DomainTransformSmoother CV_FINAL : public Smoother
{
public:
    DomainTransformSmoother(double sigmaS, double sigmaR) : sigmaS_(sigmaS), sigmaR_(sigmaR)
    {
        if (!(sigmaS > 0) || !(sigmaR > 0))
            CV_Error(Error::StsOutOfRange, "domain-transform smoother: sigma_s > 0 and sigma_r > 0");
        requireXimgproc("domain-transform");
    }
    void apply(InputArray src, OutputArray dst) CV_OVERRIDE
    {
        applyOnColour(src, dst, "domain-transform smoother", [this](const Mat& in, Mat& out) {
#ifdef DESMOOTH_XIMGPROC_AVAILABLE
            // Self-guided, recursive filtering, 3 passes (ximgproc's defaults): the filter
            // cv::edgePreservingFilter also implements, here in float with sigma_r on the 0..255 scale.
            cv::ximgproc::dtFilter(in, in, out, sigmaS_, sigmaR_, cv::ximgproc::DTF_RF, 3);
#else
            CV_UNUSED(in);
            CV_UNUSED(out);
#endif
        });
    }
    String describe() const CV_OVERRIDE
    {
        return cv::format("domain_transform:sigma_s=%g,sigma_r=%g", sigmaS_, sigmaR_);
    }

private:
    double sigmaS_, sigmaR_;
};

// A linear blur whose frequency response has negative lobes: what the T-method's steps cannot invert.
class BoxSmoother CV_FINAL : public Smoother
{
public:
    explicit BoxSmoother(int ksize) : ksize_(ksize)
    {
        if (ksize < 2 || ksize > 255) CV_Error(Error::StsOutOfRange, "box smoother: ksize must be 2..255");
    }
    void apply(InputArray src, OutputArray dst) CV_OVERRIDE
    {
        applyOnColour(src, dst, "box smoother", [this](const Mat& in, Mat& out) {
            cv::blur(in, out, Size(ksize_, ksize_), Point(-1, -1), BORDER_REFLECT_101);
        });
    }
    String describe() const CV_OVERRIDE { return cv::format("box:ksize=%d", ksize_); }

private:
    int ksize_;
};

// A user's own filter (createFromFunction()): the colour planes on the 0..255 scale, as the kinds above get
// them, rounded to 8 bits where the function asks for that.
class FunctionSmoother CV_FINAL : public Smoother
{
public:
    FunctionSmoother(const SmootherFunction& function, const String& name, int depth)
        : function_(function), name_(name), depth_(depth)
    {
        if (!function) CV_Error(Error::StsNullPtr, "Smoother::createFromFunction: no function given");
        if (name.empty()) CV_Error(Error::StsBadArg, "Smoother::createFromFunction: the name is empty");
        if (depth != CV_32F && depth != CV_8U)
            CV_Error(Error::StsBadArg,
                     cv::format("Smoother::createFromFunction ('%s'): depth must be CV_32F or CV_8U",
                                name.c_str()));
    }
    void apply(InputArray src, OutputArray dst) CV_OVERRIDE
    {
        const String label = "smoother '" + name_ + "'";
        applyOnColour(src, dst, label.c_str(), [&](const Mat& in, Mat& out) {
            Mat given, returned;
            in.convertTo(given, depth_);
            function_(given, returned);
            if (returned.size() != given.size() || returned.channels() != given.channels())
                CV_Error(Error::StsUnmatchedSizes,
                         cv::format("%s: the function returned a %dx%d image of %d channels for a %dx%d "
                                    "image of %d",
                                    label.c_str(), returned.cols, returned.rows, returned.channels(),
                                    given.cols, given.rows, given.channels()));
            returned.convertTo(out, CV_32F);
        });
    }
    String describe() const CV_OVERRIDE { return name_; }

private:
    SmootherFunction function_;
    String name_;
    int depth_;
};

// The photo unchanged: what a de-smoother meets when someone runs it on a photo that was never smoothed.
class NoSmoother CV_FINAL : public Smoother
{
public:
    void apply(InputArray src, OutputArray dst) CV_OVERRIDE
    {
        detail::checkImageInput(src.getMat(), "no smoother: the input");
        src.copyTo(dst);
    }
    String describe() const CV_OVERRIDE { return "none"; }
};

/** "name:key=value,key=value" -> name and a map; every value must be a number. */
std::map<String, double> parseParameters(const String& spec, String& name)
{
    const size_t colon = spec.find(':');
    name = spec.substr(0, colon);
    std::map<String, double> values;
    if (colon == String::npos) return values;
    std::stringstream list(spec.substr(colon + 1));
    String item;
    while (std::getline(list, item, ',')) {
        const size_t equals = item.find('=');
        if (equals == String::npos)
            CV_Error(Error::StsBadArg, "smoother '" + spec + "': expected key=value, got '" + item + "'");
        const String key = item.substr(0, equals), text = item.substr(equals + 1);
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (text.empty() || *end != '\0' || !std::isfinite(value))
            CV_Error(Error::StsBadArg, "smoother '" + spec + "': '" + key + "' is not a number");
        values[key] = value;
    }
    return values;
}

double take(std::map<String, double>& values, const String& key, double fallback)
{
    const auto found = values.find(key);
    if (found == values.end()) return fallback;
    const double value = found->second;
    values.erase(found);
    return value;
}

/** A parameter that must be a whole number (a median of "ksize=4.5" would silently become 4). */
int integer(const String& spec, const String& key, double value)
{
    if (value != std::floor(value) || std::abs(value) > 1e6)
        CV_Error(Error::StsBadArg, "smoother '" + spec + "': '" + key + "' must be a whole number");
    return int(value);
}

} // namespace

Ptr<Smoother> Smoother::createL0(double lambda, double kappa, int border)
{
    return makePtr<L0SmootherAdapter>(lambda, kappa, border);
}

Ptr<Smoother> withL0BorderOf(const Ptr<Smoother>& smoother, InputArray smoothed)
{
    if (!smoother) CV_Error(Error::StsNullPtr, "withL0BorderOf: no smoother given");
    detail::checkImageInput(smoothed.getMat(), "withL0BorderOf: the image");
    const auto* l0 = dynamic_cast<const L0SmootherAdapter*>(smoother.get());
    if (!l0 || l0->border() != L0_BORDER_CIRCULAR || estimateL0Border(smoothed) != L0_BORDER_REPLICATE)
        return smoother;
    return l0->withBorder(L0_BORDER_REPLICATE);
}

Ptr<Smoother> Smoother::createFGS(double lambda, double sigmaColor)
{
    return makePtr<FgsSmoother>(lambda, sigmaColor);
}

Ptr<Smoother> Smoother::createBilateral(int d, double sigmaColor, double sigmaSpace)
{
    return makePtr<BilateralSmoother>(d, sigmaColor, sigmaSpace);
}

Ptr<Smoother> Smoother::createGuided(int radius, double eps)
{
    return makePtr<GuidedSmoother>(radius, eps);
}

Ptr<Smoother> Smoother::createEdgePreserving(double sigmaS, double sigmaR)
{
    return makePtr<EdgePreservingSmoother>(sigmaS, sigmaR);
}

Ptr<Smoother> Smoother::createGaussian(double sigma)
{
    return makePtr<GaussianSmoother>(sigma);
}

Ptr<Smoother> Smoother::createMedian(int ksize)
{
    return makePtr<MedianSmoother>(ksize);
}

Ptr<Smoother> Smoother::createRollingGuidance(double sigmaColor, double sigmaSpace, int iterations)
{
    return makePtr<RollingGuidanceSmoother>(sigmaColor, sigmaSpace, iterations);
}

Ptr<Smoother> Smoother::createDomainTransform(double sigmaS, double sigmaR)
{
    return makePtr<DomainTransformSmoother>(sigmaS, sigmaR);
}

Ptr<Smoother> Smoother::createBox(int ksize)
{
    return makePtr<BoxSmoother>(ksize);
}

Ptr<Smoother> Smoother::createFromFunction(const SmootherFunction& function, const String& name, int depth)
{
    return makePtr<FunctionSmoother>(function, name, depth);
}

Ptr<Smoother> Smoother::create(const String& spec)
{
    String name;
    std::map<String, double> values = parseParameters(spec, name);
    Ptr<Smoother> smoother;
    if (name == "l0") {
        const double lambda = take(values, "lambda", L0_DEFAULT_LAMBDA),
                     kappa = take(values, "kappa", L0_DEFAULT_KAPPA);
        smoother = createL0(lambda, kappa, integer(spec, "border", take(values, "border", 0)));
    } else if (name == "fgs") {
        const double lambda = take(values, "lambda", 100.0);
        smoother = createFGS(lambda, take(values, "sigma", 5.0));
    } else if (name == "bilateral") {
        const double d = take(values, "d", 9), sigmaColor = take(values, "sigma_color", 50.0);
        smoother = createBilateral(integer(spec, "d", d), sigmaColor, take(values, "sigma_space", 5.0));
    } else if (name == "none") {
        smoother = makePtr<NoSmoother>();
    } else if (name == "guided") {
        const double radius = take(values, "radius", 4);
        smoother = createGuided(integer(spec, "radius", radius), take(values, "eps", 400.0));
    } else if (name == "edge_preserving") {
        const double sigmaS = take(values, "sigma_s", 60.0);
        smoother = createEdgePreserving(sigmaS, take(values, "sigma_r", 0.4));
    } else if (name == "gaussian") {
        smoother = createGaussian(take(values, "sigma", 1.5));
    } else if (name == "median") {
        smoother = createMedian(integer(spec, "ksize", take(values, "ksize", 5)));
    } else if (name == "rolling_guidance") {
        const double sigmaColor = take(values, "sigma_color", 25.0),
                     sigmaSpace = take(values, "sigma_space", 3.0);
        smoother = createRollingGuidance(sigmaColor, sigmaSpace,
                                         integer(spec, "iterations", take(values, "iterations", 4)));
    } else if (name == "domain_transform") {
        const double sigmaS = take(values, "sigma_s", 30.0);
        smoother = createDomainTransform(sigmaS, take(values, "sigma_r", 40.0));
    } else if (name == "box") {
        smoother = createBox(integer(spec, "ksize", take(values, "ksize", 5)));
    } else {
        CV_Error(Error::StsBadArg,
                 "unknown smoother '" + name +
                     "': use l0, fgs, bilateral, guided, edge_preserving, gaussian, median, "
                     "rolling_guidance, domain_transform, box or none");
    }
    if (!values.empty())
        CV_Error(Error::StsBadArg,
                 "smoother '" + spec + "': unknown parameter '" + values.begin()->first + "'");
    return smoother;
}

} // namespace desmooth
} // namespace cv
