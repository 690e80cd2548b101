// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "distributed.hpp"

#include <opencv2/core/utility.hpp>

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef DESMOOTH_HAVE_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace cv {
namespace desmooth {
namespace training {

namespace {

// DDP's default bucket size: large enough that a bucket's latency is small against its transfer time.
constexpr int64_t kBucketBytes = 25 << 20;

int integerVariable(const char* name, int fallback)
{
    const char* value = std::getenv(name);
    if (!value || !*value) return fallback;
    char* end = nullptr;
    const long parsed = std::strtol(value, &end, 10);
    if (*end != '\0' || parsed < INT32_MIN || parsed > INT32_MAX)
        throw std::invalid_argument(cv::format("%s='%s' is not an integer", name, value));
    return int(parsed);
}

std::string messageOf(const std::exception& error)
{
    if (const auto* c10Error = dynamic_cast<const c10::Error*>(&error))
        return c10Error->what_without_backtrace();
    return error.what();
}

bool isLoopback(const std::string& address)
{
    return address == "localhost" || address.rfind("127.", 0) == 0 || address == "::1";
}

double secondsOf(std::chrono::milliseconds duration)
{
    return double(duration.count()) / 1000.0;
}

} // namespace

DistributedOptions DistributedOptions::fromEnvironment()
{
    DistributedOptions options;
    options.rank = integerVariable("RANK", options.rank);
    options.worldSize = integerVariable("WORLD_SIZE", options.worldSize);
    options.localRank = integerVariable("LOCAL_RANK", options.localRank);
    if (const char* address = std::getenv("MASTER_ADDR"); address && *address)
        options.masterAddress = address;
    options.masterPort = integerVariable("MASTER_PORT", options.masterPort);
    return options;
}

void DistributedOptions::validate() const
{
    if (worldSize < 1)
        throw std::invalid_argument(cv::format("WORLD_SIZE=%d: it must be at least 1", worldSize));
    if (rank < 0 || rank >= worldSize)
        throw std::invalid_argument(
            cv::format("RANK=%d: it must be in 0..%d for WORLD_SIZE=%d", rank, worldSize - 1, worldSize));
    if (localRank < 0) throw std::invalid_argument(cv::format("LOCAL_RANK=%d: it must be >= 0", localRank));
    if (masterPort < 1 || masterPort > 65535)
        throw std::invalid_argument(cv::format("MASTER_PORT=%d: it must be in 1..65535", masterPort));
    if (masterAddress.empty()) throw std::invalid_argument("MASTER_ADDR is empty");
    if (timeout.count() <= 0) throw std::invalid_argument("the timeout must be positive");
}

struct DataParallel::Group
{
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<c10d::ProcessGroup> processGroup;
};

DataParallel::DataParallel(const DistributedOptions& options, const std::string& device) : options_(options)
{
    options_.validate();
    if (options_.worldSize == 1) return;
    group_ = std::make_unique<Group>();
    // Rendezvous: rank 0 hosts the key-value store, every rank connects to it (waiting for the others up to
    // the timeout).
    // Under torchrun's agent the store already exists (it says so in TORCHELASTIC_USE_AGENT_STORE): every
    // rank, 0 too, is then a client, as PyTorch's own env:// rendezvous does.
    const char* agentStore = std::getenv("TORCHELASTIC_USE_AGENT_STORE");
    const bool hostsStore = options_.rank == 0 && !(agentStore && std::string(agentStore) == "True");
    try {
        c10d::TCPStoreOptions storeOptions;
        storeOptions.port = uint16_t(options_.masterPort);
        storeOptions.isServer = hostsStore;
        storeOptions.numWorkers = size_t(options_.worldSize);
        storeOptions.waitWorkers = true;
        storeOptions.timeout = options_.timeout;
        group_->store = c10::make_intrusive<c10d::TCPStore>(options_.masterAddress, storeOptions);
    } catch (const std::exception& e) {
        throw DistributedError(cv::format("rank %d: %s the store at %s:%d within %.0f s (MASTER_ADDR, "
                                          "MASTER_PORT; is every rank started?): %s",
                                          options_.rank,
                                          hostsStore ? "not every rank joined" : "cannot reach",
                                          options_.masterAddress.c_str(), options_.masterPort,
                                          secondsOf(options_.timeout), messageOf(e).c_str()));
    }
    try {
        if (device == "cuda") {
#ifdef DESMOOTH_HAVE_NCCL
            auto ncclOptions = c10d::ProcessGroupNCCL::Options::create();
            ncclOptions->timeout = options_.timeout;
            group_->processGroup = c10::make_intrusive<c10d::ProcessGroupNCCL>(
                group_->store, options_.rank, options_.worldSize, ncclOptions);
#else
            throw DistributedError(
                "--device cuda with more than one rank needs NCCL, which this LibTorch lacks "
                "(Debian's is CPU-only): build against a CUDA LibTorch (docs/training.md)");
#endif
        } else {
            auto glooOptions = c10d::ProcessGroupGloo::Options::create(options_.timeout);
            // The network interface: GLOO_SOCKET_IFNAME as in PyTorch, else loopback for a one-machine run,
            // else the interface of this machine's host name.
            const char* interface = std::getenv("GLOO_SOCKET_IFNAME");
            if (interface && *interface)
                glooOptions->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface));
            else if (isLoopback(options_.masterAddress))
                glooOptions->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
            else
                glooOptions->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
            group_->processGroup = c10::make_intrusive<c10d::ProcessGroupGloo>(
                group_->store, options_.rank, options_.worldSize, glooOptions);
        }
    } catch (const DistributedError&) {
        throw;
    } catch (const std::exception& e) {
        throw DistributedError(
            cv::format("rank %d: cannot set up the process group: %s", options_.rank, messageOf(e).c_str()));
    }
}

DataParallel::~DataParallel() = default;

std::string DataParallel::lostRanks()
{
    // Every rank still running reports in; whoever has not within a grace period is named. The store lives in
    // rank 0: if it cannot be reached, rank 0 is the one lost.
    try {
        group_->store->set(cv::format("desmooth/alive/%d", options_.rank), std::vector<uint8_t>{1});
        const auto deadline = std::chrono::steady_clock::now() +
                              std::min<std::chrono::milliseconds>(options_.timeout, std::chrono::seconds(5));
        std::vector<int> missing;
        do {
            missing.clear();
            for (int r = 0; r < options_.worldSize; ++r)
                if (r != options_.rank && !group_->store->check({cv::format("desmooth/alive/%d", r)}))
                    missing.push_back(r);
            if (missing.empty()) return "every rank answered afterwards";
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        } while (std::chrono::steady_clock::now() < deadline);
        std::string list;
        for (int r : missing)
            list += (list.empty() ? "" : ", ") + std::to_string(r);
        return (missing.size() == 1 ? "lost rank " : "lost ranks ") + list + " (stopped or not answering)";
    } catch (const std::exception&) {
        return options_.rank == 0 ? "the store is unusable"
                                  : "lost rank 0 (it hosts the store, which is unreachable)";
    }
}

void DataParallel::fail(const std::string& what, const std::exception& error)
{
    const std::string lost = lostRanks();
    throw DistributedError(cv::format("rank %d: %s failed: %s; %s", options_.rank, what.c_str(), lost.c_str(),
                                      messageOf(error).c_str()));
}

void DataParallel::allReduce(torch::Tensor& flat, Reduction reduction, const char* what)
{
    const auto start = std::chrono::steady_clock::now();
    c10d::AllreduceOptions reduceOptions;
    reduceOptions.reduceOp = reduction == Reduction::Sum   ? c10d::ReduceOp::SUM
                             : reduction == Reduction::Max ? c10d::ReduceOp::MAX
                                                           : c10d::ReduceOp::MIN;
    try {
        std::vector<at::Tensor> tensors{flat};
        group_->processGroup->allreduce(tensors, reduceOptions)->wait();
    } catch (const DistributedError&) {
        throw;
    } catch (const std::exception& e) {
        fail(std::string("all-reduce of ") + what, e);
    }
    communicationSeconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    communicationBytes_ += flat.numel() * int64_t(flat.element_size());
}

void DataParallel::broadcast(torch::Tensor& flat)
{
    try {
        std::vector<at::Tensor> tensors{flat};
        group_->processGroup->broadcast(tensors)->wait(); // root rank 0
    } catch (const std::exception& e) {
        fail("broadcast of rank 0's weights", e);
    }
}

void DataParallel::inBuckets(const std::vector<torch::Tensor>& tensors,
                             const std::function<void(torch::Tensor& flat)>& communicate)
{
    // Consecutive tensors, in the same order on every rank (the module's registration order).
    size_t first = 0;
    while (first < tensors.size()) {
        size_t last = first;
        int64_t bytes = 0;
        do {
            bytes += tensors[last].numel() * int64_t(tensors[last].element_size());
            ++last;
        } while (last < tensors.size() && bytes < kBucketBytes &&
                 tensors[last].scalar_type() == tensors[first].scalar_type());
        const std::vector<torch::Tensor> bucket(tensors.begin() + long(first), tensors.begin() + long(last));
        torch::Tensor flat = at::flatten_dense_tensors(bucket);
        communicate(flat);
        const std::vector<torch::Tensor> results = at::unflatten_dense_tensors(flat, bucket);
        for (size_t i = 0; i < bucket.size(); ++i)
            tensors[first + i].copy_(results[i]);
        first = last;
    }
}

void DataParallel::broadcastFromWriter(torch::nn::Module& module)
{
    if (!group_) return;
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> tensors = module.parameters();
    for (const torch::Tensor& buffer : module.buffers())
        tensors.push_back(buffer);
    inBuckets(tensors, [&](torch::Tensor& flat) { broadcast(flat); });
}

void DataParallel::sumGradients(torch::nn::Module& module)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> gradients;
    for (torch::Tensor& parameter : module.parameters()) {
        if (!parameter.requires_grad()) continue;
        if (!parameter.grad().defined()) parameter.mutable_grad() = torch::zeros_like(parameter);
        gradients.push_back(parameter.grad());
    }
    if (!group_) return;
    inBuckets(gradients, [&](torch::Tensor& flat) { allReduce(flat, Reduction::Sum, "gradients"); });
}

void DataParallel::averageBuffers(torch::nn::Module& module)
{
    if (!group_) return;
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> statistics;
    for (const auto& buffer : module.named_buffers()) {
        const std::string& name = buffer.key();
        const bool runningStatistic =
            name.size() >= 12 && (name.compare(name.size() - 12, 12, "running_mean") == 0 ||
                                  name.compare(name.size() - 11, 11, "running_var") == 0);
        if (runningStatistic) statistics.push_back(buffer.value());
    }
    inBuckets(statistics, [&](torch::Tensor& flat) {
        allReduce(flat, Reduction::Sum, "BatchNorm statistics");
        flat.div_(options_.worldSize);
    });
}

void DataParallel::sum(torch::Tensor& values)
{
    if (!group_) return;
    torch::Tensor flat = values.contiguous();
    allReduce(flat, Reduction::Sum, "the step's losses");
    values.copy_(flat);
}

bool DataParallel::parametersAgree(torch::nn::Module& module)
{
    if (!group_) return true;
    torch::NoGradGuard noGrad;
    const torch::Tensor flat = at::flatten_dense_tensors(module.parameters());
    torch::Tensor highest = flat.clone(), lowest = flat.clone();
    allReduce(highest, Reduction::Max, "the weight check");
    allReduce(lowest, Reduction::Min, "the weight check");
    return torch::equal(highest, lowest);
}

std::pair<double, int64_t> DataParallel::takeCommunicationStats()
{
    const std::pair<double, int64_t> stats{communicationSeconds_, communicationBytes_};
    communicationSeconds_ = 0;
    communicationBytes_ = 0;
    return stats;
}

} // namespace training
} // namespace desmooth
} // namespace cv
