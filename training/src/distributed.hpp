// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_TRAINING_DISTRIBUTED_HPP
#define DESMOOTH_TRAINING_DISTRIBUTED_HPP

#include <torch/torch.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

namespace cv {
namespace desmooth {
namespace training {

/** Where this process sits in a data-parallel run. The defaults come from the variables PyTorch's launchers
set (torchrun, Slurm scripts written for PyTorch): RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT. */
struct DistributedOptions
{
    int rank = 0, worldSize = 1, localRank = 0;
    std::string masterAddress = "127.0.0.1";
    int masterPort = 29500;
    //! How long a collective (or the rendezvous) may wait for the other ranks before the run stops.
    std::chrono::milliseconds timeout = std::chrono::minutes(5);

    //! The options from the environment; unset variables keep the defaults. Throws on malformed values.
    static DistributedOptions fromEnvironment();
    //! Throws std::invalid_argument naming the variable when the values cannot describe a run.
    void validate() const;
};

//! A failure of the run as a whole (a lost rank, an unreachable store): the message says which rank and why.
class DistributedError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/** The process group of a data-parallel run: LibTorch's c10d (TCPStore rendezvous hosted by rank 0, Gloo on
CPU, NCCL on CUDA where the LibTorch build has it). With a world size of 1 nothing is opened and every
collective returns at once, so the single-process trainer runs the same code.

Every collective waits at most the options' timeout; when one fails, the ranks still reachable tell each other
through the store, and the DistributedError names the ranks that did not answer. */
class DataParallel
{
public:
    //! Joins the run (rendezvous with every rank). `device` is "cpu" or "cuda".
    DataParallel(const DistributedOptions& options, const std::string& device);
    ~DataParallel();

    int rank() const { return options_.rank; }
    int worldSize() const { return options_.worldSize; }
    //! Rank 0 writes checkpoints, logs, samples and the model file; the others write nothing.
    bool isWriter() const { return options_.rank == 0; }

    //! Rank 0's parameters and buffers into every rank's `module` (same structure on every rank).
    void broadcastFromWriter(torch::nn::Module& module);
    /** Sums the gradients of `module`'s parameters over the ranks, in buckets of at most 25 MB (one
    all-reduce per bucket, not per tensor). Parameters without a gradient get zeros, so every rank sends the
    same buckets (and one process steps them as each rank of a larger run does). */
    void sumGradients(torch::nn::Module& module);
    //! Averages the floating-point buffers (BatchNorm's running statistics) of `module` over the ranks.
    void averageBuffers(torch::nn::Module& module);
    //! Sums a small tensor (e.g. the step's losses) over the ranks, in place.
    void sum(torch::Tensor& values);
    //! Whether every rank holds bit-identical parameters in `module` (element-wise max equals min).
    bool parametersAgree(torch::nn::Module& module);

    //! Seconds spent in collectives and bytes all-reduced since the last call (for the benchmark).
    std::pair<double, int64_t> takeCommunicationStats();

private:
    struct Group; // the c10d objects, kept out of this header
    enum class Reduction
    {
        Sum,
        Max,
        Min
    };
    void allReduce(torch::Tensor& flat, Reduction reduction, const char* what);
    void broadcast(torch::Tensor& flat);
    /** Hands `tensors` to `communicate` flattened, in buckets of consecutive tensors of one type of at most
    25 MB, and copies each result back: one collective per bucket instead of one per tensor. */
    void inBuckets(const std::vector<torch::Tensor>& tensors,
                   const std::function<void(torch::Tensor& flat)>& communicate);
    [[noreturn]] void fail(const std::string& what, const std::exception& error);
    std::string lostRanks();

    DistributedOptions options_;
    std::unique_ptr<Group> group_; // null when the world size is 1
    double communicationSeconds_ = 0;
    int64_t communicationBytes_ = 0;
};

} // namespace training
} // namespace desmooth
} // namespace cv

#endif
