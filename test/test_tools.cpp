// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// The programs as a user runs them: desmooth, desmooth_eval and samples/desmooth_webcam, each started as a
// process on generated inputs, their files and exit codes checked against the library's own results.

#include <gtest/gtest.h>

#include <opencv2/desmooth.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/wait.h>

namespace fs = std::filesystem;

namespace opencv_test {
namespace {

struct Result
{
    int code;
    std::string output; // stdout and stderr together
};

Result runProgram(const std::string& command)
{
    const std::string log =
        (fs::temp_directory_path() / ("desmooth_tools_" + std::to_string(::getpid()) + ".log")).string();
    const int status = std::system((command + " > " + log + " 2>&1").c_str());
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

//! desmooth_eval's CSV, header first, each row split into its fields (a field in double quotes may hold
//! commas; the quotes are dropped).
std::vector<std::vector<std::string>> csvRows(const std::string& path)
{
    std::ifstream in(path);
    std::vector<std::vector<std::string>> rows;
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> cells(1);
        bool quoted = false;
        for (char c : line) {
            if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
                cells.emplace_back();
            else
                cells.back() += c;
        }
        rows.push_back(cells);
    }
    return rows;
}

//! desmooth_eval's CSV of one photo and one table: each method's PSNR by its row's label.
std::map<std::string, double> psnrByMethod(const std::string& path)
{
    std::map<std::string, double> psnr;
    const auto rows = csvRows(path);
    for (size_t r = 1; r < rows.size(); ++r)
        psnr[rows[r].at(3)] = std::stod(rows[r].at(6));
    return psnr;
}

class Desmooth_Tools : public ::testing::Test
{
protected:
    static void SetUpTestSuite()
    {
        work_ = fs::temp_directory_path() / ("desmooth_tools_" + std::to_string(::getpid()));
        fs::create_directories(work_);
        model_ = (work_ / "tiny.yml.gz").string();
        const Result made = runProgram(std::string(WRITE_RANDOM_MODEL) + " --config tiny --out " + model_);
        ASSERT_EQ(made.code, 0) << made.output;
    }
    static void TearDownTestSuite() { fs::remove_all(work_); }
    static std::string photo(const std::string& name)
    {
        return std::string(DESMOOTH_DATA_DIR) + "/photos/" + name;
    }
    //! A folder of its own under the work folder holding one committed photo, for desmooth_eval.
    static fs::path folderWithPhoto(const std::string& folder, const std::string& name)
    {
        const fs::path photos = work_ / folder;
        fs::create_directories(photos);
        fs::copy_file(photo(name), photos / name);
        return photos;
    }
    /** desmooth_eval with the tiny model on the committed cat at --max-side 96 (`flags`: methods, smoothers,
     * ...), in a folder of its own: each row's PSNR by label, nothing where it failed (its output in
     * `output`). */
    static std::map<std::string, double> tinyOnCatAt96(const std::string& folder, const std::string& flags,
                                                       std::string& output)
    {
        const std::string csv = (work_ / (folder + ".csv")).string();
        const Result run =
            runProgram(std::string(EVAL_TOOL) + " --photos " + folderWithPhoto(folder, "cat.jpg").string() +
                       " --model tiny=" + model_ + " --max-side 96 " + flags + " --csv " + csv);
        output = run.output;
        return run.code == 0 ? psnrByMethod(csv) : std::map<std::string, double>();
    }
    //! The committed cat as desmooth_eval --max-side 96 reads it, and that smoothed by `smoother`.
    static std::pair<cv::Mat, cv::Mat> catAt96AndSmoothed(const std::string& smoother)
    {
        const cv::Mat cat = cv::imread(photo("cat.jpg"));
        const double scale = 96.0 / std::max(cat.cols, cat.rows);
        std::pair<cv::Mat, cv::Mat> pair;
        cv::resize(cat, pair.first, cv::Size(), scale, scale, cv::INTER_AREA);
        cv::desmooth::Smoother::create(smoother)->apply(pair.first, pair.second);
        return pair;
    }
    //! The committed path.jpg smoothed by `smoother`, written losslessly as `name` under the work folder.
    static std::pair<cv::Mat, std::string> smoothedPathWritten(const std::string& smoother,
                                                               const std::string& name)
    {
        std::pair<cv::Mat, std::string> written{cv::Mat(), (work_ / name).string()};
        cv::desmooth::Smoother::create(smoother)->apply(cv::imread(photo("path.jpg")), written.first);
        EXPECT_TRUE(cv::imwrite(written.second, written.first)) << written.second;
        return written;
    }
    static fs::path work_;
    static std::string model_;
};
fs::path Desmooth_Tools::work_;
std::string Desmooth_Tools::model_;

TEST_F(Desmooth_Tools, desmooth_recovers_16_bit_as_16_bit_exactly_as_the_library_does)
{
    cv::Mat photo16;
    cv::imread(photo("cat.jpg")).convertTo(photo16, CV_16U, 257);
    const std::string input = (work_ / "cat16.png").string(),
                      output = (work_ / "cat16_recovered.png").string();
    ASSERT_TRUE(cv::imwrite(input, photo16));
    const Result run = runProgram(std::string(DESMOOTH_TOOL) + " --input " + input + " --output " + output +
                                  " --model " + model_ + " --strength 0.5");
    ASSERT_EQ(run.code, 0) << run.output;
    const cv::Mat written = cv::imread(output, cv::IMREAD_UNCHANGED);
    ASSERT_EQ(written.type(), CV_16UC3);
    cv::Mat expected;
    const cv::Ptr<cv::desmooth::DeSmoother> desmoother = cv::desmooth::DeSmoother::create(model_);
    desmoother->setStrength(0.5);
    desmoother->recover(photo16, expected);
    EXPECT_LE(cv::norm(written, expected, cv::NORM_INF), 1.0);
}

TEST_F(Desmooth_Tools, desmooth_auto_says_what_it_enforced)
{
    // What DeSmoother::autoSmoother() names for the image, or that it recovered blind.
    const auto [smoothed, input] = smoothedPathWritten("l0:lambda=0.02,kappa=2", "auto_in.png");
    const std::string output = (work_ / "auto_out.png").string();
    const std::string picked = cv::desmooth::DeSmoother::create(model_)->autoSmoother(smoothed);
    Result run = runProgram(std::string(DESMOOTH_TOOL) + " --input " + input + " --output " + output +
                            " --model " + model_ + " --smoother auto");
    ASSERT_EQ(run.code, 0) << run.output;
    EXPECT_NE(run.output.find(picked.empty()
                                  ? std::string("(auto: recovered blind")
                                  : "(auto: estimated " + picked +
                                        "; the recovery made consistent with it, moved at most 0.75 times"),
              std::string::npos)
        << run.output;
    const std::string jpeg = (work_ / "auto_in.jpg").string();
    ASSERT_TRUE(cv::imwrite(jpeg, smoothed, {cv::IMWRITE_JPEG_QUALITY, 80}));
    run = runProgram(std::string(DESMOOTH_TOOL) + " --input " + jpeg + " --output " + output + " --model " +
                     model_ + " --smoother auto");
    ASSERT_EQ(run.code, 0) << run.output;
    EXPECT_NE(run.output.find("(auto: recovered blind"), std::string::npos) << run.output;
}

TEST_F(Desmooth_Tools, desmooth_notes_ximgproc_l0_border_given_the_circular_one)
{
    // An input cv::ximgproc::l0Smooth made (the spec's border=1), recovered with the circular spec: a note
    // naming the spec to give, and the recovery all the same; with that spec, or on the circular border's
    // output, none.
    const auto [ximgproc, ximgprocInput] =
        smoothedPathWritten("l0:lambda=0.02,kappa=2,border=1", "xl0_in.png");
    const auto [circular, circularInput] = smoothedPathWritten("l0:lambda=0.02,kappa=2", "cl0_in.png");
    const std::string output = (work_ / "l0_border_out.png").string();
    const std::string note = "give --smoother l0:lambda=0.02,kappa=2,border=1";
    const auto recover = [&](const std::string& input, const std::string& spec) {
        return runProgram(std::string(DESMOOTH_TOOL) + " --input " + input + " --output " + output +
                          " --model " + model_ + " --smoother " + spec);
    };
    Result run = recover(ximgprocInput, "l0:lambda=0.02");
    ASSERT_EQ(run.code, 0) << run.output;
    EXPECT_NE(run.output.find(note), std::string::npos) << run.output;
    EXPECT_FALSE(cv::imread(output).empty());
    run = recover(ximgprocInput, "l0:lambda=0.02,kappa=2,border=1");
    ASSERT_EQ(run.code, 0) << run.output;
    EXPECT_EQ(run.output.find("note"), std::string::npos) << run.output;
    run = recover(circularInput, "l0:lambda=0.02");
    ASSERT_EQ(run.code, 0) << run.output;
    EXPECT_EQ(run.output.find("note"), std::string::npos) << run.output;
}

TEST_F(Desmooth_Tools, desmooth_auto_move_limit_is_the_librarys)
{
    // --auto-move-limit R recovers as DeSmoother::setAutoMoveLimit(R) does, and its line says the bound.
    const auto [smoothed, input] = smoothedPathWritten("guided:radius=4,eps=400", "limit_in.png");
    const cv::Ptr<cv::desmooth::DeSmoother> desmoother = cv::desmooth::DeSmoother::create(model_);
    const std::string picked = desmoother->autoSmoother(smoothed);
    ASSERT_FALSE(picked.empty()) << "the premise: a smoother is estimated, so that the limit acts";
    cv::Mat unlimited, limited;
    for (const char* limit : {"0", "0.25"}) {
        const std::string output = (work_ / (std::string("limit_out_") + limit + ".png")).string();
        const Result run =
            runProgram(std::string(DESMOOTH_TOOL) + " --input " + input + " --output " + output +
                       " --model " + model_ + " --smoother auto --auto-move-limit " + limit);
        ASSERT_EQ(run.code, 0) << run.output;
        const std::string said =
            std::string(limit) == "0"
                ? "(auto: estimated " + picked + "; the recovery made consistent with it)"
                : "(auto: estimated " + picked +
                      "; the recovery made consistent with it, moved at most 0.25 times";
        EXPECT_NE(run.output.find(said), std::string::npos) << run.output;
        cv::Mat expected;
        desmoother->setAutoMoveLimit(std::stod(limit));
        desmoother->recover(smoothed, expected, "auto");
        const cv::Mat written = cv::imread(output);
        EXPECT_EQ(cv::norm(written, expected, cv::NORM_INF), 0.0) << limit;
        (std::string(limit) == "0" ? unlimited : limited) = written;
    }
    EXPECT_GT(cv::norm(unlimited, limited, cv::NORM_INF), 0.0) << "the limit changed nothing here";
    // Bad values and a limit without "auto" are usage errors (exit 2); a value the library refuses exits 1;
    // each with a message and no output.
    const std::string output = (work_ / "limit_bad.png").string();
    for (const auto& [flags, code] :
         std::vector<std::pair<std::string, int>>{{" --smoother auto --auto-move-limit -1", 2},
                                                  {" --smoother auto --auto-move-limit nan", 2},
                                                  {" --auto-move-limit 0.5", 2},
                                                  {" --smoother l0 --auto-move-limit 0.5", 2},
                                                  {" --smoother auto --auto-move-limit 1e9", 1}}) {
        const Result run = runProgram(std::string(DESMOOTH_TOOL) + " --input " + input + " --output " +
                                      output + " --model " + model_ + flags);
        EXPECT_EQ(run.code, code) << flags << "\n" << run.output;
        EXPECT_NE(run.output.find(code == 2 ? "--auto-move-limit" : "move limit"), std::string::npos)
            << flags << "\n"
            << run.output;
        EXPECT_FALSE(fs::exists(output)) << flags;
    }
}

TEST_F(Desmooth_Tools, desmooth_smooths_a_folder_into_a_mirrored_tree)
{
    const fs::path in = work_ / "tree_in", out = work_ / "tree_out";
    fs::create_directories(in / "sub");
    fs::copy_file(photo("john.jpg"), in / "sub" / "john.jpg");
    fs::copy_file(photo("cat.jpg"), in / "cat.jpg");
    const Result run = runProgram(std::string(DESMOOTH_TOOL) + " --smooth --input " + in.string() +
                                  " --output " + out.string());
    ASSERT_EQ(run.code, 0) << run.output;
    const cv::Mat written = cv::imread((out / "sub" / "john.jpg").string());
    ASSERT_FALSE(written.empty());
    cv::Mat expected;
    cv::desmooth::L0Smooth(cv::imread(photo("john.jpg")), expected);
    // Written as JPEG, so compare through the codec's loss: well above what no smoothing would give.
    EXPECT_GT(cv::desmooth::psnr(written, expected), 35.0);
    EXPECT_TRUE(fs::exists(out / "cat.jpg"));
}

TEST_F(Desmooth_Tools, desmooth_reports_bad_input_with_a_non_zero_exit)
{
    const std::string tool = DESMOOTH_TOOL;
    Result run = runProgram(tool + " --input /nonexistent.png --output " + (work_ / "x.png").string() +
                            " --model " + model_);
    EXPECT_EQ(run.code, 1);
    EXPECT_NE(run.output.find("does not exist"), std::string::npos) << run.output;
    const std::string notAnImage = (work_ / "text.png").string();
    std::ofstream(notAnImage) << "not an image";
    run = runProgram(tool + " --input " + notAnImage + " --output " + (work_ / "x.png").string() +
                     " --model " + model_);
    EXPECT_EQ(run.code, 1);
    EXPECT_NE(run.output.find("cannot read an image"), std::string::npos) << run.output;
    run = runProgram(tool + " --input " + photo("cat.jpg") + " --output " + (work_ / "x.png").string() +
                     " --model " + notAnImage);
    EXPECT_EQ(run.code, 1);
    run = runProgram(tool + " --input " + photo("cat.jpg"));
    EXPECT_EQ(run.code, 2);
    // The output may not be the input itself, a file or a folder however it is spelled: the user's images
    // stay as they were.
    const fs::path own = work_ / "own";
    fs::create_directories(own);
    fs::copy_file(photo("cat.jpg"), own / "cat.jpg");
    const auto ownBytes = [&] {
        std::ifstream in(own / "cat.jpg", std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const std::string before = ownBytes();
    for (const auto& [input, output] :
         {std::pair{own / "cat.jpg", own / "." / "cat.jpg"}, {own, own / ".." / "own"}}) {
        for (const char* mode : {"", " --smooth"}) {
            run = runProgram(tool + " --input " + input.string() + " --output " + output.string() +
                             " --model " + model_ + mode);
            EXPECT_EQ(run.code, 1) << output << mode;
            EXPECT_NE(run.output.find("is the input itself"), std::string::npos) << run.output;
        }
    }
    EXPECT_EQ(ownBytes(), before);
    run = runProgram(tool + " --info " + model_);
    EXPECT_EQ(run.code, 0);
    EXPECT_NE(run.output.find("config: tiny (unet architecture, depth 3, ngf 4"), std::string::npos)
        << run.output;
    EXPECT_NE(run.output.find("detail: one end only"), std::string::npos) << run.output;
    run = runProgram(tool + " --input " + photo("cat.jpg") + " --output " + (work_ / "x.png").string() +
                     " --model " + model_ + " --detail 0.5");
    EXPECT_EQ(run.code, 1) << "a model with one end takes only --detail 0";
    EXPECT_NE(run.output.find("one end only"), std::string::npos) << run.output;
    EXPECT_EQ(runProgram(tool + " --input " + photo("cat.jpg") + " --output " + (work_ / "x.png").string() +
                         " --model " + model_ + " --detail 2")
                  .code,
              2);
    run = runProgram(tool + " --input " + photo("cat.jpg") + " --output " + (work_ / "x.png").string() +
                     " --model " + model_ + " --tile 100");
    EXPECT_EQ(run.code, 2);
    EXPECT_NE(run.output.find("--tile must be 0 (never tile) or >= 256"), std::string::npos) << run.output;
}

TEST_F(Desmooth_Tools, desmooth_eval_writes_the_csv_and_grid_and_its_identity_row_is_the_smoothed_input)
{
    const fs::path photos = work_ / "eval_photos";
    fs::create_directories(photos);
    fs::copy_file(photo("john.jpg"), photos / "john.jpg");
    fs::copy_file(photo("cat.jpg"), photos / "cat.jpg");
    const std::string csv = (work_ / "scores.csv").string(), grid = (work_ / "grid.png").string();
    const Result run =
        runProgram(std::string(EVAL_TOOL) + " --photos " + photos.string() + " --model tiny=" + model_ +
                   " --csv " + csv + " --grid " + grid + " --grid-photo john.jpg");
    ASSERT_EQ(run.code, 0) << run.output;
    EXPECT_NE(run.output.find("| method | SC"), std::string::npos) << run.output;
    const auto rows = csvRows(csv);
    ASSERT_EQ(rows.size(), 7u) << "a header and 2 photos x (identity, unsharp, tiny)";
    EXPECT_EQ(rows[0], (std::vector<std::string>{"scale", "smoother", "photo", "method", "sc", "ssim", "psnr",
                                                 "lpips", "gmsd", "brisque", "detail", "ms"}));
    // cat.jpg sorts first; its identity row's PSNR is that of the L0-smoothed photo.
    const cv::Mat cat = cv::imread(photo("cat.jpg"));
    cv::Mat smoothed;
    cv::desmooth::L0Smooth(cat, smoothed);
    const std::vector<std::string>& cells = rows[1];
    ASSERT_EQ(cells.size(), 12u);
    EXPECT_EQ(cells[0], "full resolution");
    EXPECT_EQ(cells[2], "cat.jpg");
    EXPECT_EQ(cells[3], "identity");
    EXPECT_NEAR(std::stod(cells[6]), cv::desmooth::psnr(smoothed, cat), 1e-3);
    EXPECT_EQ(cells[7], "nan");
    EXPECT_NEAR(std::stod(cells[8]), cv::desmooth::gmsd(smoothed, cat), 1e-5);
    EXPECT_NEAR(std::stod(cells[9]), cv::desmooth::brisque(smoothed), 1e-3);
    EXPECT_NEAR(std::stod(cells[10]), cv::desmooth::detailRatio(smoothed, cat), 1e-5);
    const cv::Mat gridImage = cv::imread(grid);
    ASSERT_FALSE(gridImage.empty());
    EXPECT_EQ(gridImage.rows, 512); // two rows of 256-pixel tiles
}

TEST_F(Desmooth_Tools, desmooth_eval_scores_every_scale_and_smoother_in_a_table_each)
{
    const fs::path photos = folderWithPhoto("eval_scales", "butterfly.jpg");
    const std::string csv = (work_ / "scales.csv").string();
    const Result run =
        runProgram(std::string(EVAL_TOOL) + " --photos " + photos.string() +
                   " --methods identity --smoother l0:lambda=0.04 --smoother guided:radius=3,eps=100 "
                   "--max-side 200 0 --csv " +
                   csv);
    ASSERT_EQ(run.code, 0) << run.output;
    std::ifstream in(csv);
    std::vector<std::string> rows;
    for (std::string line; std::getline(in, line);)
        rows.push_back(line);
    ASSERT_EQ(rows.size(), 5u) << "a header and 2 scales x 2 smoothers x 1 photo";
    EXPECT_EQ(rows[1].rfind("long side <= 200,l0:lambda=0.04,butterfly.jpg,identity,", 0), 0u) << rows[1];
    EXPECT_EQ(rows[4].rfind("full resolution,\"guided:radius=3,eps=100\",butterfly.jpg,identity,", 0), 0u)
        << rows[4];
    // The identity row at 200 pixels: the downscaled photo (INTER_AREA) against its L0 version.
    cv::Mat small, smoothed;
    const cv::Mat butterfly = cv::imread(photo("butterfly.jpg"));
    cv::resize(butterfly, small, cv::Size(), 200.0 / butterfly.cols, 200.0 / butterfly.cols, cv::INTER_AREA);
    cv::desmooth::L0Smooth(small, smoothed, 0.04);
    const std::vector<std::string> cells = csvRows(csv).at(1);
    ASSERT_GE(cells.size(), 7u);
    EXPECT_NEAR(std::stod(cells[6]), cv::desmooth::psnr(smoothed, small), 1e-3);
    EXPECT_EQ(runProgram(std::string(EVAL_TOOL) + " --photos " + photos.string() +
                         " --methods identity --smoother magic")
                  .code,
              1);
    EXPECT_EQ(runProgram(std::string(EVAL_TOOL) + " --photos " + photos.string() + " --detail 2").code, 2);
    EXPECT_EQ(runProgram(std::string(EVAL_TOOL) + " --photos " + photos.string() + " --detail 0.5,x").code,
              2);
    EXPECT_EQ(runProgram(std::string(EVAL_TOOL) + " --photos " + photos.string() + " --detail nan").code, 2);
}

TEST_F(Desmooth_Tools, desmooth_eval_jpeg_quality_scores_inputs_saved_as_jpeg)
{
    const fs::path photos = folderWithPhoto("eval_jpeg", "butterfly.jpg");
    const std::string csv = (work_ / "jpeg.csv").string();
    const Result run = runProgram(std::string(EVAL_TOOL) + " --photos " + photos.string() +
                                  " --methods identity --smoother gaussian:sigma=1.2 --max-side 200 "
                                  "--jpeg-quality 70 --csv " +
                                  csv);
    ASSERT_EQ(run.code, 0) << run.output;
    const auto rows = csvRows(csv);
    ASSERT_EQ(rows.size(), 2u);
    const std::vector<std::string>& cells = rows[1];
    ASSERT_GE(cells.size(), 7u);
    EXPECT_EQ(cells[0], "long side <= 200 (inputs as JPEG at quality 70)");
    // The identity row: the downscaled photo against its Gaussian-blurred version after a JPEG round trip.
    cv::Mat small, smoothed;
    const cv::Mat butterfly = cv::imread(photo("butterfly.jpg"));
    cv::resize(butterfly, small, cv::Size(), 200.0 / butterfly.cols, 200.0 / butterfly.cols, cv::INTER_AREA);
    cv::desmooth::Smoother::create("gaussian:sigma=1.2")->apply(small, smoothed);
    std::vector<uchar> bytes;
    ASSERT_TRUE(cv::imencode(".jpg", smoothed, bytes, {cv::IMWRITE_JPEG_QUALITY, 70}));
    const double expected = cv::desmooth::psnr(cv::imdecode(bytes, cv::IMREAD_COLOR), small);
    EXPECT_LT(expected, cv::desmooth::psnr(smoothed, small) - 0.1) << "quality 70 must lose something";
    EXPECT_NEAR(std::stod(cells[6]), expected, 1e-3);
    EXPECT_EQ(
        runProgram(std::string(EVAL_TOOL) + " --photos " + photos.string() + " --jpeg-quality 101").code, 2);
}

TEST_F(Desmooth_Tools, desmooth_eval_known_from_recovery_alone_scores_the_one_start_row_beside_the_default)
{
    const std::string smoother = "bilateral:d=9,sigma_color=50,sigma_space=5";
    std::string output;
    const std::map<std::string, double> psnr =
        tinyOnCatAt96("eval_known_starts",
                      "--methods model+known --known-from-recovery-alone --smoother " + smoother, output);
    ASSERT_EQ(psnr.size(), 2u) << output;
    // Each row is the library's recovery with that setting, scored as desmooth_eval scores it.
    const auto [small, smoothed] = catAt96AndSmoothed(smoother);
    const cv::Ptr<cv::desmooth::DeSmoother> desmoother = cv::desmooth::DeSmoother::create(model_);
    for (bool fromInput : {true, false}) {
        cv::Mat recovered;
        desmoother->setConsistencyFromInput(fromInput);
        desmoother->recover(smoothed, recovered, smoother.c_str());
        EXPECT_NEAR(psnr.at(fromInput ? "tiny+known" : "tiny+known (from the recovery alone)"),
                    cv::desmooth::psnr(recovered, small), 1e-3)
            << fromInput;
    }
    EXPECT_NE(psnr.at("tiny+known"), psnr.at("tiny+known (from the recovery alone)"));
}

TEST_F(Desmooth_Tools, desmooth_eval_auto_iterations_scores_a_row_per_count_and_zero_is_blind)
{
    const fs::path photos = folderWithPhoto("eval_auto_steps", "cat.jpg");
    const std::string csv = (work_ / "auto_steps.csv").string();
    const Result run =
        runProgram(std::string(EVAL_TOOL) + " --photos " + photos.string() + " --model tiny=" + model_ +
                   " --methods model,model+auto --auto-iterations 0,2 --smoother "
                   "guided:radius=4,eps=400 --max-side 96 --csv " +
                   csv);
    ASSERT_EQ(run.code, 0) << run.output;
    for (const auto& row : csvRows(csv))
        ASSERT_EQ(row.size(), 12u);
    const std::map<std::string, double> psnr = psnrByMethod(csv);
    ASSERT_EQ(psnr.size(), 3u) << run.output;
    const double blind = psnr.at("tiny"), none = psnr.at("tiny+auto (0 steps)"),
                 two = psnr.at("tiny+auto (2 steps)");
    EXPECT_GT(blind, 0);
    EXPECT_EQ(none, blind); // no steps: blind recovery
    EXPECT_GT(two, 0);
    EXPECT_NE(two, blind);
    for (const char* bad : {"-1", "1001", "2,x", "99999999999999999999"}) {
        const Result refused =
            runProgram(std::string(EVAL_TOOL) + " --photos " + photos.string() + " --auto-iterations " + bad);
        EXPECT_EQ(refused.code, 2) << bad;
        EXPECT_NE(refused.output.find("--auto-iterations takes whole numbers in 0..1000"), std::string::npos)
            << bad << ": " << refused.output;
    }
}

TEST_F(Desmooth_Tools, desmooth_eval_auto_move_limits_scores_a_row_per_limit_as_the_library_recovers)
{
    const std::string smoother = "guided:radius=4,eps=400";
    std::string output;
    const std::map<std::string, double> psnr = tinyOnCatAt96(
        "eval_auto_limits", "--methods model+auto --auto-move-limits 0,0.05 --smoother " + smoother, output);
    ASSERT_EQ(psnr.size(), 2u) << output;
    // Each row is the library's "auto" with that limit, scored as desmooth_eval scores it.
    const auto [small, smoothed] = catAt96AndSmoothed(smoother);
    const cv::Ptr<cv::desmooth::DeSmoother> desmoother = cv::desmooth::DeSmoother::create(model_);
    std::vector<cv::Mat> recovered(2);
    for (int i = 0; i < 2; ++i) {
        const double limit = i == 0 ? 0 : 0.05;
        desmoother->setAutoMoveLimit(limit);
        desmoother->recover(smoothed, recovered[i], "auto");
        EXPECT_NEAR(psnr.at(cv::format("tiny+auto (move limit %g)", limit)),
                    cv::desmooth::psnr(recovered[i], small), 1e-3)
            << limit;
    }
    EXPECT_GT(cv::norm(recovered[0], recovered[1], cv::NORM_INF), 0.0) << "the limit should bind here";
    for (const char* bad : {"-1", "1001", "0.5,x"}) {
        const Result refused =
            runProgram(std::string(EVAL_TOOL) + " --photos " + (work_ / "eval_auto_limits").string() +
                       " --auto-move-limits " + bad);
        EXPECT_EQ(refused.code, 2) << bad;
        EXPECT_NE(refused.output.find("--auto-move-limits takes values in [0, 1000]"), std::string::npos)
            << bad << ": " << refused.output;
    }
}

TEST_F(Desmooth_Tools, desmooth_eval_reverse_rows_are_reverse_filter_with_each_scheme_and_count)
{
    const fs::path photos = folderWithPhoto("eval_reverse", "butterfly.jpg");
    const std::string csv = (work_ / "reverse.csv").string(), spec = "guided:radius=4,eps=400";
    const Result run = runProgram(
        std::string(EVAL_TOOL) + " --photos " + photos.string() +
        " --methods reverse --reverse-methods t,tda,nesterov --reverse-iterations 0,8 --reverse-stop "
        "--smoother " +
        spec + " --max-side 200 --csv " + csv);
    ASSERT_EQ(run.code, 0) << run.output;
    const std::map<std::string, double> psnrByRow = psnrByMethod(csv);
    ASSERT_EQ(psnrByRow.size(), 12u) << run.output; // each scheme and count, plain and stopped

    // The same photo at 200 pixels (INTER_AREA), smoothed, and reversed by the library.
    const cv::Mat butterfly = cv::imread(photo("butterfly.jpg"));
    cv::Mat small, smoothed;
    cv::resize(butterfly, small, cv::Size(), 200.0 / butterfly.cols, 200.0 / butterfly.cols, cv::INTER_AREA);
    const cv::Ptr<cv::desmooth::Smoother> smoother = cv::desmooth::Smoother::create(spec);
    smoother->apply(small, smoothed);
    const std::pair<const char*, int> schemes[] = {{"t", cv::desmooth::REVERSE_FILTER_T},
                                                   {"tda", cv::desmooth::REVERSE_FILTER_TDA},
                                                   {"nesterov", cv::desmooth::REVERSE_FILTER_T_NESTEROV}};
    for (const auto& scheme : schemes)
        for (int count : {0, 8})
            for (bool stop : {false, true}) {
                cv::Mat reversed;
                cv::desmooth::reverseFilter(smoothed, reversed, smoother, count, scheme.second, stop);
                const std::string row = cv::format("reverse filtering (%s, %d iterations%s)", scheme.first,
                                                   count, stop ? ", stopped within the rounding" : "");
                ASSERT_EQ(psnrByRow.count(row), 1u) << row << "\n" << run.output;
                EXPECT_NEAR(psnrByRow.at(row), cv::desmooth::psnr(reversed, small), 1e-3) << row;
            }
    EXPECT_GT(psnrByRow.at("reverse filtering (t, 8 iterations)"),
              psnrByRow.at("reverse filtering (t, 0 iterations)") + 1.0)
        << "reverse filtering gains on guided inputs";
    EXPECT_GT(psnrByRow.at("reverse filtering (t, 8 iterations, stopped within the rounding)"),
              psnrByRow.at("reverse filtering (t, 8 iterations)"))
        << "8 iterations of the T-method amplify an 8-bit guided input's rounding";

    const std::string base = std::string(EVAL_TOOL) + " --photos " + photos.string() + " --methods reverse ";
    const Result unknown = runProgram(base + "--reverse-methods t,magic --reverse-iterations 3");
    EXPECT_EQ(unknown.code, 2);
    EXPECT_NE(unknown.output.find("unknown reverse filtering method 'magic'"), std::string::npos)
        << unknown.output;
    const Result noCounts = runProgram(base + "--reverse-methods tda");
    EXPECT_EQ(noCounts.code, 2);
    EXPECT_NE(noCounts.output.find("--reverse-methods needs --reverse-iterations"), std::string::npos)
        << noCounts.output;
    EXPECT_EQ(runProgram(base + "--reverse-iterations -1").code, 2);
}

TEST_F(Desmooth_Tools, self_ensemble_is_a_row_of_desmooth_eval_and_an_option_of_desmooth)
{
    const fs::path photos = folderWithPhoto("eval_ensemble", "cat.jpg");
    const std::string csv = (work_ / "ensemble.csv").string();
    const Result run =
        runProgram(std::string(EVAL_TOOL) + " --photos " + photos.string() + " --model tiny=" + model_ +
                   " --methods model --self-ensemble 1,2 --max-side 96 --csv " + csv);
    ASSERT_EQ(run.code, 0) << run.output;
    const std::map<std::string, double> psnrByRow = psnrByMethod(csv);
    ASSERT_EQ(psnrByRow.size(), 2u) << run.output;
    ASSERT_EQ(psnrByRow.count("tiny (self-ensemble 2)"), 1u) << run.output;
    EXPECT_NE(psnrByRow.at("tiny"), psnrByRow.at("tiny (self-ensemble 2)"));
    const Result refused =
        runProgram(std::string(EVAL_TOOL) + " --photos " + photos.string() + " --self-ensemble 1,3");
    EXPECT_EQ(refused.code, 2);
    EXPECT_NE(refused.output.find("--self-ensemble takes 1, 2, 4 or 8"), std::string::npos) << refused.output;

    // desmooth --self-ensemble 2 writes what the library's self-ensemble of 2 returns.
    const std::string output = (work_ / "cat_ensemble.png").string();
    const Result recovered = runProgram(std::string(DESMOOTH_TOOL) + " --input " + photo("cat.jpg") +
                                        " --output " + output + " --model " + model_ + " --self-ensemble 2");
    ASSERT_EQ(recovered.code, 0) << recovered.output;
    const cv::Ptr<cv::desmooth::DeSmoother> desmoother = cv::desmooth::DeSmoother::create(model_);
    desmoother->setSelfEnsemble(2);
    cv::Mat expected;
    desmoother->recover(cv::imread(photo("cat.jpg")), expected);
    EXPECT_EQ(cv::norm(cv::imread(output), expected, cv::NORM_INF), 0);
    const Result bad = runProgram(std::string(DESMOOTH_TOOL) + " --input " + photo("cat.jpg") + " --output " +
                                  output + " --self-ensemble 3");
    EXPECT_EQ(bad.code, 2);
    EXPECT_NE(bad.output.find("--self-ensemble must be 1, 2, 4 or 8"), std::string::npos) << bad.output;
}

TEST_F(Desmooth_Tools, desmooth_eval_untrained_names_four_kinds_no_model_trained_on)
{
    const fs::path photos = folderWithPhoto("eval_untrained", "butterfly.jpg");
    const std::string csv = (work_ / "untrained.csv").string();
    const Result run = runProgram(std::string(EVAL_TOOL) + " --photos " + photos.string() +
                                  " --methods identity --smoother untrained --max-side 128 --csv " + csv);
    ASSERT_EQ(run.code, 0) << run.output;
    const auto rows = csvRows(csv);
    std::vector<std::string> smoothers;
    for (size_t r = 1; r < rows.size(); ++r)
        smoothers.push_back(rows[r].at(1));
    const std::vector<std::string> expected{"gaussian:sigma=1.5", "median:ksize=5",
                                            "rolling_guidance:sigma_color=25,sigma_space=3,iterations=4",
                                            "domain_transform:sigma_s=30,sigma_r=40"};
    EXPECT_EQ(smoothers, expected);
}

TEST_F(Desmooth_Tools, desmooth_eval_rejects_unknown_methods_and_missing_folders)
{
    EXPECT_EQ(
        runProgram(std::string(EVAL_TOOL) + " --photos " + work_.string() + " --methods identity,magic").code,
        2);
    EXPECT_EQ(runProgram(std::string(EVAL_TOOL) + " --photos /nonexistent --methods identity").code, 1);
}

TEST_F(Desmooth_Tools, desmooth_eval_fails_on_an_unreadable_photo_before_its_first_table)
{
    // Photos are read one at a time as the tables reach them; a file no codec reads is found up front.
    const fs::path photos = folderWithPhoto("eval_unreadable", "butterfly.jpg");
    std::ofstream(photos / "notes.png") << "not an image";
    const fs::path list = work_ / "unreadable_list.txt";
    std::ofstream(list) << "butterfly.jpg\nnotes.png\n";
    const Result run = runProgram(std::string(EVAL_TOOL) + " --photos " + photos.string() + " --list " +
                                  list.string() + " --methods identity --max-side 64");
    EXPECT_EQ(run.code, 1) << run.output;
    EXPECT_NE(run.output.find("cannot read an image from"), std::string::npos) << run.output;
    EXPECT_NE(run.output.find("notes.png"), std::string::npos) << run.output;
    EXPECT_EQ(run.output.find("###"), std::string::npos) << run.output; // no table began
}

TEST_F(Desmooth_Tools, desmooth_eval_scores_a_photo_too_small_for_some_scores_and_runs_without_brisque_files)
{
    // A 12x9 photo beside a full one: SSIM (11x11) and BRISQUE (16x16) are n/a for it alone, the table's
    // means are over the photos that have them.
    const fs::path photos = folderWithPhoto("eval_small", "butterfly.jpg");
    cv::imwrite((photos / "icon.png").string(), cv::imread(photo("cat.jpg"))(cv::Rect(40, 40, 12, 9)));
    const std::string csv = (work_ / "small.csv").string();
    Result run = runProgram(std::string(EVAL_TOOL) + " --photos " + photos.string() +
                            " --methods identity --max-side 64 --csv " + csv);
    ASSERT_EQ(run.code, 0) << run.output;
    const auto rows = csvRows(csv);
    ASSERT_EQ(rows.size(), 3u);
    for (size_t r = 1; r < rows.size(); ++r) {
        const bool icon = rows[r].at(2) == "icon.png";
        EXPECT_EQ(rows[r].at(5) == "nan", icon) << "ssim of " << rows[r].at(2);
        EXPECT_EQ(rows[r].at(9) == "nan", icon) << "brisque of " << rows[r].at(2);
        EXPECT_NE(rows[r].at(6), "nan") << "psnr of " << rows[r].at(2);
    }
    EXPECT_NE(run.output.find("BRISQUE of the photos themselves: "), std::string::npos) << run.output;
    EXPECT_EQ(run.output.find("BRISQUE of the photos themselves: n/a"), std::string::npos) << run.output;
    // Without BRISQUE's model files (Debian's opencv-data), BRISQUE is n/a and every other score is there.
    run = runProgram("OPENCV_DESMOOTH_BRISQUE_DIR=/nonexistent " + std::string(EVAL_TOOL) + " --photos " +
                     photos.string() + " --methods identity --max-side 64");
    ASSERT_EQ(run.code, 0) << run.output;
    EXPECT_NE(run.output.find("BRISQUE of the photos themselves: n/a"), std::string::npos) << run.output;
}

TEST_F(Desmooth_Tools, desmooth_eval_scores_smoothed_inputs_made_elsewhere_beside_their_photos)
{
    // Inputs made outside (here by the guided filter, saved losslessly as PNG beside JPEG photos, paired by
    // their path less the extension): with the smoother named, every score is that of smoothing them here.
    const std::string spec = "guided:radius=4,eps=400";
    const fs::path photos = folderWithPhoto("eval_given", "butterfly.jpg"),
                   given = work_ / "eval_given_smoothed";
    fs::copy_file(photo("cat.jpg"), photos / "cat.jpg");
    fs::create_directories(given);
    for (const char* name : {"butterfly", "cat"}) {
        cv::Mat smoothed;
        cv::desmooth::Smoother::create(spec)->apply(cv::imread(photo(std::string(name) + ".jpg")), smoothed);
        ASSERT_TRUE(cv::imwrite((given / (std::string(name) + ".png")).string(), smoothed));
    }
    // At the photos' own size: the inputs were smoothed there (a --max-side would downscale them after
    // smoothing, the photos here before).
    const std::string eval = std::string(EVAL_TOOL) + " --photos " + photos.string();
    const std::string here = (work_ / "given_here.csv").string(),
                      there = (work_ / "given_there.csv").string(),
                      unknown = (work_ / "given_unknown.csv").string();
    Result run = runProgram(eval + " --methods identity,reverse --smoother " + spec + " --csv " + here);
    ASSERT_EQ(run.code, 0) << run.output;
    run = runProgram(eval + " --methods identity,reverse --smoother " + spec + " --smoothed " +
                     given.string() + " --csv " + there);
    ASSERT_EQ(run.code, 0) << run.output;
    EXPECT_NE(run.output.find("smoothed inputs from " + given.string() + " (made by guided"),
              std::string::npos)
        << run.output;
    const auto hereRows = csvRows(here), thereRows = csvRows(there);
    ASSERT_EQ(hereRows.size(), 5u); // the header, two photos by two methods
    ASSERT_EQ(thereRows.size(), hereRows.size());
    for (size_t r = 0; r < hereRows.size(); ++r)
        for (size_t c = 0; c + 1 < hereRows[r].size(); ++c) // all but the time
            EXPECT_EQ(thereRows[r].at(c), hereRows[r].at(c)) << "row " << r << ", column " << c;
    // Not naming the smoother: SC is n/a (it re-smooths with the one that made the inputs), the rest as
    // before.
    run = runProgram(eval + " --methods identity --smoothed " + given.string() + " --csv " + unknown);
    ASSERT_EQ(run.code, 0) << run.output;
    EXPECT_NE(run.output.find("(smoother not given: SC n/a)"), std::string::npos) << run.output;
    const auto unknownRows = csvRows(unknown);
    ASSERT_EQ(unknownRows.size(), 3u);
    for (size_t r = 1; r < unknownRows.size(); ++r) {
        EXPECT_EQ(unknownRows[r].at(1), "unknown");
        EXPECT_EQ(unknownRows[r].at(4), "nan");
        EXPECT_EQ(unknownRows[r].at(6), hereRows[2 * r - 1].at(6))
            << "identity's PSNR of " << unknownRows[r].at(2);
    }
    // What cannot be scored so fails before any table: a method that needs the smoother, two smoothers, a
    // photo without its input, an input of another size.
    run = runProgram(eval + " --methods model+known --smoothed " + given.string());
    EXPECT_EQ(run.code, 2);
    EXPECT_NE(run.output.find("needs the smoother that made --smoothed's inputs"), std::string::npos)
        << run.output;
    run = runProgram(eval + " --methods identity --smoothed " + given.string() +
                     " --smoother l0 --smoother " + spec);
    EXPECT_EQ(run.code, 2);
    fs::copy_file(photo("john.jpg"), photos / "john.jpg");
    run = runProgram(eval + " --methods identity --smoothed " + given.string());
    EXPECT_EQ(run.code, 1);
    EXPECT_NE(run.output.find("no smoothed input for the photo 'john.jpg'"), std::string::npos) << run.output;
    EXPECT_EQ(run.output.find("###"), std::string::npos) << run.output;
    fs::remove(photos / "john.jpg");
    ASSERT_TRUE(cv::imwrite((given / "cat.bmp").string(), cv::imread((given / "cat.png").string())));
    run = runProgram(eval + " --methods identity --smoothed " + given.string());
    EXPECT_EQ(run.code, 1);
    EXPECT_NE(run.output.find("could pair with the photo 'cat.jpg'"), std::string::npos) << run.output;
    fs::remove(given / "cat.bmp");
    // Sizes are compared as read: an input smoothed at twice the photo's size is refused even where
    // --max-side would downscale both to one size.
    const cv::Mat cat = cv::imread(photo("cat.jpg"));
    cv::Mat twice;
    cv::resize(cv::imread((given / "cat.png").string()), twice, cat.size() * 2, 0, 0, cv::INTER_CUBIC);
    ASSERT_TRUE(cv::imwrite((given / "cat.png").string(), twice));
    run = runProgram(eval + " --methods identity --smoothed " + given.string() + " --max-side " +
                     std::to_string(std::max(cat.cols, cat.rows)));
    EXPECT_EQ(run.code, 1);
    EXPECT_NE(run.output.find(cv::format("cat.png' is %dx%d, its photo", twice.cols, twice.rows)),
              std::string::npos)
        << run.output;
    cv::imwrite((given / "cat.png").string(), cv::Mat(20, 30, CV_8UC3, cv::Scalar::all(90)));
    run = runProgram(eval + " --methods identity --smoothed " + given.string());
    EXPECT_EQ(run.code, 1);
    EXPECT_NE(run.output.find("cat.png' is 30x20, its photo"), std::string::npos) << run.output;
}

#ifdef CLASSIFIER_TOOL
TEST_F(Desmooth_Tools, smoother_classifier_trainer_writes_a_classifier_the_library_reads)
{
    // Three photos train, one (john.jpg) is held out by the split file and must not be read.
    const fs::path split = work_ / "split.txt";
    std::ofstream(split) << "# held out\njohn.jpg\n";
    const std::string out = (work_ / "classifier.yml.gz").string();
    const Result run =
        runProgram(std::string(CLASSIFIER_TOOL) + " --data " + DESMOOTH_DATA_DIR + "/photos --split-file " +
                   split.string() + " --draws 4 --folds 2 --out " + out);
    ASSERT_EQ(run.code, 0) << run.output;
    EXPECT_NE(run.output.find("12 inputs from 3 photos"), std::string::npos) << run.output;
    // C and gamma chosen by cross-validation over the photos (2 folds here).
    EXPECT_NE(run.output.find("2-fold cross-validation (folds split by photo)"), std::string::npos)
        << run.output;
    cv::Mat smoothed;
    cv::desmooth::Smoother::create("l0:lambda=0.02")->apply(cv::imread(photo("john.jpg")), smoothed);
    const cv::String picked = cv::desmooth::classifySmoother(smoothed, out);
    const std::vector<cv::String> candidates = cv::desmooth::defaultSmootherCandidates();
    EXPECT_NE(std::find(candidates.begin(), candidates.end(), picked), candidates.end()) << picked;
    // The same flags write the same classifier.
    const std::string again = (work_ / "again.yml.gz").string();
    ASSERT_EQ(runProgram(std::string(CLASSIFIER_TOOL) + " --data " + DESMOOTH_DATA_DIR +
                         "/photos --split-file " + split.string() + " --draws 4 --folds 2 --out " + again)
                  .code,
              0);
    std::ifstream first(out, std::ios::binary), second(again, std::ios::binary);
    const std::string a((std::istreambuf_iterator<char>(first)), {}),
        b((std::istreambuf_iterator<char>(second)), {});
    EXPECT_EQ(a, b);
    // Every input smoothed by a kind that is no candidate's is labelled "none"; one class makes no
    // classifier.
    const Result others = runProgram(
        std::string(CLASSIFIER_TOOL) + " --data " + DESMOOTH_DATA_DIR + "/photos --split-file " +
        split.string() + " --draws 4 --folds 1 --other-share 1 --max-long-side 256 --out " + again);
    EXPECT_EQ(others.code, 1) << others.output;
    EXPECT_NE(others.output.find("\n  none 12\n"), std::string::npos) << others.output;
    EXPECT_NE(others.output.find("\n  l0:lambda=0.02 0\n"), std::string::npos) << others.output;
    EXPECT_NE(others.output.find("every input is of one class"), std::string::npos) << others.output;
    // Bad arguments: a usage error; no photos: a clear failure.
    EXPECT_EQ(runProgram(std::string(CLASSIFIER_TOOL) + " --data /nonexistent --draws 0 --out " + out).code,
              2);
    EXPECT_EQ(
        runProgram(std::string(CLASSIFIER_TOOL) + " --data /nonexistent --other-share 2 --out " + out).code,
        2);
    EXPECT_EQ(runProgram(std::string(CLASSIFIER_TOOL) + " --data /nonexistent --out " + out).code, 1);
}
#endif

TEST_F(Desmooth_Tools, webcam_sample_turns_a_30_frame_video_into_30_side_by_side_frames_headless)
{
    const std::string input = (work_ / "input.avi").string(), output = (work_ / "output.avi").string();
    Result run = runProgram(std::string(MAKE_TEST_VIDEO) + " --photo " + photo("path.jpg") + " --out " +
                            input + " --frames 30 --width 160 --height 96");
    ASSERT_EQ(run.code, 0) << run.output;
    // L0-smoothed first, and the lighter setting (recovered at half the size, shown at the full size).
    const std::pair<const char*, const char*> settings[] = {
        {" --smooth-first", "PSNR to the frames: L0-smoothed"},
        {" --scale=0.5", "recovered at 0.5 of the size"}};
    for (const auto& setting : settings) {
        run = runProgram(std::string(WEBCAM_SAMPLE) + " --video=" + input + " --model=" + model_ +
                         setting.first + " --no-window --output=" + output);
        ASSERT_EQ(run.code, 0) << run.output;
        EXPECT_NE(run.output.find("fps"), std::string::npos) << run.output;
        EXPECT_NE(run.output.find(setting.second), std::string::npos) << run.output;
        run = runProgram(std::string(MAKE_TEST_VIDEO) + " --probe " + output);
        ASSERT_EQ(run.code, 0) << run.output;
        EXPECT_NE(run.output.find("frames 30 size 320x96"), std::string::npos) << setting.first << run.output;
    }
}

TEST_F(Desmooth_Tools, webcam_sample_fails_clearly_without_a_source)
{
    Result run =
        runProgram(std::string(WEBCAM_SAMPLE) + " --video=/nonexistent.avi --no-window --model=" + model_);
    EXPECT_EQ(run.code, 1);
    EXPECT_NE(run.output.find("cannot read the video file"), std::string::npos) << run.output;
    run = runProgram(std::string(WEBCAM_SAMPLE) + " --camera=99 --no-window --model=" + model_);
    EXPECT_EQ(run.code, 1);
    EXPECT_NE(run.output.find("cannot open camera 99"), std::string::npos) << run.output;
    run = runProgram(std::string(WEBCAM_SAMPLE) + " --camera=1 --video=/nonexistent.avi --no-window");
    EXPECT_EQ(run.code, 2);
    EXPECT_NE(run.output.find("give --camera or --video, not both"), std::string::npos) << run.output;
    run = runProgram(std::string(WEBCAM_SAMPLE) + " --video=/nonexistent.avi --no-window --strength=2");
    EXPECT_EQ(run.code, 2);
    EXPECT_NE(run.output.find("--strength must be in [0, 1]"), std::string::npos) << run.output;
    for (const char* scale : {"0", "1.5", "-1"}) {
        run =
            runProgram(std::string(WEBCAM_SAMPLE) + " --video=/nonexistent.avi --no-window --scale=" + scale);
        EXPECT_EQ(run.code, 2) << scale;
        EXPECT_NE(run.output.find("--scale must be in (0, 1]"), std::string::npos) << run.output;
    }
    // The output video may not be the one it reads: the user's video stays as it was.
    const fs::path video = work_ / "own_video.avi";
    std::ofstream(video) << "frames";
    run = runProgram(std::string(WEBCAM_SAMPLE) + " --video=" + video.string() +
                     " --no-window --output=" + (work_ / "." / "own_video.avi").string());
    EXPECT_EQ(run.code, 2);
    EXPECT_NE(run.output.find("--output is the --video itself"), std::string::npos) << run.output;
    std::ifstream in(video);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "frames");
}

} // namespace
} // namespace opencv_test
