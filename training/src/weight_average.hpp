// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_TRAINING_WEIGHT_AVERAGE_HPP
#define DESMOOTH_TRAINING_WEIGHT_AVERAGE_HPP

#include <torch/torch.h>

#include <vector>

namespace cv {
namespace desmooth {
namespace training {

/** An exponential moving average of a network's parameters (Polyak averaging; BasicSR's and NAFNet's
`ema_decay`): a_t = d_t a_{t-1} + (1 - d_t) w_t with d_t = min(decay, (1 + t) / (10 + t)), so that the early
average does not drag the random start along. Validation and export read the average: it follows the weights
of the last ~1 / (1 - decay) steps, so its held-out curve carries far less of the step-to-step noise of the
live weights. Buffers (BatchNorm's running statistics) are not averaged: the live ones are used. */
class WeightAverage
{
public:
    //! Starts the average at the network's current parameters.
    WeightAverage(torch::nn::Module& network, double decay);

    //! Folds the network's current parameters in; `step` counts the updates since the run started.
    void update(torch::nn::Module& network, int64_t step);

    //! Exchanges the average with the network's parameters: a second call puts both back, bit for bit.
    void swap(torch::nn::Module& network);

    double decay() const { return decay_; }
    const std::vector<torch::Tensor>& tensors() const { return average_; }
    std::vector<torch::Tensor>& tensors() { return average_; }

private:
    std::vector<torch::Tensor> average_;
    double decay_;
};

//! Swaps the average into the network for the scope's life (validation, samples), then swaps it back.
class AverageInScope
{
public:
    AverageInScope(WeightAverage* average, torch::nn::Module& network) : average_(average), network_(network)
    {
        if (average_) average_->swap(network_);
    }
    ~AverageInScope()
    {
        if (average_) average_->swap(network_);
    }
    AverageInScope(const AverageInScope&) = delete;
    AverageInScope& operator=(const AverageInScope&) = delete;

private:
    WeightAverage* average_;
    torch::nn::Module& network_;
};

} // namespace training
} // namespace desmooth
} // namespace cv

#endif
