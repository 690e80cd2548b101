// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "test_precomp.hpp"

#include <opencv2/ml.hpp>

#include <filesystem>
#include <unistd.h>

namespace opencv_test {
namespace {

using namespace cv;

String kindOf(const String& spec)
{
    return spec.substr(0, spec.find(':'));
}

TEST(Desmooth_SmootherClassifier, features_of_a_flat_image_are_known)
{
    // A flat image: no smoother changes it, every gray step is flat, and it has no fine detail.
    const std::vector<String> candidates = desmooth::defaultSmootherCandidates();
    const int references = int(candidates.size()) - 1; // all but "none"
    for (int type : {CV_8UC3, CV_8UC1, CV_16UC4, CV_32FC3}) {
        // Grey level 120 at every depth (smoothers that work on 8 bits then round nothing away).
        const double value = type == CV_16UC4 ? 120 * 257 : type == CV_32FC3 ? 120 / 255.0 : 120;
        Mat features;
        desmooth::smootherClassifierFeatures(Mat(300, 280, type, Scalar::all(value)), features);
        ASSERT_EQ(features.type(), CV_32FC1);
        ASSERT_EQ(features.rows, 1);
        ASSERT_EQ(features.cols, 3 * references + 5);
        // Every smoother leaves it within a twentieth of a grey level (FGS's solver is not exact on a
        // constant); the second part is the first minus its mean.
        const float silent = std::log(1e-3f);
        double mean = 0, centred = 0;
        for (int i = 0; i < references; ++i) {
            EXPECT_LT(features.at<float>(i), std::log(0.05f))
                << candidates[size_t(i) + 1] << ", type " << type;
            mean += features.at<float>(i) / references;
            centred += features.at<float>(references + i);
        }
        for (int i = 0; i < references; ++i)
            EXPECT_NEAR(features.at<float>(references + i), features.at<float>(i) - mean, 1e-4);
        EXPECT_NEAR(centred, 0.0, 1e-4);
        // The third: every pixel is in the low-gradient half, so each is half the log of (its mean squared
        // change per pixel, summed over channels, + 1e-12) / 1e-12, the change known from the first part.
        const int channels = CV_MAT_CN(type) == 4 ? 3 : CV_MAT_CN(type); // alpha is not read
        for (int i = 0; i < references; ++i) {
            const double rms = (std::exp(double(features.at<float>(i))) - 1e-3) / 255.0;
            const double expected = 0.5 * std::log((channels * rms * rms + 1e-12) / 1e-12);
            EXPECT_NEAR(features.at<float>(2 * references + i), expected, 0.02)
                << candidates[size_t(i) + 1] << ", type " << type;
        }
        const float* steps = features.ptr<float>(0) + 3 * references;
        EXPECT_EQ(steps[0], 1.0f);           // flat steps across
        EXPECT_EQ(steps[1], 1.0f);           // and down
        EXPECT_EQ(steps[2], 0.0f);           // steps of one grey level
        EXPECT_EQ(steps[3], 1.0f);           // of at most two
        EXPECT_NEAR(steps[4], silent, 0.01); // no fine detail
    }
}

TEST(Desmooth_SmootherClassifier, features_tell_l0_steps_from_a_photo)
{
    // L0 smoothing leaves flat regions: far more exactly flat steps than the photo has.
    const Mat photo = readPhoto("butterfly.jpg");
    ASSERT_FALSE(photo.empty());
    Mat smoothed, ofPhoto, ofSmoothed;
    desmooth::L0Smooth(photo, smoothed, 0.02);
    desmooth::smootherClassifierFeatures(photo, ofPhoto);
    desmooth::smootherClassifierFeatures(smoothed, ofSmoothed);
    const int flatAcross = ofPhoto.cols - 5;
    EXPECT_GT(ofSmoothed.at<float>(flatAcross), ofPhoto.at<float>(flatAcross) + 0.3f);
    // And an L0 member changes the L0-smoothed image less than it changes the photo.
    EXPECT_LT(ofSmoothed.at<float>(2), ofPhoto.at<float>(2)); // l0:lambda=0.02
}

TEST(Desmooth_SmootherClassifier, alpha_is_not_read)
{
    // Smoothers pass alpha through; counted, its zero change lowered every RMS feature by log(sqrt(4/3)) and
    // the classifier named another smoother for the same colours.
    const Mat photo = readPhoto("cat.jpg");
    ASSERT_FALSE(photo.empty());
    Mat smoothed, withAlpha, ofColour, ofColourAndAlpha;
    desmooth::Smoother::create("edge_preserving:sigma_s=60,sigma_r=0.4")->apply(photo, smoothed);
    cvtColor(smoothed, withAlpha, COLOR_BGR2BGRA);
    randu(withAlpha.reshape(1, int(withAlpha.total()))(Rect(3, 0, 1, int(withAlpha.total()))), 0, 256);
    desmooth::smootherClassifierFeatures(smoothed, ofColour);
    desmooth::smootherClassifierFeatures(withAlpha, ofColourAndAlpha);
    EXPECT_EQ(cv::norm(ofColour, ofColourAndAlpha, NORM_INF), 0);
    if (desmooth::haveBundledSmootherClassifier())
        EXPECT_EQ(desmooth::classifySmoother(withAlpha), desmooth::classifySmoother(smoothed));
}

// The bundled classifier never saw the committed photos (they are held out): each kind the evaluation uses,
// and none, on each of them.
TEST(Desmooth_SmootherClassifier, bundled_classifier_names_the_kind_on_held_out_photos)
{
    if (!desmooth::haveBundledSmootherClassifier())
        DESMOOTH_SKIP_TEST("this build has no bundled smoother classifier");
    const char* const specs[] = {"none",
                                 "l0:lambda=0.02,kappa=2",
                                 "fgs:lambda=300,sigma=7",
                                 "bilateral:d=15,sigma_color=150,sigma_space=15",
                                 "guided:radius=4,eps=400",
                                 "edge_preserving:sigma_s=60,sigma_r=0.4"};
    const std::vector<String> candidates = desmooth::defaultSmootherCandidates();
    int right = 0, total = 0, untouchedKept = 0;
    std::ostringstream found;
    for (const char* name : {"butterfly.jpg", "cat.jpg", "john.jpg", "path.jpg"}) {
        const Mat photo = readPhoto(name);
        ASSERT_FALSE(photo.empty()) << name;
        for (const char* spec : specs) {
            Mat smoothed;
            desmooth::Smoother::create(spec)->apply(photo, smoothed);
            const String picked = desmooth::classifySmoother(smoothed);
            ASSERT_NE(std::find(candidates.begin(), candidates.end(), picked), candidates.end()) << picked;
            right += kindOf(picked) == kindOf(spec);
            untouchedKept += String(spec) == "none" && picked == "none";
            ++total;
            found << name << " " << spec << " -> " << picked << "\n";
        }
    }
    // 20 of 24 when the bundled file was made (a guess would get 4). Photos never smoothed should be left
    // alone; these four are small JPEGs, the classifier's weak point (it was trained on lossless inputs and
    // takes JPEG's loss for smoothing: docs/results.md), and it keeps 2 of them "none".
    EXPECT_GE(right, 18) << right << " of " << total << " kinds right:\n" << found.str();
    EXPECT_GE(untouchedKept, 2) << found.str();
}

TEST(Desmooth_SmootherClassifier, estimate_takes_the_classifier_pick)
{
    if (!desmooth::haveBundledSmootherClassifier() || !desmooth::haveBundledModel())
        DESMOOTH_SKIP_TEST("this build has no bundled classifier or model");
    // On an L0-smoothed photo the consistency score alone picks a mild smoother of another kind; with the
    // classifier the estimate is its pick, and the scores are still every candidate's.
    const Mat photo = readPhoto("butterfly.jpg");
    Mat smoothed, scores, scoresAlone;
    desmooth::L0Smooth(photo, smoothed, 0.02);
    const String picked = desmooth::classifySmoother(smoothed);
    ASSERT_EQ(kindOf(picked), String("l0"));
    const Ptr<desmooth::Smoother> estimate = desmooth::estimateSmoother(smoothed, noArray(), {}, scores);
    EXPECT_EQ(estimate->describe(), desmooth::Smoother::create(picked)->describe());
    const Ptr<desmooth::Smoother> alone =
        desmooth::estimateSmoother(smoothed, noArray(), {}, scoresAlone, false);
    EXPECT_NE(kindOf(alone->describe()), String("l0")) << alone->describe();
    EXPECT_EQ(cv::norm(scores, scoresAlone, NORM_INF), 0.0);
    // The pick not among the given candidates: the best-scoring one of its kind.
    const std::vector<String> others{"guided:radius=4,eps=400", "l0:lambda=0.003", "l0:lambda=0.2"};
    Mat givenScores;
    const Ptr<desmooth::Smoother> ofKind =
        desmooth::estimateSmoother(smoothed, noArray(), others, givenScores);
    const String expected = givenScores.at<double>(1) <= givenScores.at<double>(2) ? others[1] : others[2];
    EXPECT_EQ(ofKind->describe(), desmooth::Smoother::create(expected)->describe());
    // No candidate of its kind: the lowest score of all.
    const Ptr<desmooth::Smoother> other = desmooth::estimateSmoother(
        smoothed, noArray(), {"guided:radius=4,eps=400", "fgs:lambda=300,sigma=7"});
    EXPECT_NE(kindOf(other->describe()), String("l0"));
}

TEST(Desmooth_SmootherClassifier, a_written_classifier_is_read_back_and_bad_ones_are_refused)
{
    // Two classes the features separate (a photo's crops and their L0-smoothed copies), standardised, an SVM
    // trained on them, written: classifySmoother() reads the file and names each training crop's class.
    const Mat photo = readPhoto("butterfly.jpg");
    ASSERT_FALSE(photo.empty());
    const std::vector<String> candidates = desmooth::defaultSmootherCandidates();
    const int none = 0, l0 = int(std::find(candidates.begin(), candidates.end(), "l0:lambda=0.02") -
                                 candidates.begin());
    ASSERT_EQ(candidates[none], "none");
    ASSERT_LT(l0, int(candidates.size()));
    std::vector<Mat> crops;
    Mat samples, labels;
    for (int i = 0; i < 4; ++i) {
        const Mat crop = photo(Rect(i * (photo.cols - 96) / 3, i * (photo.rows - 96) / 3, 96, 96)).clone();
        Mat smoothed;
        desmooth::L0Smooth(crop, smoothed, 0.02);
        for (const auto& example : {std::make_pair(crop, none), std::make_pair(smoothed, l0)}) {
            Mat features;
            desmooth::smootherClassifierFeatures(example.first, features);
            samples.push_back(features);
            labels.push_back(example.second);
            crops.push_back(example.first);
        }
    }
    Mat mean, scale;
    cv::reduce(samples, mean, 0, REDUCE_AVG);
    Mat centred = samples - cv::repeat(mean, samples.rows, 1);
    cv::reduce(centred.mul(centred), scale, 0, REDUCE_AVG);
    cv::sqrt(scale, scale);
    scale += 1e-3; // a feature constant over the crops
    Mat standardised;
    cv::divide(centred, cv::repeat(scale, samples.rows, 1), standardised);
    const Ptr<ml::SVM> svm = ml::SVM::create();
    svm->setKernel(ml::SVM::LINEAR);
    ASSERT_TRUE(svm->train(ml::TrainData::create(standardised, ml::ROW_SAMPLE, labels)));
    const std::string path = std::filesystem::temp_directory_path().string() +
                             "/desmooth_written_classifier_" + std::to_string(::getpid()) + ".yml.gz";
    desmooth::writeSmootherClassifier(path, mean, scale, svm);
    for (size_t i = 0; i < crops.size(); ++i)
        EXPECT_EQ(desmooth::classifySmoother(crops[i], path), candidates[size_t(labels.at<int>(int(i)))])
            << "crop " << i;

    // What does not fit this library's features is refused before anything is written.
    const auto expectRefused = [&](InputArray m, InputArray s, const Ptr<ml::SVM>& model, const char* says) {
        std::filesystem::remove(path);
        try {
            desmooth::writeSmootherClassifier(path, m, s, model);
            ADD_FAILURE() << "written; expected an error that says '" << says << "'";
        } catch (const cv::Exception& e) {
            EXPECT_NE(e.err.find(says), std::string::npos) << e.err;
        }
        EXPECT_FALSE(std::filesystem::exists(path));
    };
    expectRefused(mean, scale, ml::SVM::create(), "not a trained classifier");
    expectRefused(mean, scale, Ptr<ml::SVM>(), "not a trained classifier");
    expectRefused(mean.colRange(0, 3), scale, svm, "feature_mean that is not 1 x");
    expectRefused(mean, Mat(scale.size(), CV_32F, Scalar(0)), svm, "feature scales that are not > 0");
    Mat fewer;
    standardised.colRange(0, 5).copyTo(fewer);
    const Ptr<ml::SVM> small = ml::SVM::create();
    small->setKernel(ml::SVM::LINEAR);
    ASSERT_TRUE(small->train(ml::TrainData::create(fewer, ml::ROW_SAMPLE, labels)));
    expectRefused(mean, scale, small, "reads 5 features");
    EXPECT_THROW(desmooth::writeSmootherClassifier("/nonexistent/dir/c.yml", mean, scale, svm),
                 cv::Exception);
}

TEST(Desmooth_SmootherClassifier, bad_input_and_bad_classifier_files_are_clear_exceptions)
{
    EXPECT_THROW(desmooth::smootherClassifierFeatures(Mat(), noArray()), cv::Exception);
    EXPECT_THROW(desmooth::smootherClassifierFeatures(Mat(1, 1, CV_8UC3, Scalar::all(1)), noArray()),
                 cv::Exception);
    EXPECT_THROW(desmooth::smootherClassifierFeatures(Mat(8, 8, CV_64FC3, Scalar::all(0.5)), noArray()),
                 cv::Exception);
    const Mat image(32, 32, CV_8UC3, Scalar::all(90));
    EXPECT_THROW(desmooth::classifySmoother(image, "/nonexistent/classifier.yml.gz"), cv::Exception);

    const std::string dir = std::filesystem::temp_directory_path().string();
    const std::string notClassifier = dir + "/desmooth_classifier_" + std::to_string(::getpid()) + "_not.yml";
    {
        FileStorage file(notClassifier, FileStorage::WRITE);
        file << "something" << 1;
    }
    EXPECT_THROW(desmooth::classifySmoother(image, notClassifier), cv::Exception);
    // Files in the classifier's form that do not fit this library: the count of features, the candidates,
    // the format version.
    const auto writeClassifier = [&](const std::string& path, int version, const std::vector<String>& names,
                                     int featureCount, int scaleCount) {
        Mat samples(12, featureCount, CV_32F), labels(12, 1, CV_32S);
        randu(samples, 0, 1);
        for (int i = 0; i < 12; ++i)
            labels.at<int>(i) = i % 2;
        const Ptr<ml::SVM> svm = ml::SVM::create();
        svm->setKernel(ml::SVM::RBF);
        ASSERT_TRUE(svm->train(ml::TrainData::create(samples, ml::ROW_SAMPLE, labels)));
        FileStorage file(path, FileStorage::WRITE);
        file << "desmooth_smoother_classifier" << version << "candidates" << names;
        file << "feature_mean" << Mat(1, featureCount, CV_32F, Scalar(0)) << "feature_scale"
             << Mat(1, scaleCount, CV_32F, Scalar(1));
        file << "svm"
             << "{";
        svm->write(file);
        file << "}";
    };
    const std::vector<String> candidates = desmooth::defaultSmootherCandidates();
    const int featureCount = 3 * (int(candidates.size()) - 1) + 5;
    const std::string path = dir + "/desmooth_classifier_" + std::to_string(::getpid()) + ".yml";
    const auto expectError = [&](const char* says) {
        try {
            desmooth::classifySmoother(image, path);
            ADD_FAILURE() << "accepted; expected an error that says '" << says << "'";
        } catch (const cv::Exception& e) {
            EXPECT_NE(e.err.find(says), std::string::npos) << e.err;
        }
    };
    writeClassifier(path, 2, candidates, 3, 3);
    expectError("3 features");
    writeClassifier(path, 2, candidates, featureCount, 3);
    expectError("feature_scale that is not 1 x");
    writeClassifier(path, 2, {"none", "l0:lambda=0.02"}, featureCount, featureCount);
    expectError("other candidates");
    writeClassifier(path, 1, candidates, featureCount, featureCount);
    expectError("format 1");
    {
        // The random forest the library read before.
        Mat samples(12, featureCount, CV_32F), labels(12, 1, CV_32S);
        randu(samples, 0, 1);
        for (int i = 0; i < 12; ++i)
            labels.at<int>(i) = i % 2;
        Mat varTypes(1, featureCount + 1, CV_8U, Scalar(ml::VAR_ORDERED));
        varTypes.at<uchar>(featureCount) = ml::VAR_CATEGORICAL;
        const Ptr<ml::RTrees> forest = ml::RTrees::create();
        forest->setTermCriteria(TermCriteria(TermCriteria::MAX_ITER, 3, 0));
        ASSERT_TRUE(forest->train(ml::TrainData::create(samples, ml::ROW_SAMPLE, labels, noArray(), noArray(),
                                                        noArray(), varTypes)));
        forest->save(path);
    }
    expectError("random forest of an earlier version");
    // And one that fits is read and answers a candidate.
    writeClassifier(path, 2, candidates, featureCount, featureCount);
    const String picked = desmooth::classifySmoother(image, path);
    EXPECT_NE(std::find(candidates.begin(), candidates.end(), picked), candidates.end()) << picked;
    EXPECT_EQ(desmooth::classifySmoother(image, path), picked); // read once, then kept
    // The same path rewritten at once with a file of the same size that does not fit: it is read again.
    writeClassifier(path, 1, candidates, featureCount, featureCount);
    expectError("format 1");
    // Compressed as the bundled one is; cut short, or empty, it is a clear error.
    const std::string gzipped = path + ".gz";
    writeClassifier(gzipped, 2, candidates, featureCount, featureCount);
    const String pickedFromGzip = desmooth::classifySmoother(image, gzipped); // another random classifier
    EXPECT_NE(std::find(candidates.begin(), candidates.end(), pickedFromGzip), candidates.end())
        << pickedFromGzip;
    const auto size = std::filesystem::file_size(gzipped);
    std::filesystem::resize_file(gzipped, size / 2);
    try {
        desmooth::classifySmoother(image, gzipped);
        ADD_FAILURE() << "a truncated gzip file was accepted";
    } catch (const cv::Exception& e) {
        EXPECT_NE(e.err.find("cannot parse"), std::string::npos) << e.err;
    }
    std::filesystem::resize_file(gzipped, 0);
    try {
        desmooth::classifySmoother(image, gzipped);
        ADD_FAILURE() << "an empty file was accepted";
    } catch (const cv::Exception& e) {
        EXPECT_NE(e.err.find("cannot read"), std::string::npos) << e.err;
    }
    std::filesystem::remove(gzipped);
    std::filesystem::remove(path);
    std::filesystem::remove(notClassifier);
}

} // namespace
} // namespace opencv_test
