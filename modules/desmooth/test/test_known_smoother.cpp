// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "test_precomp.hpp"

#include "misbehaving_smoothers.hpp"
#include "random_model.hpp"
#include "tiled_inference.hpp"
#include "tiny_config.hpp"

#include <limits>

namespace opencv_test {
namespace {

using namespace cv;

const char* const kSmoothers[] = {"l0:lambda=0.02", "bilateral:d=15,sigma_color=150,sigma_space=15",
                                  "guided:radius=4,eps=400"};

TEST(Desmooth_KnownSmoother, consistency_lowers_sc_and_raises_psnr_over_blind_recovery)
{
    if (!desmooth::haveBundledModel()) DESMOOTH_SKIP_TEST("this build has no bundled model");
    const Mat photo = readPhoto("butterfly.jpg");
    ASSERT_FALSE(photo.empty());
    const Ptr<desmooth::DeSmoother> model = desmooth::DeSmoother::create();
    for (const char* spec : kSmoothers) {
        const Ptr<desmooth::Smoother> smoother = desmooth::Smoother::create(spec);
        Mat smoothed, blind, known;
        smoother->apply(photo, smoothed);
        model->recover(smoothed, blind);
        model->recover(smoothed, known, smoother);
        ASSERT_EQ(known.type(), photo.type());
        ASSERT_EQ(known.size(), photo.size());
        EXPECT_GT(desmooth::psnr(known, photo), desmooth::psnr(blind, photo) + 0.5) << spec;
        EXPECT_LT(desmooth::smoothConsistency(known, smoothed, smoother),
                  desmooth::smoothConsistency(blind, smoothed, smoother))
            << spec;

        // setSmoother makes it the default of recover(smoothed, recovered); a spec string is the same call.
        Mat viaSetter, viaSpec;
        model->setSmoother(smoother);
        model->recover(smoothed, viaSetter);
        model->setSmoother(Ptr<desmooth::Smoother>());
        model->recover(smoothed, viaSpec, spec); // a literal or char pointer is a spec too
        EXPECT_EQ(cv::norm(viaSetter, known, NORM_INF), 0.0) << spec;
        EXPECT_EQ(cv::norm(viaSpec, known, NORM_INF), 0.0) << spec;
    }
}

// Reference: the plain steps x <- clamp(x + (y - F(x))) from `start` (with `gradient`, REVERSE_FILTER_TDA's
// x <- clamp(x + F(clamp(x + r)) - F(x))), returning the step of least residual in `residualNorm` (the last
// where the one before it was the least), or the first step whose squared residual is at most `noiseFloor`;
// `last` is the steps' end. `residualsOut` (if given) gets the residual of every step compared.
Mat leastResidualReference(const Mat& smoothed, const Mat& start, desmooth::Smoother& smoother,
                           int iterations, Mat& last, bool& lastWasLeast, double noiseFloor = 0,
                           int residualNorm = NORM_L1, bool gradient = false,
                           std::vector<double>* residualsOut = nullptr)
{
    std::vector<Mat> steps{start.clone()};
    std::vector<double> residuals;
    const auto smooth = [&smoother](const Mat& x) {
        Mat filtered;
        smoother.apply(x, filtered);
        return filtered;
    };
    const auto clamp = [](const Mat& x) { return Mat(cv::min(cv::max(x, 0.0), 1.0)); };
    for (int k = 0; k < iterations; ++k) {
        const Mat filtered = smooth(steps.back());
        const Mat residual = smoothed - filtered;
        residuals.push_back(cv::norm(residual, residualNorm));
        if (residualsOut) *residualsOut = residuals;
        if (cv::norm(residual, NORM_L2SQR) <= noiseFloor) {
            last = steps.back();
            lastWasLeast = true;
            return last;
        }
        steps.push_back(gradient ? clamp(steps.back() + smooth(clamp(steps.back() + residual)) - filtered)
                                 : clamp(steps.back() + residual));
    }
    const size_t least = size_t(std::min_element(residuals.begin(), residuals.end()) - residuals.begin());
    last = steps.back();
    lastWasLeast = least + 1 == residuals.size();
    return lastWasLeast ? steps.back() : steps[least];
}

// Reference: a run of known-smoother recovery's steps from `start`: the plain steps, and where their residual
// rose at each of the last two steps compared (they diverge), the gradient steps too; the run of lower least
// residual. `plainLast`, `plainLastWasLeast`: the plain steps' end, as leastResidualReference();
// `diverged`: whether the gradient steps ran.
Mat knownStepsReference(const Mat& smoothed, const Mat& start, desmooth::Smoother& smoother, int iterations,
                        Mat& plainLast, bool& plainLastWasLeast, bool& diverged)
{
    std::vector<double> plainResiduals, gradientResiduals;
    const Mat plain = leastResidualReference(smoothed, start, smoother, iterations, plainLast,
                                             plainLastWasLeast, 0, NORM_L1, false, &plainResiduals);
    const double plainLeast = *std::min_element(plainResiduals.begin(), plainResiduals.end());
    const size_t n = plainResiduals.size();
    diverged = n >= 3 && plainResiduals[n - 3] < plainResiduals[n - 2] &&
               plainResiduals[n - 2] < plainResiduals[n - 1];
    if (!diverged) return plain;
    Mat gradientLast;
    bool gradientLastWasLeast = true;
    const Mat gradient = leastResidualReference(smoothed, start, smoother, iterations, gradientLast,
                                                gradientLastWasLeast, 0, NORM_L1, true, &gradientResiduals);
    return *std::min_element(gradientResiduals.begin(), gradientResiduals.end()) < plainLeast ? gradient
                                                                                              : plain;
}

// A committed photo on float 0..1, smoothed by `smoother`, recovered by the bundled model blind and with the
// smoother known.
struct KnownRecovery
{
    Mat photo, smoothed, blind, known;
    Ptr<desmooth::DeSmoother> model = desmooth::DeSmoother::create();

    KnownRecovery(const char* file, const Ptr<desmooth::Smoother>& smoother)
    {
        readPhoto(file).convertTo(photo, CV_32F, 1.0 / 255);
        smoother->apply(photo, smoothed);
        model->recover(smoothed, blind);
        model->recover(smoothed, known, smoother);
    }
};

TEST(Desmooth_KnownSmoother,
     steps_from_the_recovery_and_from_the_input_are_averaged_and_stay_near_the_photo_on_a_median_filter)
{
    if (!desmooth::haveBundledModel()) DESMOOTH_SKIP_TEST("this build has no bundled model");
    const Ptr<desmooth::Smoother> median = desmooth::Smoother::create("median:ksize=5");
    const KnownRecovery recovery("butterfly.jpg", median);
    const Mat &photo = recovery.photo, &smoothed = recovery.smoothed, &blind = recovery.blind,
              &known = recovery.known;
    const Ptr<desmooth::DeSmoother>& model = recovery.model;

    // The least-residual step from the blind recovery and the one from the input (each run with the
    // gradient steps where its plain steps diverge), averaged.
    const int iterations = model->getConsistencyIterations();
    Mat lastFromBlind, lastFromInput;
    bool lastWasLeastFromBlind = true, lastWasLeastFromInput = true, divergedFromBlind, divergedFromInput;
    const Mat fromBlind = knownStepsReference(smoothed, blind, *median, iterations, lastFromBlind,
                                              lastWasLeastFromBlind, divergedFromBlind);
    const Mat fromInput = knownStepsReference(smoothed, smoothed, *median, iterations, lastFromInput,
                                              lastWasLeastFromInput, divergedFromInput);
    const Mat expected = 0.5 * (fromBlind + fromInput);
    EXPECT_LE(cv::norm(known, expected, NORM_INF), 1e-6);
    // From the recovery alone on request.
    Mat fromBlindAlone;
    model->setConsistencyFromInput(false);
    model->recover(smoothed, fromBlindAlone, median);
    EXPECT_LE(cv::norm(fromBlindAlone, fromBlind, NORM_INF), 1e-6);
    model->setConsistencyFromInput(true);

    // The median filter is not a smooth operator: the plain steps leave the photo, the least-residual steps
    // not.
    EXPECT_FALSE(lastWasLeastFromBlind);
    EXPECT_FALSE(lastWasLeastFromInput);
    EXPECT_GT(desmooth::psnr(known, photo), desmooth::psnr(lastFromBlind, photo) + 1.0);
    EXPECT_GT(desmooth::psnr(known, photo), desmooth::psnr(lastFromInput, photo) + 1.0);
    EXPECT_GT(desmooth::psnr(known, photo), desmooth::psnr(blind, photo) - 0.5);
}

TEST(Desmooth_KnownSmoother, a_box_blur_whose_plain_steps_diverge_takes_gradient_steps)
{
    if (!desmooth::haveBundledModel()) DESMOOTH_SKIP_TEST("this build has no bundled model");
    const Ptr<desmooth::Smoother> box = desmooth::Smoother::create("box:ksize=5");
    const KnownRecovery recovery("butterfly.jpg", box);
    const Mat &photo = recovery.photo, &smoothed = recovery.smoothed, &blind = recovery.blind;
    const int iterations = recovery.model->getConsistencyIterations();

    Mat plainLastFromBlind, plainLastFromInput;
    bool lastWasLeast, divergedFromBlind = false, divergedFromInput = false;
    const Mat expected = 0.5 * (knownStepsReference(smoothed, blind, *box, iterations, plainLastFromBlind,
                                                    lastWasLeast, divergedFromBlind) +
                                knownStepsReference(smoothed, smoothed, *box, iterations, plainLastFromInput,
                                                    lastWasLeast, divergedFromInput));
    EXPECT_TRUE(divergedFromBlind);
    EXPECT_TRUE(divergedFromInput);
    EXPECT_LE(cv::norm(recovery.known, expected, NORM_INF), 1e-6);

    // What the plain least-residual steps alone would give: they stop early and keep little.
    Mat last;
    const Mat plainOnly =
        0.5 * (leastResidualReference(smoothed, blind, *box, iterations, last, lastWasLeast) +
               leastResidualReference(smoothed, smoothed, *box, iterations, last, lastWasLeast));
    EXPECT_GT(desmooth::psnr(recovery.known, photo), desmooth::psnr(plainOnly, photo) + 0.75);
    EXPECT_GT(desmooth::psnr(recovery.known, photo), desmooth::psnr(smoothed, photo) + 0.75);
    EXPECT_LT(desmooth::psnr(plainLastFromInput, photo), desmooth::psnr(smoothed, photo)); // T diverges
}

TEST(Desmooth_KnownSmoother, steps_are_chosen_by_their_absolute_residual_not_their_squared_one)
{
    if (!desmooth::haveBundledModel()) DESMOOTH_SKIP_TEST("this build has no bundled model");
    const Ptr<desmooth::Smoother> fgs = desmooth::Smoother::create("fgs:lambda=300,sigma=7");
    const KnownRecovery cat("cat.jpg", fgs);

    const int iterations = cat.model->getConsistencyIterations();
    Mat last;
    bool lastWasLeast = true;
    const auto averagedSteps = [&](int residualNorm) {
        return Mat(0.5 * (leastResidualReference(cat.smoothed, cat.blind, *fgs, iterations, last,
                                                 lastWasLeast, 0, residualNorm) +
                          leastResidualReference(cat.smoothed, cat.smoothed, *fgs, iterations, last,
                                                 lastWasLeast, 0, residualNorm)));
    };
    EXPECT_LE(cv::norm(cat.known, averagedSteps(NORM_L1), NORM_INF), 1e-6);
    // The squared residual is ruled by the few places where F(x) parts from y sharply; it stops these steps
    // early, while the absolute one lets them go on nearing the photo.
    const Mat bySquares = averagedSteps(NORM_L2SQR);
    EXPECT_GT(cv::norm(cat.known, bySquares, NORM_INF), 1e-3);
    EXPECT_GT(desmooth::psnr(cat.known, cat.photo), desmooth::psnr(bySquares, cat.photo) + 0.05);
    // DESMOOTH_STEP_RESIDUAL_NORM=l2 gives the squared one; another value is an error.
    Mat squared;
    ::setenv("DESMOOTH_STEP_RESIDUAL_NORM", "l2", 1);
    cat.model->recover(cat.smoothed, squared, fgs);
    EXPECT_LE(cv::norm(squared, bySquares, NORM_INF), 1e-6);
    for (const char* bad : {"L1", "l3", ""}) {
        ::setenv("DESMOOTH_STEP_RESIDUAL_NORM", bad, 1);
        EXPECT_THROW(cat.model->recover(cat.smoothed, squared, fgs), cv::Exception) << bad;
    }
    ::unsetenv("DESMOOTH_STEP_RESIDUAL_NORM");
}

TEST(Desmooth_KnownSmoother, an_input_saved_as_jpeg_is_explained_only_to_within_its_compression)
{
    if (!desmooth::haveBundledModel()) DESMOOTH_SKIP_TEST("this build has no bundled model");
    const Mat photo = readPhoto("butterfly.jpg");
    ASSERT_FALSE(photo.empty());
    const Ptr<desmooth::Smoother> guided = desmooth::Smoother::create("guided:radius=4,eps=400");
    Mat smoothed, known;
    guided->apply(photo, smoothed);
    const Mat compressed = throughJpeg(smoothed, 80);
    ASSERT_EQ(desmooth::estimateJpegQuality(compressed), 80);
    const Ptr<desmooth::DeSmoother> model = desmooth::DeSmoother::create();
    model->recover(compressed, known, guided);

    // The reference: both runs of steps stop within the rounding plus 3 times what saving F(blind recovery)
    // at quality 80 changes (the compression's error, as large as the photo's smoothing left it).
    Mat y, blind, resmoothed8;
    compressed.convertTo(y, CV_32F, 1.0 / 255);
    model->recover(y, blind);
    Mat resmoothed;
    guided->apply(blind, resmoothed);
    resmoothed.convertTo(resmoothed8, CV_8U, 255);
    const double values = double(photo.total() * 3), rounding = values / (255.0 * 255.0 * 12);
    const double compression =
        cv::norm(resmoothed8, throughJpeg(resmoothed8, 80), NORM_L2SQR) / (255.0 * 255.0);
    ASSERT_GT(compression, rounding);
    const int iterations = model->getConsistencyIterations();
    Mat last;
    bool lastWasLeast = true;
    const auto stepsFrom = [&](const Mat& start, double floor) {
        return leastResidualReference(y, start, *guided, iterations, last, lastWasLeast, floor);
    };
    const Mat expected =
        0.5 * (stepsFrom(blind, rounding + 3 * compression) + stepsFrom(y, rounding + 3 * compression));
    Mat expected8;
    expected.convertTo(expected8, CV_8U, 255);
    EXPECT_LE(cv::norm(known, expected8, NORM_INF), 1.0);
    // Stopping at the rounding alone (the rule for lossless inputs) fits the compression's errors and
    // amplifies them: further from the photo than the input was.
    Mat fitted8;
    Mat(0.5 * (stepsFrom(blind, rounding) + stepsFrom(y, rounding))).convertTo(fitted8, CV_8U, 255);
    EXPECT_GT(desmooth::psnr(known, photo), desmooth::psnr(fitted8, photo) + 0.5);
    EXPECT_GT(desmooth::psnr(known, photo), desmooth::psnr(compressed, photo));
    // DESMOOTH_COMPRESSION_FLOOR_SCALE sets the multiple: 0 is the rounding alone; a bad value is an error.
    Mat unscaled;
    ::setenv("DESMOOTH_COMPRESSION_FLOOR_SCALE", "0", 1);
    model->recover(compressed, unscaled, guided);
    EXPECT_LE(cv::norm(unscaled, fitted8, NORM_INF), 1.0);
    for (const char* bad : {"-1", "three", "3x", "101"}) {
        ::setenv("DESMOOTH_COMPRESSION_FLOOR_SCALE", bad, 1);
        EXPECT_THROW(model->recover(compressed, unscaled, guided), cv::Exception) << bad;
    }
    ::unsetenv("DESMOOTH_COMPRESSION_FLOOR_SCALE");
}

TEST(Desmooth_KnownSmoother, none_returns_the_input_and_zero_iterations_are_blind)
{
    const Mat photo = readPhoto("path.jpg");
    ASSERT_FALSE(photo.empty());
    const Ptr<desmooth::DeSmoother> model = desmooth::DeSmoother::create(randomModel(tinyConfig(), 5));
    Mat same, blind, zero;
    model->recover(photo, same, desmooth::Smoother::create("none"));
    EXPECT_EQ(cv::norm(same, photo, NORM_INF), 0.0); // the only image that "no smoothing" maps onto itself
    // Also where a JPEG quality is found (whose error the steps would stop within, short of the input).
    const Mat compressed = throughJpeg(photo, 80);
    ASSERT_EQ(desmooth::estimateJpegQuality(compressed), 80);
    model->recover(compressed, same, desmooth::Smoother::create("none"));
    EXPECT_EQ(cv::norm(same, compressed, NORM_INF), 0.0);
    model->recover(photo, blind);
    model->setConsistencyIterations(0);
    model->recover(photo, zero, desmooth::Smoother::create("guided"));
    EXPECT_EQ(cv::norm(zero, blind, NORM_INF), 0.0);
    // "auto" has its own count: 0 is blind too, whatever the known smoother's count.
    model->setConsistencyIterations(5);
    model->setAutoIterations(0);
    model->recover(photo, zero, "auto");
    EXPECT_EQ(cv::norm(zero, blind, NORM_INF), 0.0);
    // An image too small to estimate a smoother from (the classifier reads at least 2x2) is recovered blind.
    model->setAutoIterations(2);
    for (const Size size : {Size(1, 1), Size(9, 1), Size(1, 9)}) {
        const Mat tiny = photo(Rect(Point(40, 40), size));
        Mat tinyBlind, tinyAuto;
        model->recover(tiny, tinyBlind);
        ASSERT_NO_THROW(model->recover(tiny, tinyAuto, "auto")) << size;
        EXPECT_EQ(cv::norm(tinyAuto, tinyBlind, NORM_INF), 0.0) << size;
    }
}

// A smoother that counts its calls, for the number of steps taken.
class CountingSmoother CV_FINAL : public desmooth::Smoother
{
public:
    explicit CountingSmoother(const String& spec) : inner_(desmooth::Smoother::create(spec)) {}
    void apply(InputArray src, OutputArray dst) CV_OVERRIDE
    {
        ++calls;
        inner_->apply(src, dst);
    }
    String describe() const CV_OVERRIDE { return inner_->describe(); }
    int calls = 0;

private:
    Ptr<desmooth::Smoother> inner_;
};

TEST(Desmooth_KnownSmoother, steps_stop_where_an_8_bit_input_is_explained_to_within_its_rounding)
{
    // Strength 0: the network returns its input, so the steps start from y as reverse filtering does.
    const Ptr<desmooth::DeSmoother> model = desmooth::DeSmoother::create(randomModel(tinyConfig(), 5));
    model->setStrength(0);
    model->setConsistencyIterations(12);
    const Mat photo = readPhoto("butterfly.jpg");
    ASSERT_FALSE(photo.empty());
    const Ptr<CountingSmoother> guided = makePtr<CountingSmoother>("guided:radius=4,eps=400");
    Mat smoothed8, smoothed32, stopped, unstopped;
    guided->apply(photo, smoothed8); // rounded to 8 bits
    smoothed8.convertTo(smoothed32, CV_32F, 1.0 / 255);
    guided->calls = 0;
    model->recover(smoothed8, stopped, guided);
    const int stoppedCalls = guided->calls;
    guided->calls = 0;
    model->recover(smoothed32, unstopped, guided); // a float input has no rounding to stop at
    EXPECT_EQ(guided->calls, 12);
    ASSERT_GE(stoppedCalls, 2);
    ASSERT_LT(stoppedCalls, 12) << "a guided filter is explained to within 8-bit rounding in a few steps";
    // Stopped at x_k after k + 1 calls: the T-method's k iterations, as consistent with y as the photo is.
    Mat reversed;
    desmooth::reverseFilter(smoothed8, reversed, guided, stoppedCalls - 1);
    EXPECT_LE(cv::norm(stopped, reversed, NORM_INF), 1.0);
    Mat resmoothed, resmoothedBefore, before;
    desmooth::reverseFilter(smoothed32, before, guided, stoppedCalls - 2);
    Mat stopped32;
    reversed.convertTo(stopped32, CV_32F, 1.0 / 255);
    guided->apply(stopped32, resmoothed);
    guided->apply(before, resmoothedBefore);
    const double rounding = 1.0 / 12 / (255.0 * 255.0); // per value, on 0..1
    EXPECT_LE(cv::norm(resmoothed, smoothed32, NORM_L2SQR) / double(photo.total() * 3), 2 * rounding);
    EXPECT_GT(cv::norm(resmoothedBefore, smoothed32, NORM_L2SQR) / double(photo.total() * 3), rounding)
        << "the step before was not yet within the rounding";
    // Stopping there is the point: past it the steps amplify what the filter cannot see.
    Mat unstopped8;
    unstopped.convertTo(unstopped8, CV_8U, 255);
    EXPECT_GT(desmooth::psnr(stopped, photo), desmooth::psnr(unstopped8, photo));
}

TEST(Desmooth_KnownSmoother, progress_counts_each_tile_and_each_step_then_reports_the_end)
{
    const Mat file = readPhoto("path.jpg");
    ASSERT_FALSE(file.empty());
    // Off the file's JPEG grid, so that no quality is found: the steps' floor is the rounding alone, which
    // they do not reach in 3 steps.
    const Mat photo = file(Rect(3, 5, file.cols - 3, file.rows - 5)).clone();
    ASSERT_EQ(desmooth::estimateJpegQuality(photo), 0);
    const Ptr<desmooth::DeSmoother> model = desmooth::DeSmoother::create(randomModel(tinyConfig(), 5));
    std::vector<std::pair<int, int>> calls;
    model->setProgressCallback([&](int done, int total) { calls.emplace_back(done, total); });
    // Tiles of at most 256 pixels: the tiling's windows along each axis, one forward each.
    model->setTileSize(256);
    const int multiple = tinyConfig().sizeMultiple();
    const auto windows = [&](int length) {
        return int(desmooth::detail::tileWindows((length + multiple - 1) / multiple * multiple, 256,
                                                 desmooth::detail::kTileOverlap, multiple)
                       .starts.size());
    };
    const int tiles = windows(photo.cols) * windows(photo.rows);
    ASSERT_GT(tiles, 1) << "the photo must need several tiles";
    const auto expectCounted = [&](int total, const char* what) {
        ASSERT_EQ(calls.size(), size_t(total + 2)) << what; // the start, each unit, the end once more
        for (int i = 0; i <= total; ++i)
            EXPECT_EQ(calls[size_t(i)], std::make_pair(i, total)) << what;
        EXPECT_EQ(calls.back(), std::make_pair(total, total)) << what;
        calls.clear();
    };
    Mat recovered;
    model->recover(photo, recovered);
    expectCounted(tiles, "blind");
    model->setConsistencyIterations(3);
    model->recover(photo, recovered, desmooth::Smoother::create("guided"));
    expectCounted(tiles + 2 * 3, "known smoother, 3 steps from each of two starts");
    model->setConsistencyFromInput(false);
    model->recover(photo, recovered, desmooth::Smoother::create("guided"));
    expectCounted(tiles + 3, "known smoother, 3 steps from the recovery alone");
    model->setConsistencyFromInput(true);
    model->setSelfEnsemble(2); // every tile twice
    model->recover(photo, recovered);
    expectCounted(2 * tiles, "blind, self-ensemble of 2");
    model->setSelfEnsemble(1);

    // A recovery that ends early jumps to the end: "auto" on a JPEG-compressed input recovers blind.
    const Mat compressed = throughJpeg(photo, 60);
    ASSERT_TRUE(desmooth::showsJpegBlocking(compressed));
    model->recover(compressed, recovered, "auto");
    const int autoTotal = tiles + model->getAutoIterations() + 1;
    ASSERT_FALSE(calls.empty());
    for (const auto& call : calls)
        EXPECT_EQ(call.second, autoTotal);
    EXPECT_EQ(calls.back().first, autoTotal);
    calls.clear();

    // No callback: nothing is called.
    model->setProgressCallback(desmooth::DeSmoother::ProgressCallback());
    model->recover(photo, recovered);
    EXPECT_TRUE(calls.empty());
}

TEST(Desmooth_EstimateSmoother, picks_the_kind_that_made_the_input_given_the_photo)
{
    // With the photo itself as the recovery, the smoother that made the input maps it exactly onto the input:
    // each kind must be found, at a strength that is not one of the candidates.
    const Mat photo = readPhoto("butterfly.jpg");
    ASSERT_FALSE(photo.empty());
    const std::pair<const char*, const char*> cases[] = {
        {"l0:lambda=0.03", "l0"},
        {"fgs:lambda=200,sigma=6", "fgs"},
        {"bilateral:d=11,sigma_color=80,sigma_space=8", "bilateral"},
        {"guided:radius=3,eps=300", "guided"},
        {"edge_preserving:sigma_s=40,sigma_r=0.3", "edge_preserving"},
    };
    for (const auto& c : cases) {
        Mat smoothed, scores;
        desmooth::Smoother::create(c.first)->apply(photo, smoothed);
        // The score alone (no classifier): what this case tests.
        const Ptr<desmooth::Smoother> found = desmooth::estimateSmoother(smoothed, photo, {}, scores, false);
        const String kind = found->describe().substr(0, found->describe().find(':'));
        EXPECT_EQ(kind, String(c.second)) << c.first << " found as " << found->describe();
        ASSERT_EQ(scores.total(), desmooth::defaultSmootherCandidates().size());
        EXPECT_EQ(scores.at<double>(0), 1.0); // "none": x maps onto x, exactly as far from y as x is
    }
    // An input that nothing smoothed: no candidate explains it better than leaving it alone.
    Mat slightlyChanged = photo.clone();
    slightlyChanged.forEach<Vec3b>([](Vec3b& p, const int* position) {
        if ((position[0] + position[1]) % 7 == 0) p[1] = saturate_cast<uchar>(p[1] + 2);
    });
    EXPECT_EQ(desmooth::estimateSmoother(photo, slightlyChanged, {}, noArray(), false)->describe(),
              String("none"));
}

// "auto" estimates the smoother from the fidelity end's recovery whatever the detail setting (the detail
// end's texture would make every input look smoothed), then steps from the recovery at the current setting.
TEST(Desmooth_KnownSmoother, auto_estimates_from_the_fidelity_end)
{
    if (!desmooth::haveBundledModel()) DESMOOTH_SKIP_TEST("this build has no bundled model");
    const Ptr<desmooth::DeSmoother> detailed = desmooth::DeSmoother::create(),
                                    fidelity = desmooth::DeSmoother::create();
    if (!detailed->hasDetailEnd()) DESMOOTH_SKIP_TEST("the bundled model has one end");
    Mat smoothed;
    desmooth::Smoother::create("guided:radius=4,eps=400")
        ->apply(readPhoto("cat.jpg")(Rect(40, 40, 96, 96)), smoothed);
    detailed->setDetail(1);
    fidelity->setDetail(0);
    detailed->setAutoMoveLimit(0); // the steps as they end (the limit has its own test)
    Mat y, x0, viaAuto, expected;
    smoothed.convertTo(y, CV_32F, 1.0 / 255);
    fidelity->recover(y, x0);
    const Ptr<desmooth::Smoother> estimate = desmooth::estimateSmoother(y, x0);
    detailed->recover(smoothed, viaAuto, "auto");
    // "auto" takes getAutoIterations() steps, not the known smoother's getConsistencyIterations(), and from
    // the recovery alone (a given smoother's steps start from the input too), stopping within the 8-bit
    // input's rounding.
    ASSERT_NE(detailed->getAutoIterations(), detailed->getConsistencyIterations());
    Mat x, last;
    bool lastWasLeast = true;
    detailed->recover(y, x);
    const double rounding = double(y.total() * y.channels()) / (12.0 * 255 * 255);
    leastResidualReference(y, x, *estimate, detailed->getAutoIterations(), last, lastWasLeast, rounding)
        .convertTo(expected, CV_8U, 255);
    EXPECT_LE(cv::norm(viaAuto, expected, NORM_INF), 1.0) << estimate->describe();
    // The free function's default recovery is the fidelity end's too.
    EXPECT_EQ(desmooth::estimateSmoother(y)->describe(), estimate->describe());

    // Where no smoother explains the input (a photo never smoothed: the fidelity end's recovery is called
    // "none"), "auto" is the blind recovery at the current setting, not the input as an explicit "none".
    const Mat photo = readPhoto("john.jpg")(Rect(0, 0, 128, 128)).clone();
    Mat photoUnit, faithful, blind, automatic;
    photo.convertTo(photoUnit, CV_32F, 1.0 / 255);
    fidelity->recover(photoUnit, faithful);
    ASSERT_EQ(desmooth::estimateSmoother(photoUnit, faithful)->describe(), "none");
    detailed->recover(photo, blind);
    detailed->recover(photo, automatic, "auto");
    EXPECT_LE(cv::norm(automatic, blind, NORM_INF), 1.0);
    EXPECT_GT(cv::norm(automatic, photo, NORM_INF), 1.0);
}

TEST(Desmooth_KnownSmoother, auto_smoother_names_what_auto_enforces)
{
    if (!desmooth::haveBundledModel()) DESMOOTH_SKIP_TEST("this build has no bundled model");
    const Mat photo = readPhoto("cat.jpg");
    ASSERT_FALSE(photo.empty());
    const Ptr<desmooth::DeSmoother> model = desmooth::DeSmoother::create();
    model->setAutoMoveLimit(0); // the steps as they end (the limit has its own test)
    int named = 0;
    for (const char* spec : {"l0:lambda=0.02,kappa=2", "guided:radius=4,eps=400", "none"}) {
        Mat smoothed, estimated, blind;
        desmooth::Smoother::create(spec)->apply(photo, smoothed);
        const String picked = model->autoSmoother(smoothed);
        // The photo is a small JPEG file: its grid and quantisation survive a mild smoother, and "auto" then
        // goes blind without asking the classifier.
        const bool jpeg =
            desmooth::showsJpegBlocking(smoothed) || desmooth::estimateJpegQuality(smoothed) > 0;
        if (jpeg) EXPECT_EQ(picked, String()) << spec;
        if (desmooth::haveBundledSmootherClassifier() && !jpeg) {
            const String classified = desmooth::classifySmoother(smoothed);
            EXPECT_EQ(picked,
                      classified == "none" ? String() : desmooth::Smoother::create(classified)->describe())
                << spec;
        }
        // "auto" is then that smoother given, with auto's steps from the network's recovery alone (a lossless
        // input: no compression floor), or blind recovery where none is named.
        model->recover(smoothed, estimated, "auto");
        // recoverAuto() is that recovery, and says what autoSmoother() says.
        Mat returned;
        EXPECT_EQ(model->recoverAuto(smoothed, returned), picked) << spec;
        EXPECT_EQ(cv::norm(returned, estimated, NORM_INF), 0.0) << spec;
        if (picked.empty()) {
            model->recover(smoothed, blind);
            EXPECT_EQ(cv::norm(estimated, blind, NORM_INF), 0.0) << spec;
            continue;
        }
        ++named;
        const Ptr<desmooth::DeSmoother> given = desmooth::DeSmoother::create();
        given->setConsistencyIterations(given->getAutoIterations());
        given->setConsistencyFromInput(false);
        Mat known;
        given->recover(smoothed, known, desmooth::Smoother::create(picked));
        EXPECT_EQ(cv::norm(estimated, known, NORM_INF), 0.0) << spec << " -> " << picked;
    }
    if (desmooth::haveBundledSmootherClassifier()) EXPECT_GE(named, 1);
    // Where "auto" goes blind before estimating: an input saved as JPEG, one under 2x2.
    Mat smoothed;
    desmooth::Smoother::create("l0:lambda=0.02,kappa=2")->apply(photo, smoothed);
    EXPECT_EQ(model->autoSmoother(throughJpeg(smoothed, 80)), String());
    EXPECT_EQ(model->autoSmoother(smoothed(Rect(0, 0, 1, 1))), String());
    EXPECT_THROW(model->autoSmoother(Mat()), cv::Exception);
    EXPECT_THROW(model->autoSmoother(Mat(8, 8, CV_64FC3, Scalar::all(0.5))), cv::Exception);
    Mat returned;
    EXPECT_EQ(model->recoverAuto(throughJpeg(smoothed, 80), returned), String());
    EXPECT_THROW(model->recoverAuto(Mat(), returned), cv::Exception);
    // Without steps "auto" is blind recovery: nothing enforced, whatever the estimate.
    ASSERT_NE(model->recoverAuto(smoothed, returned), String()) << "the premise: L0 is estimated here";
    model->setAutoIterations(0);
    EXPECT_EQ(model->recoverAuto(smoothed, returned), String());
}

TEST(Desmooth_KnownSmoother, auto_moves_the_recovery_at_most_its_limit_times_as_far_as_the_network_did)
{
    if (!desmooth::haveBundledModel()) DESMOOTH_SKIP_TEST("this build has no bundled model");
    const Ptr<desmooth::DeSmoother> model = desmooth::DeSmoother::create();
    EXPECT_EQ(model->getAutoMoveLimit(), 0.75);
    // A float input: nothing is rounded between the steps' end and the limit.
    Mat smoothed, y, x, unlimited;
    desmooth::Smoother::create("guided:radius=4,eps=400")
        ->apply(readPhoto("cat.jpg")(Rect(40, 40, 96, 96)), smoothed);
    smoothed.convertTo(y, CV_32F, 1.0 / 255);
    ASSERT_NE(model->autoSmoother(y), String()) << "the test needs an input auto takes steps on";
    model->recover(y, x);
    model->setAutoMoveLimit(0);
    model->recover(y, unlimited, "auto");
    const double network = cv::norm(y, x, NORM_L2), steps = cv::norm(unlimited, x, NORM_L2);
    ASSERT_GT(network, 0.0);
    ASSERT_GT(steps, 0.25 * network) << "the test needs a limit that binds";
    for (double limit : {0.25, steps / network + 1}) {
        model->setAutoMoveLimit(limit);
        Mat limited;
        model->recover(y, limited, "auto");
        // The steps' end, brought back along the line to the network's recovery.
        const double kept = std::min(1.0, limit * network / steps);
        const Mat expected = x + kept * (unlimited - x);
        EXPECT_LE(cv::norm(limited, expected, NORM_INF), 1e-5) << limit;
        EXPECT_LE(cv::norm(limited, x, NORM_L2), limit * network * (1 + 1e-5)) << limit;
    }
    // At strength 0 the network does not move y: neither may the steps, unless there is no limit.
    model->setAutoMoveLimit(0.75);
    model->setStrength(0);
    Mat still;
    model->recover(y, still, "auto");
    EXPECT_EQ(cv::norm(still, y, NORM_INF), 0.0);
    EXPECT_THROW(model->setAutoMoveLimit(-0.5), cv::Exception);
    EXPECT_THROW(model->setAutoMoveLimit(std::numeric_limits<double>::quiet_NaN()), cv::Exception);
    EXPECT_EQ(model->getAutoMoveLimit(), 0.75);
}

TEST(Desmooth_KnownSmoother, bad_input_is_a_clear_exception)
{
    const Ptr<desmooth::DeSmoother> model = desmooth::DeSmoother::create(randomModel(tinyConfig(), 5));
    const Mat image(32, 32, CV_8UC3, Scalar(10, 20, 30));
    Mat out;
    EXPECT_THROW(model->recover(Mat(), out, desmooth::Smoother::create("guided")), cv::Exception);
    EXPECT_THROW(model->recover(Mat(), out, "auto"), cv::Exception);
    EXPECT_THROW(model->recover(image, out, "no_such_smoother"), cv::Exception);
    EXPECT_THROW(model->recover(image, out, static_cast<const char*>(nullptr)), cv::Exception);
    EXPECT_THROW(model->setConsistencyIterations(-1), cv::Exception);
    EXPECT_THROW(model->setAutoIterations(-1), cv::Exception);
    EXPECT_THROW(model->recover(image, out, makePtr<ThrowingSmoother>()), cv::Exception);
    EXPECT_THROW(model->recover(image, out, makePtr<ShrinkingSmoother>()), cv::Exception);
    EXPECT_THROW(desmooth::estimateSmoother(Mat()), cv::Exception);
    try {
        desmooth::estimateSmoother(Mat(1, 5, CV_8UC3, Scalar::all(9)));
        ADD_FAILURE() << "a 5x1 image was accepted";
    } catch (const cv::Exception& e) {
        EXPECT_NE(e.err.find("estimateSmoother: the smoothed image must be at least 2x2"), std::string::npos)
            << e.err;
    }
    EXPECT_THROW(desmooth::estimateSmoother(image, Mat(16, 16, CV_8UC3)), cv::Exception);
    EXPECT_THROW(desmooth::estimateSmoother(image, image, {"guided", "no_such_smoother"}), cv::Exception);
    EXPECT_THROW(desmooth::estimateSmoother(image, image, {"throwing"}), cv::Exception);
    // A depth recovery does not take is named as recover()'s input, "auto" included (its JPEG check runs
    // after).
    for (const char* spec : {"guided", "auto"}) {
        try {
            model->recover(Mat(32, 32, CV_64FC3, Scalar::all(0.5)), out, spec);
            ADD_FAILURE() << spec << ": a CV_64F input was accepted";
        } catch (const cv::Exception& e) {
            EXPECT_NE(e.err.find("DeSmoother::recover: the input"), std::string::npos)
                << spec << ": " << e.err;
        }
    }
    EXPECT_TRUE(out.empty()); // nothing half-written
}

} // namespace
} // namespace opencv_test
