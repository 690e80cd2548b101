// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "test_precomp.hpp"

#include "generator_reference.hpp"
#include "random_model.hpp"

#include <opencv2/dnn.hpp>

#include <thread>

namespace opencv_test {
namespace {

using namespace cv;
using namespace cv::desmooth;

//! A smooth random colour image, float BGR in [0, 1].
Mat smoothImage(Size size, uint64 seed)
{
    RNG rng(seed);
    Mat small(Size(std::max(2, size.width / 8), std::max(2, size.height / 8)), CV_32FC3), image;
    rng.fill(small, RNG::UNIFORM, 0.0, 1.0);
    resize(small, image, size, 0, 0, INTER_LINEAR);
    return image;
}

//! What recover() must return, by the reference forward: BGR [0, 1] -> RGB [-1, 1] -> generator -> back.
Mat referenceRecover(const Model& model, const Mat& bgr)
{
    const int multiple = model.config.sizeMultiple();
    Mat padded;
    cv::copyMakeBorder(bgr, padded, 0, (multiple - bgr.rows % multiple) % multiple, 0,
                       (multiple - bgr.cols % multiple) % multiple, BORDER_REFLECT_101);
    Tensor input(3, padded.rows, padded.cols);
    for (int y = 0; y < padded.rows; ++y)
        for (int x = 0; x < padded.cols; ++x)
            for (int c = 0; c < 3; ++c)
                input.at(c, y, x) = 2.0 * padded.at<Vec3f>(y, x)[2 - c] - 1.0;
    const Tensor output = referenceGenerator(model, input);
    Mat result(bgr.size(), CV_32FC3);
    for (int y = 0; y < bgr.rows; ++y)
        for (int x = 0; x < bgr.cols; ++x)
            for (int c = 0; c < 3; ++c)
                result.at<Vec3f>(y, x)[2 - c] = float(0.5 * output.at(c, y, x) + 0.5);
    return result;
}

//! A comparison is only worth something when the output varies and is not stuck at tanh's limits.
void expectInformative(const Mat& recovered)
{
    Scalar mean, stddev;
    meanStdDev(recovered.reshape(1), mean, stddev);
    Mat saturated = abs(recovered.reshape(1) - 0.5) > 0.499;
    EXPECT_GT(stddev[0], 0.02); // measured 0.047-0.16 on these random models
    EXPECT_LT(countNonZero(saturated), int(saturated.total() / 20));
}

// The whole generator as a cv::dnn::Net against plain loops in double, on the lite configuration the product
// ships.
TEST(Desmooth_DeSmoother, lite_generator_matches_reference_forward)
{
    const Model model = randomModel(ModelConfig::lite(), 21);
    const Mat image = smoothImage(Size(128, 128), 1);
    Mat recovered;
    DeSmoother::create(model)->recover(image, recovered);
    expectInformative(recovered);
    EXPECT_LE(cv::norm(recovered, referenceRecover(model, image), NORM_INF), 1e-4);
}

// Every switch of the configuration, and sizes that need padding.
TEST(Desmooth_DeSmoother, ablations_match_reference_forward)
{
    for (bool sft : {false, true})
        for (bool fa : {false, true})
            for (const Size& size : {Size(8, 8), Size(21, 13), Size(40, 30)}) {
                ModelConfig config = tinyConfig(sft, fa);
                config.residual = size.width == 21; // the residual output on one size of every switch
                const Model model = randomModel(config, 22);
                const Mat image = smoothImage(size, 2);
                Mat recovered;
                DeSmoother::create(model)->recover(image, recovered);
                ASSERT_EQ(recovered.size(), size);
                // Random weights push input + tanh(x) past the clip on many pixels; the unclipped rest still
                // checks the forward, so the informativeness bound applies to the paper's output only.
                if (!config.residual) expectInformative(recovered);
                EXPECT_LE(cv::norm(recovered, referenceRecover(model, image), NORM_INF), 1e-4)
                    << "sft " << sft << " fa " << fa << " residual " << config.residual << " size " << size;
            }
}

// The restore architecture against the same plain-loop reference: every switch, FA from none to every level,
// with and without full-resolution blocks, sizes that need padding, capped channels, and the shipped widths.
TEST(Desmooth_DeSmoother, restore_generator_matches_reference_forward)
{
    for (bool sft : {false, true})
        for (int faLevels : {0, 1, 3})
            for (int fullResBlocks : {0, 2})
                for (const Size& size : {Size(4, 4), Size(21, 13), Size(40, 30)}) {
                    ModelConfig config = tinyRestoreConfig(faLevels);
                    config.sft = sft;
                    config.fullResBlocks = fullResBlocks;
                    const Model model = randomModel(config, 31);
                    const Mat image = smoothImage(size, 4);
                    Mat recovered;
                    DeSmoother::create(model)->recover(image, recovered);
                    ASSERT_EQ(recovered.size(), size);
                    EXPECT_LE(cv::norm(recovered, referenceRecover(model, image), NORM_INF), 1e-4)
                        << "sft " << sft << " fa_levels " << faLevels << " full_res_blocks " << fullResBlocks
                        << " size " << size;
                }
    ModelConfig capped = tinyRestoreConfig(3); // channels 4, 8, 8: FA and SFT on a capped level too
    capped.maxChannels = 8;
    const Model cappedModel = randomModel(capped, 33);
    const Mat cappedImage = smoothImage(Size(21, 13), 6);
    Mat cappedRecovered;
    DeSmoother::create(cappedModel)->recover(cappedImage, cappedRecovered);
    EXPECT_LE(cv::norm(cappedRecovered, referenceRecover(cappedModel, cappedImage), NORM_INF), 1e-4);
    const Model shipped = randomModel(ModelConfig::restore(), 32);
    const Mat image = smoothImage(Size(48, 40), 5);
    Mat recovered;
    DeSmoother::create(shipped)->recover(image, recovered);
    EXPECT_LE(cv::norm(recovered, referenceRecover(shipped, image), NORM_INF), 1e-4);
}

// What the restore generator is made of: SFT at every decoder level, FA at the coarsest, no transposed
// convolution, full-resolution head and tail.
TEST(Desmooth_DeSmoother, restore_config_has_sft_everywhere_and_fa_at_the_coarsest_level)
{
    const ModelConfig config = ModelConfig::restore();
    const std::map<String, std::vector<int>> shapes = modelWeightShapes(config);
    for (int block = 0; block < config.depth; ++block) {
        EXPECT_TRUE(shapes.count(format("dec%d_sft_gamma_w", block))) << block;
        EXPECT_EQ(shapes.count(format("dec%d_fa_f_w", block)), block == 0 ? 1u : 0u) << block;
    }
    EXPECT_EQ(shapes.at("head_w"), (std::vector<int>{config.ngf, 3, 3, 3}));
    EXPECT_EQ(shapes.at("tail_w"), (std::vector<int>{3, config.ngf, 3, 3}));
    for (const auto& entry : shapes)
        EXPECT_EQ(entry.first.find("deconv"), String::npos) << entry.first;
    // The coarsest level: one stride-2 step a level.
    EXPECT_EQ(config.sizeMultiple(), 1 << (config.depth - 1));
    EXPECT_EQ(ModelConfig::lite().sizeMultiple(), 128);
}

TEST(Desmooth_DeSmoother, every_type_channel_count_and_size)
{
    Ptr<DeSmoother> desmoother = DeSmoother::create(randomModel(tinyConfig(), 23));
    const Mat base = smoothImage(Size(37, 23), 3);
    Mat expected;
    desmoother->recover(base, expected);
    for (int depth : {CV_8U, CV_16U, CV_32F}) {
        const double scale = depth == CV_8U ? 255 : depth == CV_16U ? 65535 : 1;
        Mat colour, gray, alpha(base.size(), depth), colourAlpha;
        base.convertTo(colour, depth, scale);
        cvtColor(colour, gray, COLOR_BGR2GRAY);
        randu(alpha, 0, scale);
        merge(std::vector<Mat>{colour, alpha}, colourAlpha);
        for (const Mat& input : {colour, gray, colourAlpha}) {
            Mat output;
            desmoother->recover(input, output);
            ASSERT_EQ(output.type(), input.type());
            ASSERT_EQ(output.size(), input.size());
            if (input.channels() == 4) {
                Mat outAlpha;
                extractChannel(output, outAlpha, 3);
                EXPECT_EQ(cv::norm(outAlpha, alpha, NORM_INF), 0) << "alpha passes through, depth " << depth;
            }
            if (input.channels() == 3) {
                Mat unit;
                output.convertTo(unit, CV_32F, 1.0 / scale);
                // 8-bit and 16-bit inputs are quantised before recovery, so they differ a little from float.
                EXPECT_LE(cv::norm(unit, expected, NORM_INF), depth == CV_32F ? 1e-6 : 0.02)
                    << "depth " << depth;
            }
        }
    }
    for (const Size& size : {Size(1, 1), Size(1, 9), Size(17, 2), Size(64, 8)}) {
        Mat output;
        desmoother->recover(Mat(size, CV_8UC3, Scalar(10, 120, 240)), output);
        EXPECT_EQ(output.size(), size);
    }
}

// OpenCV 4.6's own Deconvolution layer crashed from ~1020x1020 inputs, i.e. on the last block of a 2048-pixel
// image; the generator must not use it.
TEST(Desmooth_DeSmoother, large_image_recovers)
{
    ModelConfig config = tinyConfig(true, false);
    Ptr<DeSmoother> desmoother = DeSmoother::create(randomModel(config, 28));
    const Mat image = smoothImage(Size(2048, 2048), 8);
    Mat recovered;
    desmoother->recover(image, recovered);
    ASSERT_EQ(recovered.size(), image.size());
    // A corner agrees with recovering that corner alone: the receptive field near the border fits in 64
    // pixels.
    Mat corner;
    desmoother->recover(image(Rect(0, 0, 64, 64)), corner);
    EXPECT_LE(cv::norm(recovered(Rect(0, 0, 16, 16)), corner(Rect(0, 0, 16, 16)), NORM_INF), 1e-4);
}

// Gray goes through RGB and back: its result is the gray of the colour result.
TEST(Desmooth_DeSmoother, gray_is_recovered_through_colour)
{
    Ptr<DeSmoother> desmoother = DeSmoother::create(randomModel(tinyConfig(), 24));
    Mat gray;
    cvtColor(smoothImage(Size(32, 24), 4), gray, COLOR_BGR2GRAY);
    Mat colour, colourResult, grayResult, expected;
    cvtColor(gray, colour, COLOR_GRAY2BGR);
    desmoother->recover(gray, grayResult);
    desmoother->recover(colour, colourResult);
    cvtColor(colourResult, expected, COLOR_BGR2GRAY);
    EXPECT_LE(cv::norm(grayResult, expected, NORM_INF), 1e-6);
}

TEST(Desmooth_DeSmoother, strength_blends_input_and_recovery)
{
    Ptr<DeSmoother> desmoother = DeSmoother::create(randomModel(tinyConfig(), 25));
    const Mat image = smoothImage(Size(24, 16), 5);
    Mat full, none, half, image8, none8;
    desmoother->recover(image, full);
    desmoother->setStrength(0);
    desmoother->recover(image, none);
    EXPECT_EQ(cv::norm(none, image, NORM_INF), 0);
    image.convertTo(image8, CV_8U, 255);
    desmoother->recover(image8, none8);
    EXPECT_EQ(cv::norm(none8, image8, NORM_INF), 0);
    desmoother->setStrength(0.5);
    desmoother->recover(image, half);
    EXPECT_LE(cv::norm(half, (image + full) * 0.5, NORM_INF), 1e-6);
    EXPECT_THROW(desmoother->setStrength(-0.1), cv::Exception);
    EXPECT_THROW(desmoother->setStrength(1.5), cv::Exception);
    EXPECT_THROW(desmoother->setStrength(std::nan("")), cv::Exception);
}

void expectSelfEnsembleIsTheMeanOverFlipsAndTransposes(Size size)
{
    SCOPED_TRACE(cv::format("%dx%d", size.width, size.height));
    Ptr<DeSmoother> desmoother = DeSmoother::create(randomModel(tinyRestoreConfig(), 25));
    const Mat image = smoothImage(size, 7);
    EXPECT_EQ(desmoother->getSelfEnsemble(), 1);
    // Each transform by hand with the plain recovery: flips (1: left-right, 0: top-bottom, -1: both), and the
    // same with a transpose first.
    std::vector<Mat> turnedBack;
    for (bool transposed : {false, true})
        for (int flipCode : {2, 1, 0, -1}) { // 2: no flip
            Mat in = image.clone(), out;
            if (transposed) cv::transpose(in, in);
            if (flipCode != 2) cv::flip(in, in, flipCode);
            desmoother->recover(in, out);
            if (flipCode != 2) cv::flip(out, out, flipCode);
            if (transposed) cv::transpose(out, out);
            turnedBack.push_back(out);
        }
    const auto meanOf = [&](std::initializer_list<int> which) {
        Mat sum(image.size(), CV_32FC3, Scalar::all(0));
        for (int i : which)
            sum += turnedBack[size_t(i)];
        return Mat(sum / double(which.size()));
    };
    Mat two, four, eight;
    desmoother->setSelfEnsemble(2);
    desmoother->recover(image, two);
    desmoother->setSelfEnsemble(4);
    desmoother->recover(image, four);
    desmoother->setSelfEnsemble(8);
    desmoother->recover(image, eight);
    EXPECT_LE(cv::norm(two, meanOf({0, 1}), NORM_INF), 1e-5);
    EXPECT_LE(cv::norm(four, meanOf({0, 1, 2, 3}), NORM_INF), 1e-5);
    EXPECT_LE(cv::norm(eight, meanOf({0, 1, 2, 3, 4, 5, 6, 7}), NORM_INF), 1e-5);
    EXPECT_GT(cv::norm(eight, turnedBack[0], NORM_INF), 1e-3) << "a random network is not flip-invariant";
    for (int bad : {0, 3, 16, -1})
        EXPECT_THROW(desmoother->setSelfEnsemble(bad), cv::Exception) << bad;
    EXPECT_EQ(desmoother->getSelfEnsemble(), 8);
}

TEST(Desmooth_DeSmoother, self_ensemble_is_the_mean_over_flips_and_transposes_turned_back)
{
    // Not square (a transpose swaps the sides) and square (a transpose keeps the shape: it must not happen in
    // place).
    for (const Size size : {Size(40, 24), Size(32, 32)})
        expectSelfEnsembleIsTheMeanOverFlipsAndTransposes(size);
}

TEST(Desmooth_DeSmoother, concurrent_calls_on_one_instance_give_identical_results)
{
    Ptr<DeSmoother> desmoother = DeSmoother::create(randomModel(tinyConfig(), 26));
    const Mat first = smoothImage(Size(48, 40), 6), second = smoothImage(Size(24, 64), 7);
    Mat expectedFirst, expectedSecond;
    desmoother->recover(first, expectedFirst);
    desmoother->recover(second, expectedSecond);
    std::vector<Mat> results(8);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < results.size(); ++t)
        threads.emplace_back([&, t] {
            for (int repeat = 0; repeat < 3; ++repeat)
                desmoother->recover(t % 2 ? second : first, results[t]);
        });
    for (std::thread& thread : threads)
        thread.join();
    for (size_t t = 0; t < results.size(); ++t)
        EXPECT_EQ(cv::norm(results[t], t % 2 ? expectedSecond : expectedFirst, NORM_INF), 0)
            << "thread " << t;
}

// With a CUDA target the custom layers run their kernels; the result must equal the CPU's to float precision.
TEST(Desmooth_DeSmoother, cuda_target_matches_cpu)
{
    if (!haveCUDA()) DESMOOTH_SKIP_TEST("no usable CUDA device or no CUDA kernels in this build");
    const Model model = randomModel(tinyConfig(), 29);
    const Mat image = smoothImage(Size(64, 48), 9);
    Ptr<DeSmoother> desmoother = DeSmoother::create(model);
    Mat onCPU, onCUDA;
    desmoother->recover(image, onCPU);
    desmoother->setPreferableTarget(dnn::DNN_TARGET_CUDA);
    desmoother->recover(image, onCUDA);
    EXPECT_LE(cv::norm(onCPU, onCUDA, NORM_INF), 1e-4);
}

// The same with the bundled model on a committed photo: every FA level at the sizes the kernels meet in use.
TEST(Desmooth_DeSmoother, cuda_target_matches_cpu_on_the_bundled_model)
{
    if (!haveCUDA()) DESMOOTH_SKIP_TEST("no usable CUDA device or no CUDA kernels in this build");
    if (!haveBundledModel()) DESMOOTH_SKIP_TEST("this build has no bundled model");
    Mat image;
    resize(readPhoto("butterfly.jpg"), image, Size(320, 256), 0, 0, INTER_AREA);
    Ptr<DeSmoother> desmoother = DeSmoother::create("");
    Mat onCPU, onCUDA;
    desmoother->recover(image, onCPU);
    desmoother->setPreferableTarget(dnn::DNN_TARGET_CUDA);
    desmoother->recover(image, onCUDA);
    EXPECT_LE(cv::norm(onCPU, onCUDA, NORM_INF), 1) << "8-bit output: at most one level of rounding";
}

// Without a device a CUDA target must not fail: the layers fall back to the CPU (and say so once in the log).
TEST(Desmooth_DeSmoother, cuda_target_without_device_falls_back_to_cpu)
{
    if (haveCUDA())
        DESMOOTH_SKIP_TEST("a CUDA device is usable here: cuda_target_matches_cpu covers this machine");
    const Model model = randomModel(tinyConfig(), 30);
    const Mat image = smoothImage(Size(32, 40), 10);
    Ptr<DeSmoother> desmoother = DeSmoother::create(model);
    Mat onCPU, requestedCUDA;
    desmoother->recover(image, onCPU);
    desmoother->setPreferableTarget(dnn::DNN_TARGET_CUDA);
    desmoother->recover(image, requestedCUDA);
    EXPECT_EQ(cv::norm(onCPU, requestedCUDA, NORM_INF), 0);
}

TEST(Desmooth_DeSmoother, bad_input_throws)
{
    Ptr<DeSmoother> desmoother = DeSmoother::create(randomModel(tinyConfig(), 27));
    Mat out;
    EXPECT_THROW(desmoother->recover(Mat(), out), cv::Exception);
    for (int type : {CV_8SC3, CV_16SC3, CV_64FC3, CV_8UC2, CV_8UC(5)})
        EXPECT_THROW(desmoother->recover(Mat(8, 8, type, Scalar::all(1)), out), cv::Exception) << type;
    Mat nan(8, 8, CV_32FC3, Scalar::all(0.5));
    nan.at<Vec3f>(2, 2)[0] = std::nanf("");
    EXPECT_THROW(desmoother->recover(nan, out), cv::Exception);
    EXPECT_THROW(DeSmoother::create("/nonexistent/model.yml.gz"), cv::Exception);
    Model broken = randomModel(tinyConfig(), 27);
    broken.weights.erase("dec0_deconv_w");
    EXPECT_THROW(DeSmoother::create(broken), cv::Exception);
}

/** Mean |Laplacian| of the gray image on 0..255: how much fine detail there is. */
double detailEnergy(const Mat& bgr)
{
    Mat gray, laplacian;
    cvtColor(bgr, gray, COLOR_BGR2GRAY);
    Laplacian(gray, laplacian, CV_32F);
    return cv::mean(abs(laplacian))[0];
}

// The bundled model is a trained de-smoother with two ends. The four committed photos (data/photos) are all
// in the held-out split, so it never saw them. Over them, the one-line call (the default detail setting)
// must: raise PSNR to the photo on average (it gains 0.29 dB; a random-weight model scores ~9 dB) and lose no
// more than 0.1 dB on any one photo; be more consistent with its input than the input itself (mean SC lower:
// L0 does not leave its own output unchanged either, and the recovery re-smooths closer to the input); and
// move the detail energy towards the photo's. Its detail end must look more natural than its fidelity end
// (lower mean BRISQUE). A build without a bundled model must say so clearly.
TEST(Desmooth_DeSmoother, bundled_model_recovers_detail_or_is_a_clear_error)
{
#ifdef DESMOOTH_EXPECT_BUNDLED_MODEL
    ASSERT_TRUE(haveBundledModel())
        << "this build was configured with a bundled model, but the library has none";
#endif
    if (!haveBundledModel()) {
        try {
            DeSmoother::create("");
            ADD_FAILURE() << "create(\"\") returned a model, but none is bundled";
        } catch (const cv::Exception& e) {
            EXPECT_NE(e.err.find("no bundled model"), std::string::npos) << e.err;
        }
        Mat out;
        EXPECT_THROW(recover(Mat(8, 8, CV_8UC3, Scalar::all(1)), out), cv::Exception);
        return;
    }
    const Model bundled = readBundledModel();
    EXPECT_TRUE(bundled.config.isRestore()) << bundled.config.architecture;
    EXPECT_FALSE(bundled.train.empty()) << "the bundled model records how it was trained";
    const Ptr<Smoother> smoother =
        Smoother::createL0(bundled.config.smootherLambda, bundled.config.smootherKappa);
    const std::vector<std::string> names = {"butterfly.jpg", "cat.jpg", "john.jpg", "path.jpg"};
    double inputPsnr = 0, recoveredPsnr = 0, inputSC = 0, recoveredSC = 0, inputDetailGap = 0,
           recoveredDetailGap = 0;
    for (const std::string& name : names) {
        const Mat photo = readPhoto(name);
        Mat smoothed, recovered;
        smoother->apply(photo, smoothed);
        recover(smoothed, recovered);
        ASSERT_EQ(recovered.size(), photo.size());
        ASSERT_EQ(recovered.type(), photo.type());
        const double before = desmooth::psnr(smoothed, photo), after = desmooth::psnr(recovered, photo);
        EXPECT_GT(after, before - 0.1) << name;
        inputPsnr += before / names.size();
        recoveredPsnr += after / names.size();
        inputSC += smoothConsistency(smoothed, smoothed, smoother) / names.size();
        recoveredSC += smoothConsistency(recovered, smoothed, smoother) / names.size();
        const double photoDetail = detailEnergy(photo);
        inputDetailGap += std::abs(detailEnergy(smoothed) - photoDetail) / names.size();
        recoveredDetailGap += std::abs(detailEnergy(recovered) - photoDetail) / names.size();
        if (name == names.front()) { // the one-line call is the default DeSmoother
            Mat again;
            DeSmoother::create("")->recover(smoothed, again);
            EXPECT_LE(cv::norm(again, recovered, NORM_INF), 1.0);
        }
    }
    EXPECT_GT(recoveredPsnr, inputPsnr + 0.15)
        << "mean PSNR: input " << inputPsnr << ", recovered " << recoveredPsnr;
    EXPECT_LT(recoveredSC, inputSC) << "mean SC: input " << inputSC << ", recovered " << recoveredSC;
    EXPECT_LT(recoveredDetailGap, inputDetailGap)
        << "mean |detail energy - photo's|: input " << inputDetailGap << ", recovered " << recoveredDetailGap;

    ASSERT_FALSE(bundled.detailWeights.empty()) << "the bundled model holds a fidelity and a detail end";
    const Ptr<DeSmoother> desmoother = DeSmoother::create("");
    EXPECT_DOUBLE_EQ(desmoother->getDetail(), bundled.defaultDetail);
    double fidelityBrisque = 0, detailBrisque = 0;
    for (const std::string& name : names) {
        Mat smoothed, recovered;
        smoother->apply(readPhoto(name), smoothed);
        desmoother->setDetail(0);
        desmoother->recover(smoothed, recovered);
        fidelityBrisque += brisque(recovered) / names.size();
        desmoother->setDetail(1);
        desmoother->recover(smoothed, recovered);
        detailBrisque += brisque(recovered) / names.size();
    }
    EXPECT_LT(detailBrisque, fidelityBrisque)
        << "mean BRISQUE: fidelity end " << fidelityBrisque << ", detail end " << detailBrisque;
}

} // namespace
} // namespace opencv_test
