// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// desmooth_train as a data-parallel run of several processes on loopback: equivalence with one process, a
// lost rank, bad launch variables. Each case starts real processes and bounds every wait.

#include "checkpoint.hpp"

#include <opencv2/desmooth.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <csignal>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

extern char** environ;

namespace opencv_test {
namespace {

namespace fs = std::filesystem;
using namespace cv::desmooth::training;

struct Child
{
    pid_t pid = -1;
    std::string log; //!< stdout and stderr
};

// A port no one listens on now (the kernel's choice for a socket bound to port 0).
int freePort()
{
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    socklen_t length = sizeof(address);
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    close(fd);
    return ntohs(address.sin_port);
}

// desmooth_train with `args`, its environment without the launch variables plus `variables`.
Child launch(const std::vector<std::string>& args, const std::map<std::string, std::string>& variables,
             const std::string& log)
{
    std::vector<std::string> environment;
    for (char** entry = environ; *entry; ++entry) {
        const std::string text = *entry, name = text.substr(0, text.find('='));
        if (name != "RANK" && name != "WORLD_SIZE" && name != "LOCAL_RANK" && name != "MASTER_ADDR" &&
            name != "MASTER_PORT" && name != "LOCAL_WORLD_SIZE")
            environment.push_back(text);
    }
    for (const auto& variable : variables)
        environment.push_back(variable.first + "=" + variable.second);
    std::vector<std::string> argv{DESMOOTH_TRAIN};
    argv.insert(argv.end(), args.begin(), args.end());
    Child child;
    child.log = log;
    child.pid = fork();
    if (child.pid == 0) {
        const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fd, 1);
        dup2(fd, 2);
        std::vector<char*> argp, envp;
        for (std::string& a : argv)
            argp.push_back(a.data());
        argp.push_back(nullptr);
        for (std::string& e : environment)
            envp.push_back(e.data());
        envp.push_back(nullptr);
        execve(argp[0], argp.data(), envp.data());
        _exit(127);
    }
    return child;
}

// The exit code, or -1 (after killing it) when the child runs past `seconds`.
int waitFor(const Child& child, double seconds)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (waitpid(child.pid, &status, WNOHANG) == child.pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    kill(child.pid, SIGKILL);
    waitpid(child.pid, nullptr, 0);
    return -1;
}

std::string readText(const std::string& path)
{
    std::ifstream file(path);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

fs::path scratchRoot()
{
    return fs::temp_directory_path() / ("desmooth_test_distributed_" + std::to_string(getpid()));
}

std::string scratch(const std::string& name)
{
    const fs::path folder = scratchRoot() / name;
    fs::remove_all(folder);
    fs::create_directories(folder);
    return folder.string();
}

// The runs' folders go when the program ends (a failing case's stay until then for its messages).
struct RemoveScratch : ::testing::Environment
{
    void TearDown() override { fs::remove_all(scratchRoot()); }
};
const auto* const removeScratch = ::testing::AddGlobalTestEnvironment(new RemoveScratch);

// Waits until the run's log.csv has `lines` lines (header included) and a checkpoint exists.
bool waitForProgress(const std::string& run, size_t lines, double seconds)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
        std::istringstream log(readText(run + "/log.csv"));
        std::string line;
        size_t count = 0;
        while (std::getline(log, line))
            ++count;
        if (count >= lines && fs::exists(run + "/checkpoint.pt")) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

// A short lite run on the committed photos; every output at the last iteration only.
std::vector<std::string> runArguments(const std::string& out, int iterations,
                                      const std::vector<std::string>& extra)
{
    std::vector<std::string> args{"--data",
                                  std::string(DESMOOTH_DATA_DIR) + "/photos",
                                  "--out",
                                  out,
                                  "--iters",
                                  std::to_string(iterations),
                                  "--crop",
                                  "128",
                                  "--threads",
                                  "1",
                                  "--val-fraction",
                                  "0.25",
                                  "--sample-every",
                                  "1000",
                                  "--validate-every",
                                  "1000"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

std::map<std::string, std::string> rankVariables(int rank, int worldSize, int port)
{
    return {{"RANK", std::to_string(rank)},
            {"WORLD_SIZE", std::to_string(worldSize)},
            {"LOCAL_RANK", std::to_string(rank)},
            {"MASTER_ADDR", "127.0.0.1"},
            {"MASTER_PORT", std::to_string(port)}};
}

// Two ranks of one run on a fresh port, logging to RUN/LABEL0.log and RUN/LABEL1.log.
std::vector<Child> launchTwoRanks(const std::string& run, int iterations,
                                  const std::vector<std::string>& extra, const std::string& label = "rank")
{
    const int port = freePort();
    std::vector<Child> ranks;
    for (int rank = 0; rank < 2; ++rank)
        ranks.push_back(launch(runArguments(run, iterations, extra), rankVariables(rank, 2, port),
                               run + "/" + label + std::to_string(rank) + ".log"));
    return ranks;
}

// The largest difference between two checkpoints' parameters (G and D).
double parameterDifference(const std::string& a, const std::string& b)
{
    torch::manual_seed(0);
    const cv::desmooth::ModelConfig config = cv::desmooth::ModelConfig::lite();
    GanStep first(Generator(config), Discriminator(config.ndf));
    GanStep second(Generator(config), Discriminator(config.ndf));
    std::mt19937_64 rng;
    loadCheckpoint(a, first, rng);
    loadCheckpoint(b, second, rng);
    double largest = 0;
    const auto compare = [&](torch::nn::Module& x, torch::nn::Module& y) {
        const std::vector<torch::Tensor> p = x.parameters(), q = y.parameters();
        EXPECT_EQ(p.size(), q.size());
        for (size_t i = 0; i < std::min(p.size(), q.size()); ++i)
            largest = std::max(largest, (p[i] - q[i]).abs().max().item<double>());
    };
    compare(*first.generator, *second.generator);
    compare(*first.discriminator, *second.discriminator);
    return largest;
}

TEST(Desmooth_DataParallel, two_ranks_train_as_one_process_on_their_crops_together)
{
    const int steps = 3;
    const std::string parallelRun = scratch("two_ranks"), singleRun = scratch("one_process");
    const std::vector<Child> ranks =
        launchTwoRanks(parallelRun, steps, {"--batch", "1", "--dist-timeout", "60"});
    const Child single = launch(runArguments(singleRun, steps, {"--batch", "1", "--micro-batches", "2"}), {},
                                singleRun + "/log.txt");
    for (const Child& rank : ranks)
        ASSERT_EQ(waitFor(rank, 150), 0) << readText(rank.log);
    ASSERT_EQ(waitFor(single, 150), 0) << readText(single.log);

    // The ranks checked their weights against each other, bit for bit; rank 0 alone wrote the run's files.
    EXPECT_NE(readText(ranks[0].log).find("weights identical on all 2 ranks"), std::string::npos)
        << readText(ranks[0].log);
    EXPECT_EQ(readText(ranks[1].log).find("model written"), std::string::npos) << readText(ranks[1].log);
    // The union of the ranks' crops in one process (two micro-batches) gives the same weights.
    const double difference =
        parameterDifference(parallelRun + "/checkpoint.pt", singleRun + "/checkpoint.pt");
    std::cout << "largest parameter difference, 2 ranks against 1 process with 2 micro-batches: "
              << difference << "\n";
    EXPECT_LE(difference, 1e-5);
    // And the crops were really split: one process on one rank's crops alone ends elsewhere.
    const std::string halfRun = scratch("half");
    const Child half = launch(runArguments(halfRun, steps, {"--batch", "1"}), {}, halfRun + "/log.txt");
    ASSERT_EQ(waitFor(half, 150), 0) << readText(half.log);
    EXPECT_GT(parameterDifference(parallelRun + "/checkpoint.pt", halfRun + "/checkpoint.pt"), 1e-4);
}

TEST(Desmooth_DataParallel, lost_rank_stops_the_others_and_the_run_resumes)
{
    const std::string run = scratch("lost_rank");
    const std::vector<std::string> extra{"--batch", "1", "--checkpoint-every", "2", "--dist-timeout", "20"};
    const std::vector<Child> ranks = launchTwoRanks(run, 1000, extra);
    // Wait for a checkpoint and a few more steps, then kill rank 1 without warning.
    ASSERT_TRUE(waitForProgress(run, 6, 90)) << readText(ranks[0].log);
    kill(ranks[1].pid, SIGKILL);
    waitFor(ranks[1], 5);
    const auto killed = std::chrono::steady_clock::now();
    const int code = waitFor(ranks[0], 40);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - killed).count();
    EXPECT_NE(code, 0);
    EXPECT_NE(code, -1) << "rank 0 did not stop within 40 s";
    EXPECT_LE(seconds, 30.0);
    const std::string message = readText(ranks[0].log);
    EXPECT_NE(message.find("lost rank 1"), std::string::npos) << message;

    // The last checkpoint is whole: both ranks resume from it and finish the run.
    torch::manual_seed(0);
    const cv::desmooth::ModelConfig config = cv::desmooth::ModelConfig::lite();
    GanStep probe(Generator(config), Discriminator(config.ndf));
    std::mt19937_64 rng;
    const int64_t reached = loadCheckpoint(run + "/checkpoint.pt", probe, rng).iteration;
    ASSERT_GE(reached, 2);
    const std::vector<Child> resumed =
        launchTwoRanks(run, int(reached) + 2, {"--batch", "1", "--resume"}, "resume");
    for (const Child& rank : resumed)
        ASSERT_EQ(waitFor(rank, 150), 0) << readText(rank.log);
    EXPECT_NE(readText(resumed[0].log).find("resumed at iteration " + std::to_string(reached)),
              std::string::npos);
    const cv::Ptr<cv::desmooth::DeSmoother> model = cv::desmooth::DeSmoother::create(run + "/model.yml.gz");
    EXPECT_EQ(model->getConfig().depth, config.depth);
}

TEST(Desmooth_DataParallel, hung_rank_stops_the_others_within_the_timeout)
{
    const std::string run = scratch("hung_rank");
    const std::vector<std::string> extra{"--batch", "1", "--checkpoint-every", "2", "--dist-timeout", "5"};
    const std::vector<Child> ranks = launchTwoRanks(run, 1000, extra);
    ASSERT_TRUE(waitForProgress(run, 4, 90)) << readText(ranks[0].log);
    kill(ranks[1].pid, SIGSTOP); // alive, holding its sockets open, but answering nothing
    const auto stopped = std::chrono::steady_clock::now();
    const int code = waitFor(ranks[0], 40);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - stopped).count();
    kill(ranks[1].pid, SIGKILL);
    waitFor(ranks[1], 5);
    EXPECT_NE(code, 0);
    EXPECT_NE(code, -1) << "rank 0 did not stop within 40 s";
    EXPECT_LE(seconds, 5 + 5 + 10.0) << "the timeout (5 s), the roll call (5 s), and a margin";
    EXPECT_NE(readText(ranks[0].log).find("lost rank 1"), std::string::npos) << readText(ranks[0].log);
}

TEST(Desmooth_DataParallel, bad_launch_variables_are_clear_errors)
{
    const std::string run = scratch("bad");
    // A rank outside the world.
    Child outside = launch(runArguments(run, 1, {}), rankVariables(2, 2, freePort()), run + "/outside.log");
    EXPECT_EQ(waitFor(outside, 30), 2);
    EXPECT_NE(readText(outside.log).find("RANK=2: it must be in 0..1 for WORLD_SIZE=2"), std::string::npos)
        << readText(outside.log);
    // Not a number.
    std::map<std::string, std::string> garbled = rankVariables(0, 2, freePort());
    garbled["WORLD_SIZE"] = "two";
    Child notNumber = launch(runArguments(run, 1, {}), garbled, run + "/garbled.log");
    EXPECT_EQ(waitFor(notNumber, 30), 2);
    EXPECT_NE(readText(notNumber.log).find("WORLD_SIZE='two' is not an integer"), std::string::npos);
    // Rank 1 with no rank 0 to host the store: it says so within the timeout.
    const auto start = std::chrono::steady_clock::now();
    Child alone = launch(runArguments(run, 1, {"--dist-timeout", "3"}), rankVariables(1, 2, freePort()),
                         run + "/alone.log");
    const int code = waitFor(alone, 60);
    EXPECT_NE(code, 0);
    EXPECT_NE(code, -1);
    EXPECT_LE(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 40.0);
    EXPECT_NE(readText(alone.log).find("rank 1: cannot reach the store at 127.0.0.1"), std::string::npos)
        << readText(alone.log);
}

} // namespace
} // namespace opencv_test
