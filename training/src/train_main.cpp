// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// desmooth_train: trains the DeSmoothGAN generator and PatchGAN discriminator on a folder of photos and
// writes the model file the module loads. Run with --help for the options.

#include "checkpoint.hpp"
#include "distributed.hpp"
#include "export_model.hpp"
#include "held_out_curves.hpp"
#include "learning_rate_schedule.hpp"
#include "photo_dataset.hpp"
#include "random_smoother.hpp"
#include "training_log.hpp"

#include "command_line.hpp"
#include "config_overrides.hpp"

#include <opencv2/desmooth/l0_smooth.hpp>
#include <opencv2/desmooth/metrics.hpp>
#include <opencv2/desmooth/smoother.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <dlfcn.h>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace cv::desmooth::training;

namespace {

std::atomic<bool> stopRequested{false};

void requestStop(int)
{
    stopRequested = true;
}

// OpenBLAS starts its own threads on top of LibTorch's: on 2 cores that made a step 1.5-2x slower and noisy.
// openblas_set_num_threads is looked up at run time so that no link dependency on OpenBLAS is needed.
void pinOpenBlasToOneThread()
{
    using SetThreads = void (*)(int);
    if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(1);
}

// --strengths: "normal" (0), "wide" (1), or the share of crops at wide strengths, a number in [0, 1].
double wideShareOf(const std::string& strengths)
{
    if (strengths == "normal") return 0;
    if (strengths == "wide") return 1;
    const std::vector<double> share =
        cv::desmooth::apps::parseDoubleList(strengths, "strengths", 0, 1, "normal, wide or 0.5");
    if (share.size() != 1) throw po::error("--strengths takes one value: normal, wide or a share in [0, 1]");
    return share[0];
}

// How the crops' strengths read in the log and the model file: "" at normal strengths.
std::string strengthsNote(double wideShare)
{
    return wideShare <= 0   ? ""
           : wideShare >= 1 ? " at wide strengths"
                            : cv::format(" at wide strengths for a share %g", wideShare);
}

struct Options
{
    std::string data, out, config = "lite", device = "cpu", splitFile, vgg19, smoothers, initFrom,
                           initFromModel, lrSchedule = "linear", ganLoss = "bce", strengths = "normal";
    int64_t iterations = 20000, lrDecayFrom = 0;
    int batch = 4, crop = 128, threads = 0, sampleEvery = 500, checkpointEvery = 500, validateEvery = 1000;
    double learningRate = 2e-4, lossWeight = 100, l0Lambda = cv::desmooth::L0_DEFAULT_LAMBDA,
           l0Kappa = cv::desmooth::L0_DEFAULT_KAPPA, validationFraction = 0.1;
    double identityShare = 0, featureMatching = 0, detailEnergy = 0, frequency = 0, adversarialWeight = 1,
           adamBeta1 = 0.5;
    double ema = 0; // decay of G's weight average; 0: off
    int minLongSide = 0;
    int reverseInput = 0;
    double smoothImageShare = 0, jpegShare = 0;
    std::string jpegQuality = "60,95";
    std::pair<int, int> jpegQualityRange; // --jpeg-quality, parsed
    int microBatches = 1;
    bool noSft = false, noFa = false, residual = false, resume = false, batchNorm = false;
    uint64_t seed = 1;
    std::vector<std::string> validateSmoothers;    // empty: evaluationSmoothers()
    cv::desmooth::apps::ConfigOverrides overrides; // widths and depths of --config
    cv::desmooth::ModelConfig architecture;        // --config with the overrides, resolved once
    cv::desmooth::Model initModel;                 // --init-from-model's file, read once (when given)
    DistributedOptions distributed;                // from the environment in main(), then the flags
    double distributedTimeout = 300;
};

// Where the progress lines go: stdout on rank 0, nowhere on the other ranks (they would repeat them).
struct NullBuffer : std::streambuf
{
    int overflow(int c) override { return c; }
};

struct HeldOutScores
{
    double psnr = std::nan(""), ssim = std::nan("");
};

// The generator on the held-out photos' central crops: PSNR (peak 255, MSE pooled over all the crops' pixels
// and channels) and the mean of the module's SSIM (as docs/design.md pins it).
HeldOutScores heldOutScores(Generator& generator, const PhotoDataset& data, int crop,
                            const torch::Device& device)
{
    if (data.heldOut().empty()) return {};
    torch::NoGradGuard noGrad;
    generator->eval();
    double squared = 0, count = 0, ssimSum = 0;
    int images = 0;
    for (const PhotoPair& pair : data.heldOut()) {
        const int side = std::min({pair.photo.rows, pair.photo.cols, 2 * crop}) /
                         generator->config.sizeMultiple() * generator->config.sizeMultiple();
        if (side == 0) continue;
        const cv::Rect window((pair.photo.cols - side) / 2, (pair.photo.rows - side) / 2, side, side);
        const torch::Tensor input = imageToTensor(pair.smoothed(window)).unsqueeze(0).to(device);
        const cv::Mat recovered = tensorToImage(generator->forward(input)[0]);
        squared += cv::norm(recovered, pair.photo(window), cv::NORM_L2SQR);
        count += double(recovered.total()) * 3;
        ssimSum += cv::desmooth::ssim(pair.photo(window), recovered); // side >= 2^depth > the 11x11 window
        ++images;
    }
    generator->train();
    HeldOutScores scores;
    if (count > 0) scores.psnr = 10 * std::log10(255.0 * 255.0 / (squared / count));
    if (images > 0) scores.ssim = ssimSum / images;
    return scores;
}

// smoothed | recovered | photo, one row per sample.
void writeSampleGrid(const std::string& path, Generator& generator, const torch::Tensor& smoothed,
                     const torch::Tensor& photo)
{
    torch::NoGradGuard noGrad;
    generator->eval();
    const torch::Tensor recovered = generator->forward(smoothed);
    generator->train();
    std::vector<cv::Mat> rows;
    for (int64_t i = 0; i < std::min<int64_t>(smoothed.size(0), 4); ++i) {
        cv::Mat row;
        cv::hconcat(std::vector<cv::Mat>{tensorToImage(smoothed[i]), tensorToImage(recovered[i]),
                                         tensorToImage(photo[i])},
                    row);
        rows.push_back(row);
    }
    cv::Mat grid;
    cv::vconcat(rows, grid);
    cv::imwrite(path, grid);
}

// The losses so far, one coloured curve each, scaled to the plot.
void writeLossPlot(const std::string& path, const std::vector<std::array<double, 4>>& history)
{
    const int width = 800, height = 400, margin = 30;
    cv::Mat plot(height, width, CV_8UC3, cv::Scalar::all(255));
    if (history.size() >= 2) {
        const cv::Scalar colours[3] = {{200, 0, 0}, {0, 150, 0}, {0, 0, 220}};
        const char* names[3] = {"D", "G adversarial", "content x weight"};
        for (int curve = 0; curve < 3; ++curve) {
            double top = 1e-9;
            for (const auto& h : history)
                top = std::max(top, h[curve + 1]);
            const double last = history.back()[0];
            for (size_t i = 1; i < history.size(); ++i) {
                const auto point = [&](const std::array<double, 4>& h) {
                    return cv::Point(margin + int((width - 2 * margin) * h[0] / last),
                                     height - margin - int((height - 2 * margin) * h[curve + 1] / top));
                };
                cv::line(plot, point(history[i - 1]), point(history[i]), colours[curve], 1, cv::LINE_AA);
            }
            cv::putText(plot, cv::format("%s (max %.3g)", names[curve], top), {margin + 10, 20 + 18 * curve},
                        cv::FONT_HERSHEY_SIMPLEX, 0.5, colours[curve], 1, cv::LINE_AA);
        }
    }
    cv::imwrite(path, plot);
}

// LibTorch threads: all cores, shared among the ranks on this machine (torchrun's LOCAL_WORLD_SIZE).
int defaultThreads()
{
    const char* local = std::getenv("LOCAL_WORLD_SIZE");
    const int processes = local && std::atoi(local) > 0 ? std::atoi(local) : 1;
    return std::max(1, int(std::thread::hardware_concurrency()) / processes);
}

// The data set the options describe (its cache aside): desmooth_train's usage check validates the same.
DatasetOptions datasetOptions(const Options& o)
{
    DatasetOptions data;
    data.l0Lambda = o.l0Lambda;
    data.l0Kappa = o.l0Kappa;
    data.validationFraction = o.validationFraction;
    data.splitFile = o.splitFile;
    data.seed = o.seed;
    data.smootherKinds = o.smoothers.empty() ? std::vector<std::string>() : parseSmootherKinds(o.smoothers);
    data.identityShare = o.identityShare;
    data.wideShare = wideShareOf(o.strengths);
    data.minLongSide = o.minLongSide;
    data.reverseIterations = o.reverseInput;
    data.smoothImageShare = o.smoothImageShare;
    data.jpegShare = o.jpegShare;
    data.jpegQuality = o.jpegQualityRange;
    return data;
}

int run(const Options& o)
{
    pinOpenBlasToOneThread();
    torch::set_num_threads(o.threads > 0 ? o.threads : defaultThreads());
    DataParallel parallel(o.distributed, o.device); // rendezvous first: a rank that cannot join stops here
    const bool writer = parallel.isWriter();
    const int ranks = parallel.worldSize();
    NullBuffer nullBuffer;
    std::ostream quiet(&nullBuffer);
    std::ostream& say = writer ? std::cout : quiet;
    // Many photo sizes, each smoothed once: FFTW's measuring planner would spend seconds on every new size.
    cv::desmooth::setL0FFTWPlanning(cv::desmooth::L0_FFTW_ESTIMATE);
    if (o.device == "cuda" && !torch::cuda::is_available())
        throw std::runtime_error(
            "--device cuda, but LibTorch sees no CUDA device (Debian's libtorch is CPU-only)");
    const torch::Device device(o.device == "cuda" ? torch::kCUDA : torch::kCPU,
                               o.device == "cuda" ? o.distributed.localRank : -1);
    if (writer) fs::create_directories(o.out);

    cv::desmooth::ModelConfig config = o.architecture;
    config.sft = !o.noSft;
    config.fa = !o.noFa;
    config.residual = config.isRestore() || o.residual; // restore's output is always residual
    config.smootherLambda = o.l0Lambda;
    config.smootherKappa = o.l0Kappa;

    DatasetOptions dataOptions = datasetOptions(o);
    dataOptions.cacheDir = (fs::path(o.out) / "l0_cache").string();
    dataOptions.writeCache = writer;
    if (o.smoothers.empty())
        say << "loading photos from " << o.data << " (L0 lambda " << o.l0Lambda << ", kappa " << o.l0Kappa
            << ")\n";
    else
        say << "loading photos from " << o.data << " (a random smoother per crop: " << o.smoothers
            << strengthsNote(dataOptions.wideShare) << "; unsmoothed share " << o.identityShare
            << "; held out: L0 lambda " << o.l0Lambda << ")\n";
    const PhotoDataset data(o.data, dataOptions);
    say << data.training().size() << " training photos, " << data.heldOut().size() << " held out, "
        << data.skipped().size() << " skipped\n";
    // The per-smoother curves are measured on rank 0 only (the others never read them).
    const HeldOutCurves curves(writer ? data.heldOut() : std::vector<PhotoPair>(),
                               o.validateSmoothers.empty() ? evaluationSmoothers() : o.validateSmoothers,
                               2 * o.crop, config.sizeMultiple(), o.reverseInput);
    if (writer && o.reverseInput > 0) {
        say << "held-out inputs reverse-filtered " << o.reverseInput
            << " times (where the network starts), gain over the smoothed input:";
        for (const HeldOutPoint& point : curves.scoreInputs())
            say << cv::format(" %s %+.2f dB;", point.spec.c_str(), point.gain());
        say << "\n";
    }
    const std::string curvesPath = (fs::path(o.out) / "held_out_curves.csv").string();
    if (writer && !o.resume) fs::remove(curvesPath);
    if (writer) {
        std::ofstream heldOut(fs::path(o.out) / "held_out.txt");
        for (const PhotoPair& pair : data.heldOut())
            heldOut << pair.name << "\n";
    }

    torch::manual_seed(o.seed);
    GanStep trainer(Generator(config, o.batchNorm), Discriminator(config.ndf), o.lossWeight, o.learningRate,
                    o.adamBeta1);
    trainer.featureMatchingWeight = o.featureMatching;
    trainer.detailEnergyWeight = o.detailEnergy;
    trainer.frequencyWeight = o.frequency;
    trainer.adversarialWeight = o.adversarialWeight;
    trainer.ganLoss = parseGanLoss(o.ganLoss);
    trainer.generator->to(device);
    trainer.discriminator->to(device);
    int64_t generatorParameters = 0;
    for (const torch::Tensor& p : trainer.generator->parameters())
        generatorParameters += p.numel();
    say << "generator: " << o.config << (o.batchNorm ? " with BatchNorm" : "") << " ("
        << cv::desmooth::apps::ConfigOverrides::describe(config) << "; "
        << cv::format("%.3f", generatorParameters / 1e6) << " M parameters)\n";
    std::mt19937_64 rng(o.seed);
    const std::string checkpointPath = (fs::path(o.out) / "checkpoint.pt").string();
    // The crops of one step over all ranks: the sampler draws them all on every rank, each rank cuts its
    // share.
    const int cropsPerStep = o.batch * o.microBatches * ranks;
    int64_t iteration = 0;
    if (o.resume) {
        if (!fs::exists(checkpointPath))
            throw std::runtime_error(
                cv::format("rank %d: --resume: no checkpoint at %s (every rank reads the run "
                           "folder's checkpoint: share the folder or copy it)",
                           parallel.rank(), checkpointPath.c_str()));
        const Checkpoint checkpoint = loadCheckpoint(checkpointPath, trainer, rng);
        iteration = checkpoint.iteration;
        if (checkpoint.cropsPerStep > 0 && checkpoint.cropsPerStep != cropsPerStep)
            throw std::runtime_error(
                cv::format("--resume: the run took %d crops per step, this one would take %d (--batch %d x "
                           "--micro-batches %d x %d ranks): keep the product, e.g. halve --batch when "
                           "doubling the ranks",
                           checkpoint.cropsPerStep, cropsPerStep, o.batch, o.microBatches, ranks));
        say << "resumed at iteration " << iteration << "\n";
    } else if (!o.initFrom.empty()) {
        const bool averaged = loadWeights(o.initFrom, trainer);
        say << "weights of G" << (averaged ? " (its weight average)" : "") << " and D from " << o.initFrom
            << "\n";
    } else if (!o.initFromModel.empty()) {
        importModel(o.initModel, trainer.generator);
        const cv::desmooth::ModelConfig& start = o.initModel.config;
        say << "weights of G from " << o.initFromModel
            << (start.depth < config.depth ? " (grown by its new coarsest level, which starts switched off)"
                                           : "")
            << (start.fullResBlocks < config.fullResBlocks
                    ? cv::format(" (grown by %d full-resolution blocks, which start as the identity)",
                                 config.fullResBlocks - start.fullResBlocks)
                    : std::string())
            << "; D fresh\n";
    }
    // Every rank starts from rank 0's weights (and, on --resume, checks that it read the same checkpoint).
    parallel.broadcastFromWriter(*trainer.generator);
    parallel.broadcastFromWriter(*trainer.discriminator);
    // Every rank keeps the same average (its weights are the same); rank 0 checkpoints it.
    std::unique_ptr<WeightAverage> average;
    if (o.ema > 0) {
        average = std::make_unique<WeightAverage>(*trainer.generator, o.ema);
        if (o.resume && !loadWeightAverage(checkpointPath, *average))
            say << "the checkpoint has no weight average: it starts at the current weights\n";
        say << cv::format("weight average of G (decay %g): validation, samples and the model file use it\n",
                          o.ema);
    }
    if (ranks > 1)
        say << cv::format("data parallel: %d ranks x %d micro-batch(es) x %d crops = %d crops per step\n",
                          ranks, o.microBatches, o.batch, cropsPerStep);
    if (!o.vgg19.empty()) {
        trainer.perceptual = std::make_shared<VggPerceptualLoss>(o.vgg19);
        trainer.perceptual->to(device);
        say << "content loss: VGG-19 perceptual (" << o.vgg19 << ") x " << o.lossWeight << "\n";
    } else {
        say << "content loss: L1 x " << o.lossWeight
            << " (pix2pix's; pass --vgg19 FILE for the paper's perceptual loss)\n";
    }
    const std::string ganName = o.ganLoss == "bce" ? "BCE" : o.ganLoss;
    const std::string adversarialName =
        o.adversarialWeight == 0 ? std::string()
        : o.adversarialWeight == 1
            ? cv::format("adversarial (%s) + ", ganName.c_str())
            : cv::format("%g x adversarial (%s) + ", o.adversarialWeight, ganName.c_str());
    std::string lossName =
        o.vgg19.empty() ? cv::format("%s%g x L1", adversarialName.c_str(), o.lossWeight)
                        : cv::format("%s%g x VGG-19 perceptual", adversarialName.c_str(), o.lossWeight);
    if (o.featureMatching > 0) lossName += cv::format(" + %g x feature matching", o.featureMatching);
    if (o.detailEnergy > 0) lossName += cv::format(" + %g x detail energy", o.detailEnergy);
    if (o.frequency > 0) lossName += cv::format(" + %g x frequency", o.frequency);

    std::signal(SIGINT, requestStop);
    std::signal(SIGTERM, requestStop);
    std::ofstream log;
    if (writer) {
        log = openTrainingLog(fs::path(o.out) / "log.csv",
                              "iteration,d_loss,g_adversarial,content,heldout_psnr,heldout_ssim,seconds,"
                              "allreduce_seconds,allreduce_mb,detail_energy,frequency",
                              o.resume);
    }
    std::vector<std::array<double, 4>> history;

    // The next batch is cut on a background thread while the current step runs. Checkpoints store the
    // sampler's state from before that prefetch, so a resumed run draws exactly the batch the interrupted one
    // would have.
    const auto sample = [&] {
        return data.sampleBatch(cropsPerStep, o.crop, rng, parallel.rank() * o.batch * o.microBatches,
                                o.batch * o.microBatches);
    };
    const GradientReduction reduce = [&](torch::nn::Module& network) { parallel.sumGradients(network); };
    // BatchNorm's running statistics are per rank while training; whatever is evaluated or saved uses their
    // mean over the ranks (a collective: every rank takes part).
    const auto averageBatchNormStatistics = [&] {
        parallel.averageBuffers(*trainer.generator);
        parallel.averageBuffers(*trainer.discriminator);
    };
    std::mt19937_64 rngBeforeNext = rng;
    std::future<std::pair<torch::Tensor, torch::Tensor>> next = std::async(std::launch::async, sample);
    const auto start = std::chrono::steady_clock::now();
    const int64_t first = iteration;
    bool stopping = false;
    while (iteration < o.iterations && !stopping) {
        auto batch = next.get();
        rngBeforeNext = rng;
        trainer.setLearningRate(
            o.lrSchedule == "cosine"
                ? cosineLearningRate(o.learningRate, iteration, o.iterations)
                : scheduledLearningRate(o.learningRate, iteration, o.iterations, o.lrDecayFrom));
        next = std::async(std::launch::async, sample);
        std::vector<Batch> microBatches;
        const std::vector<torch::Tensor> smoothedParts = batch.first.to(device).split(o.batch),
                                         photoParts = batch.second.to(device).split(o.batch);
        for (size_t i = 0; i < smoothedParts.size(); ++i)
            microBatches.emplace_back(smoothedParts[i], photoParts[i]);
        StepLosses losses = trainer.step(microBatches, ranks, reduce);
        if (average) average->update(*trainer.generator, iteration);
        // The losses averaged over the ranks, and one stop request (a signal to any rank) stops them all at
        // the same iteration.
        torch::Tensor shared =
            torch::tensor({losses.discriminator, losses.adversarial, losses.content, losses.detailEnergy,
                           losses.frequency, stopRequested ? 1.0 : 0.0},
                          torch::kDouble);
        parallel.sum(shared);
        losses.discriminator = shared[0].item<double>() / ranks;
        losses.adversarial = shared[1].item<double>() / ranks;
        losses.content = shared[2].item<double>() / ranks;
        losses.detailEnergy = shared[3].item<double>() / ranks;
        losses.frequency = shared[4].item<double>() / ranks;
        stopping = shared[5].item<double>() > 0;
        const auto communication = parallel.takeCommunicationStats();
        ++iteration;
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double rate = double(iteration - first) / seconds;
        history.push_back(
            {double(iteration), losses.discriminator, losses.adversarial, o.lossWeight * losses.content});
        const bool validate = iteration % o.validateEvery == 0 || iteration == o.iterations;
        const bool writeSamples = iteration % o.sampleEvery == 0 || iteration == o.iterations;
        const bool writeCheckpoint = iteration % o.checkpointEvery == 0 || iteration == o.iterations;
        if (validate || writeSamples || writeCheckpoint) averageBatchNormStatistics();
        HeldOutScores scores;
        std::vector<HeldOutPoint> points;
        if (validate && writer) {
            const AverageInScope averaged(average.get(), *trainer.generator);
            scores = heldOutScores(trainer.generator, data, o.crop, device);
            if (!curves.empty()) {
                points = curves.score(trainer.generator, device);
                appendHeldOutPoints(curvesPath, iteration, points);
                plotHeldOutCurves(curvesPath, (fs::path(o.out) / "held_out_curves.png").string());
            }
        }
        // Flushed every line: a run killed at any moment keeps its log up to the last step.
        if (writer)
            log << iteration << "," << losses.discriminator << "," << losses.adversarial << ","
                << losses.content << "," << scores.psnr << "," << scores.ssim << "," << seconds << ","
                << communication.first << "," << double(communication.second) / (1 << 20) << ","
                << losses.detailEnergy << "," << losses.frequency << std::endl;
        if (iteration % 10 == 0 || iteration == o.iterations || iteration == first + 1) {
            say << cv::format(
                "iter %lld/%lld  D %.3f  G adv %.3f  content %.4f  %.2f it/s  ETA %s", (long long)iteration,
                (long long)o.iterations, losses.discriminator, losses.adversarial, losses.content, rate,
                cv::desmooth::apps::formatDuration(double(o.iterations - iteration) / rate).c_str());
            if (!std::isnan(scores.psnr))
                say << cv::format("  held-out PSNR %.2f dB SSIM %.4f", scores.psnr, scores.ssim);
            if (!points.empty())
                say << cv::format("  mean gain over %zu smoothers %+.2f dB", points.size(), meanGain(points));
            say << std::endl;
        }
        if (writeSamples && writer) {
            const AverageInScope averaged(average.get(), *trainer.generator);
            writeSampleGrid(
                (fs::path(o.out) / cv::format("sample_%07lld.png", (long long)iteration)).string(),
                trainer.generator, batch.first.to(device), batch.second.to(device));
            writeLossPlot((fs::path(o.out) / "losses.png").string(), history);
        }
        if (writeCheckpoint && writer)
            saveCheckpoint(checkpointPath, trainer, iteration, rngBeforeNext, cropsPerStep, average.get());
    }
    next.wait();
    if (stopping) {
        averageBatchNormStatistics();
        if (writer)
            saveCheckpoint(checkpointPath, trainer, iteration, rngBeforeNext, cropsPerStep, average.get());
        say << "stopped at iteration " << iteration << "; checkpoint written. Continue with --resume.\n";
        return 130;
    }
    if (ranks > 1) {
        // Data parallelism keeps the ranks' weights bit-identical; say so, or stop loudly if they drifted.
        const bool agree =
            parallel.parametersAgree(*trainer.generator) && parallel.parametersAgree(*trainer.discriminator);
        if (!agree) throw DistributedError(cv::format("rank %d: the ranks' weights differ", parallel.rank()));
        say << "weights identical on all " << ranks << " ranks\n";
    }
    if (!writer) return 0;

    if (average) average->swap(*trainer.generator); // the model file holds the average
    trainer.generator->to(torch::kCPU);
    const std::string modelPath = (fs::path(o.out) / "model.yml.gz").string();
    const double difference = exportAndVerify(
        trainer.generator,
        {{"loss", lossName},
         {"seed", std::to_string(o.seed)},
         {"iterations", std::to_string(iteration)},
         {"crop", std::to_string(o.crop)},
         {"batch", ranks * o.microBatches > 1 ? cv::format("%d (%d ranks x %d micro-batches x %d)",
                                                           cropsPerStep, ranks, o.microBatches, o.batch)
                                              : std::to_string(o.batch)},
         {"lr",
          o.lrSchedule == "cosine"
              ? cv::format("%g, cosine to 0 at iteration %lld", o.learningRate, (long long)o.iterations)
          : o.lrDecayFrom > 0 && o.lrDecayFrom < o.iterations
              ? cv::format("%g, linear to 0 from iteration %lld", o.learningRate, (long long)o.lrDecayFrom)
              : cv::format("%g", o.learningRate)},
         {"loss_weight", cv::format("%g", o.lossWeight)},
         {"smoothers",
          o.smoothers.empty()
              ? cv::format("l0:lambda=%g,kappa=%g", o.l0Lambda, o.l0Kappa)
              : cv::format("random per crop from %s%s (unsmoothed share %g)", o.smoothers.c_str(),
                           strengthsNote(dataOptions.wideShare).c_str(), o.identityShare)},
         {"scales", o.minLongSide > 0
                        ? cv::format("long side log-uniform from %d to the photo's", o.minLongSide)
                        : std::string("the photos' own")},
         {"reverse_input", std::to_string(o.reverseInput)},
         {"smooth_image_share", cv::format("%g", o.smoothImageShare)},
         {"jpeg_share", o.jpegShare > 0 ? cv::format("%g at quality %d..%d", o.jpegShare,
                                                     o.jpegQualityRange.first, o.jpegQualityRange.second)
                                        : std::string("0")},
         {"batch_norm", o.batchNorm ? "trained with BatchNorm, folded into the convolutions" : "off"},
         {"weight_average", o.ema > 0 ? cv::format("decay %g", o.ema) : std::string("off")},
         {"init_from", !o.initFrom.empty()        ? o.initFrom
                       : !o.initFromModel.empty() ? o.initFromModel + " (model file)"
                                                  : std::string("random")},
         {"data", o.data},
         {"held_out", std::to_string(data.heldOut().size()) + " files (" +
                          (o.splitFile.empty() ? "held_out.txt" : o.splitFile) + ")"}},
        modelPath);
    say << "model written to " << modelPath << " (module and LibTorch agree within "
        << cv::format("%.1e", difference) << ")\n";
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    Options o;
    try {
        o.distributed = DistributedOptions::fromEnvironment();
    } catch (const std::invalid_argument& e) {
        std::cerr << "desmooth_train: " << e.what() << "\n";
        return 2;
    }
    po::options_description options("desmooth_train: train DeSmoothGAN on a folder of photos");
    // One statement per option, so that each help text stays beside its option.
    po::options_description_easy_init add = options.add_options();
    add("help,h", "show this help");
    add("data", po::value(&o.data)->required(), "folder of photos, searched recursively");
    add("out", po::value(&o.out)->required(),
        "run folder: checkpoint, log.csv, samples, losses.png, model.yml.gz");
    add("config", po::value(&o.config)->default_value(o.config),
        "lite, paper (the paper's U-Net) or restore (norm-free, full resolution; docs/design.md)");
    add("iters", po::value(&o.iterations)->default_value(o.iterations),
        "iterations (0: export the initial model)");
    add("batch", po::value(&o.batch)->default_value(o.batch),
        "crops per micro-batch (per rank); a step takes batch x micro-batches x ranks crops");
    add("micro-batches", po::value(&o.microBatches)->default_value(o.microBatches),
        "micro-batches per step and rank, gradients accumulated (one process computes what that many ranks "
        "do)");
    add("crop", po::value(&o.crop)->default_value(o.crop), "crop side in pixels (a multiple of 2^depth)");
    add("lr", po::value(&o.learningRate)->default_value(o.learningRate),
        "Adam learning rate (betas 0.5, 0.999)");
    add("lr-decay-from", po::value(&o.lrDecayFrom)->default_value(o.lrDecayFrom),
        "iteration from which the rate falls linearly to 0 at --iters (pix2pix's schedule; 0: constant)");
    add("lr-schedule", po::value(&o.lrSchedule)->default_value(o.lrSchedule),
        "linear (constant, then --lr-decay-from's linear decay) or cosine (from --lr to 0 at --iters)");
    add("adam-beta1", po::value(&o.adamBeta1)->default_value(o.adamBeta1),
        "Adam's beta1 (pix2pix's 0.5; 0.9 for fidelity-only training)");
    add("loss-weight", po::value(&o.lossWeight)->default_value(o.lossWeight), "weight of the content loss");
    add("adversarial-weight", po::value(&o.adversarialWeight)->default_value(o.adversarialWeight),
        "weight of the adversarial loss (0: fidelity only, the discriminator is not trained)");
    add("l0-lambda", po::value(&o.l0Lambda)->default_value(o.l0Lambda), "L0 smoothing lambda of the inputs");
    add("l0-kappa", po::value(&o.l0Kappa)->default_value(o.l0Kappa), "L0 smoothing kappa of the inputs");
    add("smoothers", po::value(&o.smoothers),
        "make each pair with a random smoother of these kinds (l0, fgs, bilateral, guided, edge_preserving, "
        "gaussian, median, rolling_guidance, domain_transform; comma-separated) at a random strength; unset: "
        "L0 "
        "with --l0-lambda/--l0-kappa");
    add("identity-share", po::value(&o.identityShare)->default_value(o.identityShare),
        "with --smoothers: share of pairs whose input is the unsmoothed photo (learn to leave it alone)");
    add("strengths", po::value(&o.strengths)->default_value(o.strengths),
        "with --smoothers: normal or wide, the strength ranges of the smoothers drawn (wide: the heavy end "
        "of each about twice as far; docs/design.md lists both), or a number in [0, 1]: that share of the "
        "crops at wide strengths, the rest normal");
    add("min-long-side", po::value(&o.minLongSide)->default_value(o.minLongSide),
        "scale augmentation: downscale each photo to a random long side from this to its own (0: off)");
    add("reverse-input", po::value(&o.reverseInput)->default_value(o.reverseInput),
        "with --smoothers: the network's input is the smoothed crop reverse-filtered this many times with "
        "its "
        "smoother (a known-smoother experiment, docs/training.md; 0: the smoothed crop)");
    add("smooth-image-share", po::value(&o.smoothImageShare)->default_value(o.smoothImageShare),
        "with --smoothers: share of crops that are synthetic smooth images (colour planes and gentle fields, "
        "no texture) instead of photos, so the network learns to leave smooth areas alone (0: none)");
    add("jpeg-share", po::value(&o.jpegShare)->default_value(o.jpegShare),
        "with --smoothers: share of crops whose input is saved as JPEG after smoothing, as most images users "
        "have are; the target stays the photo (0: none)");
    add("jpeg-quality", po::value(&o.jpegQuality)->default_value(o.jpegQuality),
        "MIN,MAX: the JPEG quality of those crops, drawn uniformly from MIN..MAX");
    add("gan-loss", po::value(&o.ganLoss)->default_value(o.ganLoss),
        "the adversarial loss: bce (pix2pix's), hinge, or relativistic (ESRGAN's relativistic average)");
    add("feature-matching", po::value(&o.featureMatching)->default_value(o.featureMatching),
        "weight of pix2pixHD's feature-matching loss on D's features (0: off)");
    add("detail-energy", po::value(&o.detailEnergy)->default_value(o.detailEnergy),
        "weight of the detail-energy loss: the photo's amount of fine detail per 8x8 tile, wherever it lies "
        "(the detail end's texture term; 0: off)");
    add("frequency-weight", po::value(&o.frequency)->default_value(o.frequency),
        "weight of the frequency loss beside the content loss: mean |re| + |im| of the orthonormal "
        "2-D FFT of recovered - photo, every frequency alike (0: off)");
    add("ema", po::value(&o.ema)->default_value(o.ema),
        "decay of an exponential moving average of G's weights that validation, samples and the model file "
        "use (0: off; 0.999 averages about the last 1000 steps)");
    add("init-from", po::value(&o.initFrom),
        "start G and D from this checkpoint's weights (fresh optimisers)");
    add("init-from-model", po::value(&o.initFromModel),
        "restore: start G from this model file's fidelity end (fresh D and optimisers): the same "
        "configuration, or one level shallower (--depth one more, --fa-levels one more where it has FA), "
        "whose levels become the finer ones while the new coarsest starts switched off, or with fewer "
        "--full-res-blocks, the new ones starting as the identity");
    o.overrides.addOptions(add);
    add("no-sft", po::bool_switch(&o.noSft), "without spatial feature-wise transformation");
    add("no-fa", po::bool_switch(&o.noFa), "without full attention");
    add("batch-norm", po::bool_switch(&o.batchNorm),
        "restore: BatchNorm after every convolution below full resolution (an ablation; folded into the "
        "convolutions at export)");
    add("residual", po::bool_switch(&o.residual),
        "residual output: input + tanh(x) (starts near the identity; not the paper's design)");
    add("resume", po::bool_switch(&o.resume), "continue from the run folder's checkpoint");
    add("vgg19", po::value(&o.vgg19),
        "TorchScript of torchvision's vgg19().features: the paper's perceptual loss");
    add("threads", po::value(&o.threads)->default_value(0), "LibTorch threads (0: all cores)");
    add("device", po::value(&o.device)->default_value(o.device), "cpu or cuda");
    add("seed", po::value(&o.seed)->default_value(o.seed), "seed of weights, split and sampling");
    add("rank", po::value(&o.distributed.rank)->default_value(o.distributed.rank),
        "this process's rank in a data-parallel run (default: $RANK)");
    add("world-size", po::value(&o.distributed.worldSize)->default_value(o.distributed.worldSize),
        "number of processes of the run (default: $WORLD_SIZE, else 1: one process)");
    add("local-rank", po::value(&o.distributed.localRank)->default_value(o.distributed.localRank),
        "rank on this machine: the CUDA device with --device cuda (default: $LOCAL_RANK)");
    add("master-addr", po::value(&o.distributed.masterAddress)->default_value(o.distributed.masterAddress),
        "host of rank 0, which hosts the rendezvous store (default: $MASTER_ADDR)");
    add("master-port", po::value(&o.distributed.masterPort)->default_value(o.distributed.masterPort),
        "port of the rendezvous store (default: $MASTER_PORT)");
    add("dist-timeout", po::value(&o.distributedTimeout)->default_value(o.distributedTimeout),
        "seconds a rank waits for the others (rendezvous, each all-reduce) before the run stops");
    add("val-fraction", po::value(&o.validationFraction)->default_value(o.validationFraction),
        "share of photo files held out");
    add("split-file", po::value(&o.splitFile), "file listing held-out photos");
    add("sample-every", po::value(&o.sampleEvery)->default_value(o.sampleEvery),
        "iterations between sample grids");
    add("checkpoint-every", po::value(&o.checkpointEvery)->default_value(o.checkpointEvery),
        "iterations between checkpoints");
    add("validate-smoother", po::value(&o.validateSmoothers)->composing(),
        "a smoother spec of the held-out curves (repeat the flag; default: the five of docs/results.md's "
        "evaluation table); held_out_curves.csv/.png in OUT");
    add("validate-every", po::value(&o.validateEvery)->default_value(o.validateEvery),
        "iterations between held-out PSNR measurements");
    const auto code = cv::desmooth::apps::parseCommandLine(
        argc, argv, "desmooth_train", options, [&](const po::variables_map&) {
            if (o.lrSchedule != "linear" && o.lrSchedule != "cosine")
                throw po::error("--lr-schedule must be linear or cosine");
            if (!(o.adversarialWeight >= 0) || !(o.adamBeta1 >= 0 && o.adamBeta1 < 1) ||
                !(o.ema >= 0 && o.ema < 1))
                throw po::error("--adversarial-weight >= 0, 0 <= --adam-beta1 < 1, 0 <= --ema < 1");
            if (o.device != "cpu" && o.device != "cuda") throw po::error("--device must be cpu or cuda");
            o.architecture = o.overrides.apply(o.config);
            const int multiple = o.architecture.sizeMultiple();
            if (o.batchNorm && !o.architecture.isRestore())
                throw po::error("--batch-norm applies to --config restore only");
            if (!o.initFromModel.empty()) {
                if (!o.initFrom.empty())
                    throw po::error("--init-from and --init-from-model exclude each other");
                try { // before the photos load: a model that does not fit stops the run at once
                    Generator fits(o.architecture, o.batchNorm);
                    o.initModel = cv::desmooth::readModelFile(o.initFromModel);
                    importModel(o.initModel, fits);
                } catch (const std::exception& e) {
                    throw po::error(std::string("--init-from-model: ") + e.what());
                }
            }
            if (o.crop < multiple || o.crop % multiple != 0)
                throw po::error(cv::format("--crop must be a positive multiple of %d for --config %s",
                                           multiple, o.config.c_str()));
            if (!(o.distributedTimeout > 0)) throw po::error("--dist-timeout must be > 0");
            o.distributed.timeout = std::chrono::milliseconds(int64_t(o.distributedTimeout * 1000));
            try {
                o.distributed.validate();
            } catch (const std::invalid_argument& e) {
                throw po::error(e.what());
            }
            if (o.microBatches < 1) throw po::error("--micro-batches must be >= 1");
            if (o.iterations < 0 || o.batch < 1 || o.sampleEvery < 1 || o.checkpointEvery < 1 ||
                o.validateEvery < 1 || o.threads < 0 || o.lrDecayFrom < 0)
                throw po::error("--iters and --lr-decay-from must be >= 0; --batch, --sample-every, "
                                "--checkpoint-every, --validate-every >= 1");
            // MIN,MAX here (JPEG's qualities, for a message that names the option); their order, with the
            // other data set values, in DatasetOptions::validate.
            const std::vector<int> qualities =
                cv::desmooth::apps::parseIntList(o.jpegQuality, "jpeg-quality", 1, 100, "60,95");
            if (qualities.size() != 2) throw po::error("--jpeg-quality takes MIN,MAX, e.g. 60,95");
            o.jpegQualityRange = {qualities[0], qualities[1]};
            try {
                datasetOptions(o).validate(); // an unknown smoother kind too
            } catch (const std::invalid_argument& e) {
                throw po::error(e.what());
            }
            try {
                parseGanLoss(o.ganLoss);
            } catch (const std::invalid_argument& e) {
                throw po::error(std::string("--gan-loss: ") + e.what());
            }
            for (const std::string& spec : o.validateSmoothers)
                try {
                    cv::desmooth::Smoother::create(spec);
                } catch (const cv::Exception& e) {
                    throw po::error("--validate-smoother '" + spec + "': " + e.err);
                }
            if (!(o.featureMatching >= 0) || !(o.detailEnergy >= 0) || !(o.frequency >= 0))
                throw po::error("--feature-matching >= 0, --detail-energy >= 0, --frequency-weight >= 0");
            if (!(o.learningRate > 0) || !(o.lossWeight >= 0))
                throw po::error("--lr > 0, --loss-weight >= 0");
        });
    if (code) return *code;
    try {
        return run(o);
    } catch (const std::exception& e) {
        std::cerr << "desmooth_train: " << e.what() << "\n";
        return 1;
    }
}
