// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// Benchmark of the trainer, in one run on this machine:
//  1. training iterations per second (lite, crop 128, batch 4, all cores) and where the time goes;
//  2. inference: the module's recover() against LibTorch's forward of the same exported weights, same
//  threads;
//  3. full attention in training: the fused rank-one attention against the explicit softmax matrix, and a
//  restore generator step with and without full attention.
//   desmooth_bench_training [--data DIR] [--iters N] [--threads N]

#include "command_line.hpp"
#include "export_model.hpp"
#include "gan_step.hpp"
#include "losses.hpp"
#include "photo_dataset.hpp"
#include "rank_one_attention.hpp"

#include <opencv2/desmooth.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <dlfcn.h>
#include <thread>

using namespace cv::desmooth::training;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    namespace po = boost::program_options;
    std::string data = std::string(DESMOOTH_DATA_DIR) + "/photos";
    int iterations = 20, threads = int(std::thread::hardware_concurrency());
    po::options_description commandLine(
        "desmooth_bench_training: a training step's phases, and recover() against "
        "LibTorch's forward");
    po::options_description_easy_init add = commandLine.add_options();
    add("help,h", "show this help");
    add("data", po::value(&data)->default_value(data), "folder of photos to cut crops from");
    add("iters", po::value(&iterations)->default_value(iterations), "timed iterations (median; >= 3)");
    add("threads", po::value(&threads)->default_value(threads), "LibTorch and OpenCV threads");
    const auto code = cv::desmooth::apps::parseCommandLine(
        argc, argv, "desmooth_bench_training", commandLine, [&](const po::variables_map&) {
            if (iterations < 3 || threads < 1) throw po::error("--iters must be >= 3 and --threads >= 1");
        });
    if (code) return *code;
    using SetThreads = void (*)(int);
    if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(1);
    torch::set_num_threads(threads);
    cv::setNumThreads(threads);
    cv::desmooth::setL0FFTWPlanning(cv::desmooth::L0_FFTW_ESTIMATE);

    // 1. Training: the same phases GanStep runs, timed one by one.
    DatasetOptions options;
    options.validationFraction = 0;
    const PhotoDataset photos(data, options);
    torch::manual_seed(1);
    GanStep trainer(Generator(cv::desmooth::ModelConfig::lite()), Discriminator(32));
    std::mt19937_64 rng(1);
    std::vector<double> dataMs, forwardMs, discriminatorMs, generatorMs, totalMs;
    for (int i = 0; i < iterations + 2; ++i) {
        const auto start = Clock::now();
        auto batch = photos.sampleBatch(4, 128, rng);
        const double tData = since(start);
        auto t = Clock::now();
        const torch::Tensor recovered = trainer.generator->forward(batch.first);
        const double tForward = since(t);
        t = Clock::now();
        trainer.discriminatorOptimiser.zero_grad();
        (0.5 * (adversarialLoss(trainer.discriminator->forward(batch.first, batch.second), true) +
                adversarialLoss(trainer.discriminator->forward(batch.first, recovered.detach()), false)))
            .backward();
        trainer.discriminatorOptimiser.step();
        const double tDiscriminator = since(t);
        t = Clock::now();
        trainer.generatorOptimiser.zero_grad();
        (adversarialLoss(trainer.discriminator->forward(batch.first, recovered), true) +
         100 * pixelLoss(recovered, batch.second))
            .backward();
        trainer.generatorOptimiser.step();
        const double tGenerator = since(t);
        if (i < 2) continue; // warm-up
        dataMs.push_back(tData);
        forwardMs.push_back(tForward);
        discriminatorMs.push_back(tDiscriminator);
        generatorMs.push_back(tGenerator);
        totalMs.push_back(since(start));
    }
    const double total = median(totalMs);
    std::printf("Training, lite, crop 128, batch 4, %d threads, median of %d iterations: %.0f ms/iteration = "
                "%.2f it/s\n",
                threads, iterations, total, 1000 / total);
    std::printf("| phase | ms | share |\n|---|---:|---:|\n");
    const std::pair<const char*, double> phases[] = {
        {"data (crop, flip, to tensor)", median(dataMs)},
        {"G forward", median(forwardMs)},
        {"D step (real + fake, backward, Adam)", median(discriminatorMs)},
        {"G step (D on fake, adversarial + 100 L1, backward, Adam)", median(generatorMs)}};
    for (const auto& phase : phases)
        std::printf("| %s | %.0f | %.0f%% |\n", phase.first, phase.second, 100 * phase.second / total);

    // 2. Inference: the exported weights in LibTorch and through the module, same input, same threads.
    const std::string path = "/tmp/desmooth_bench_training.yml.gz";
    Generator generator = trainer.generator;
    const double agreement = exportAndVerify(generator, {}, path);
    generator->eval();
    cv::Ptr<cv::desmooth::DeSmoother> desmoother = cv::desmooth::DeSmoother::create(path);
    std::printf("\nInference, lite (exported weights; module and LibTorch agree within %.1e), %d threads, "
                "median of 5\n",
                agreement, threads);
    std::printf("| image | LibTorch forward ms | recover() ms | ratio |\n|---|---:|---:|---:|\n");
    for (const cv::Size size : {cv::Size(512, 512), cv::Size(640, 480)}) {
        const int multiple = 1 << 7;
        const int paddedRows = (size.height + multiple - 1) / multiple * multiple;
        const int paddedCols = (size.width + multiple - 1) / multiple * multiple;
        cv::Mat image;
        cv::resize(photos.training()[0].photo, image, size);
        const torch::Tensor input = torch::rand({1, 3, paddedRows, paddedCols}) * 2 - 1;
        std::vector<double> torchMs, moduleMs;
        for (int r = 0; r < 6; ++r) {
            auto t = Clock::now();
            {
                torch::NoGradGuard noGrad;
                generator->forward(input);
            }
            if (r) torchMs.push_back(since(t));
            t = Clock::now();
            cv::Mat out;
            desmoother->recover(image, out);
            if (r) moduleMs.push_back(since(t));
        }
        std::printf("| %dx%d (padded %dx%d) | %.0f | %.0f | %.2fx |\n", size.width, size.height, paddedCols,
                    paddedRows, median(torchMs), median(moduleMs), median(moduleMs) / median(torchMs));
    }

    // 3. Full attention in training, at the restore generator's coarsest level on 128-pixel crops, batch 8.
    const auto timeAttention = [&](bool fused) {
        torch::manual_seed(1);
        std::vector<double> ms;
        for (int r = 0; r < iterations + 1; ++r) {
            const torch::Tensor keys = torch::randn({8, 32 * 32}).requires_grad_();
            const torch::Tensor queries = torch::randn({8, 32 * 32}).requires_grad_();
            const torch::Tensor values = torch::randn({8, 32 * 32}).requires_grad_();
            const auto t = Clock::now();
            (fused ? rankOneAttention(keys, queries, values)
                   : rankOneAttentionExplicit(keys, queries, values))
                .sum()
                .backward();
            if (r) ms.push_back(since(t));
        }
        return median(ms);
    };
    const double fusedMs = timeAttention(true), explicitMs = timeAttention(false);
    std::printf(
        "\nFull attention in training (8 maps of 32x32: the restore generator's coarsest level on 128-pixel "
        "crops), forward + backward, %d threads, median of %d\n",
        threads, iterations);
    std::printf("| explicit softmax matrix ms | fused ms | explicit / fused |\n|---:|---:|---:|\n");
    std::printf("| %.1f | %.1f | %.1fx |\n", explicitMs, fusedMs, explicitMs / fusedMs);
    const auto timeRestoreStep = [&](bool fullAttention) {
        cv::desmooth::ModelConfig config = cv::desmooth::ModelConfig::restore();
        if (!fullAttention) config.fa = false;
        torch::manual_seed(1);
        Generator restore(config);
        torch::optim::Adam optimiser(restore->parameters(), torch::optim::AdamOptions(2e-4));
        std::vector<double> ms;
        for (int i = 0; i < iterations + 2; ++i) {
            const auto batch = photos.sampleBatch(8, 128, rng);
            const auto t = Clock::now();
            optimiser.zero_grad();
            pixelLoss(restore->forward(batch.first), batch.second).backward();
            optimiser.step();
            if (i >= 2) ms.push_back(since(t));
        }
        return median(ms);
    };
    const double withFA = timeRestoreStep(true), withoutFA = timeRestoreStep(false);
    std::printf(
        "\nA restore generator step (forward, L1, backward, Adam; batch 8, crop 128), %d threads, median "
        "of %d\n",
        threads, iterations);
    std::printf("| with full attention (fused) ms | without full attention ms | ratio |\n|---:|---:|---:|\n");
    std::printf("| %.0f | %.0f | %.2fx |\n", withFA, withoutFA, withFA / withoutFA);
    return 0;
}
