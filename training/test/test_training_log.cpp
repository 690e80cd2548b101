// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "training_log.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace opencv_test {
namespace {

namespace fs = std::filesystem;
using cv::desmooth::training::openTrainingLog;

std::string readAll(const fs::path& path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

class Desmooth_TrainingLog : public ::testing::Test
{
protected:
    fs::path folder_ = fs::temp_directory_path() / ("desmooth_training_log_" + std::to_string(getpid()));
    fs::path log_ = folder_ / "log.csv";
    void SetUp() override { fs::create_directories(folder_); }
    void TearDown() override { fs::remove_all(folder_); }
    void write(const std::string& text) { std::ofstream(log_) << text; }
};

TEST_F(Desmooth_TrainingLog, a_new_run_starts_with_the_header_and_a_resumed_one_appends)
{
    write("stale\n");
    openTrainingLog(log_, "a,b,c", false) << "1,2,3\n";
    EXPECT_EQ(readAll(log_), "a,b,c\n1,2,3\n");
    openTrainingLog(log_, "a,b,c", true) << "4,5,6\n";
    EXPECT_EQ(readAll(log_), "a,b,c\n1,2,3\n4,5,6\n");
    fs::remove(log_); // resumed without a log (a folder copied without it): a fresh header
    openTrainingLog(log_, "a,b,c", true) << "7,8,9\n";
    EXPECT_EQ(readAll(log_), "a,b,c\n7,8,9\n");
}

TEST_F(Desmooth_TrainingLog, a_log_with_fewer_columns_is_rewritten_under_the_new_header_and_keeps_its_rows)
{
    write("a,b\n1,2\n3,4\n");
    openTrainingLog(log_, "a,b,c,d", true) << "5,6,7,8\n";
    EXPECT_EQ(readAll(log_), "a,b,c,d\n1,2,,\n3,4,,\n5,6,7,8\n");
}

TEST_F(Desmooth_TrainingLog, a_log_with_other_columns_is_refused_and_left_as_it_was)
{
    write("x,y\n1,2\n");
    EXPECT_THROW(openTrainingLog(log_, "a,b,c", true), std::runtime_error);
    EXPECT_EQ(readAll(log_), "x,y\n1,2\n");
    write("a,bb\n1,2\n"); // "a,b" is its prefix only as text, not column by column
    EXPECT_THROW(openTrainingLog(log_, "a,b,c", true), std::runtime_error);
}

} // namespace
} // namespace opencv_test
