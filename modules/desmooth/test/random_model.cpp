// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "random_model.hpp"

namespace opencv_test {

cv::desmooth::Model randomModel(const cv::desmooth::ModelConfig& config, uint64_t seed)
{
    cv::RNG rng(seed);
    cv::desmooth::Model model;
    model.config = config;
    model.train["seed"] = std::to_string(seed);
    model.train["loss"] = "none (random weights)";
    for (const auto& entry : cv::desmooth::modelWeightShapes(config)) {
        const std::vector<int>& shape = entry.second;
        cv::Mat tensor = shape.size() == 1 ? cv::Mat(1, shape[0], CV_32F)
                                           : cv::Mat(int(shape.size()), shape.data(), CV_32F);
        const bool bias = shape.size() == 1;
        const bool transposed = entry.first.find("deconv") != std::string::npos;
        double fanIn = 1;
        for (size_t i = 1; i < shape.size(); ++i)
            fanIn *= shape[i];
        if (transposed)
            fanIn = double(shape[0]) * shape[2] * shape[3] / 4; // each output sees a quarter of the taps
        rng.fill(tensor, cv::RNG::NORMAL, 0, bias ? 0.05 : 1.0 / std::sqrt(fanIn));
        model.weights[entry.first] = tensor;
    }
    return model;
}

} // namespace opencv_test
