// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "random_smoother.hpp"

#include <opencv2/core.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

namespace cv {
namespace desmooth {
namespace training {

double logUniform(double low, double high, std::mt19937_64& rng)
{
    return std::exp(std::uniform_real_distribution<double>(std::log(low), std::log(high))(rng));
}

namespace {

const std::vector<std::string>& knownKinds()
{
    static const std::vector<std::string> kinds{
        "l0",       "fgs",    "bilateral",        "guided",          "edge_preserving",
        "gaussian", "median", "rolling_guidance", "domain_transform"};
    return kinds;
}

} // namespace

std::string drawSmootherSpec(const std::vector<std::string>& kinds, double identityShare,
                             std::mt19937_64& rng, double wideShare)
{
    if (kinds.empty() || std::uniform_real_distribution<double>(0, 1)(rng) < identityShare) return "none";
    const std::string& kind = kinds[std::uniform_int_distribution<size_t>(0, kinds.size() - 1)(rng)];
    const bool wide =
        wideShare >= 1 || (wideShare > 0 && std::uniform_real_distribution<double>(0, 1)(rng) < wideShare);
    // The heavy end of a range: `normal`, or `heavy` with `wide`.
    const auto to = [wide](double normal, double heavy) { return wide ? heavy : normal; };
    if (kind == "l0") return cv::format("l0:lambda=%.4g,kappa=2", logUniform(0.005, to(0.08, 0.16), rng));
    if (kind == "fgs")
        return cv::format("fgs:lambda=%.4g,sigma=%.3g", logUniform(20, to(1000, 2000), rng),
                          logUniform(3, to(15, 25), rng));
    if (kind == "bilateral")
        return cv::format("bilateral:d=%d,sigma_color=%.3g,sigma_space=%.3g",
                          2 * std::uniform_int_distribution<int>(2, int(to(7, 9)))(rng) + 1,
                          logUniform(15, to(120, 250), rng), logUniform(2, to(10, 25), rng));
    if (kind == "guided")
        return cv::format("guided:radius=%d,eps=%.4g",
                          std::uniform_int_distribution<int>(2, int(to(8, 12)))(rng),
                          logUniform(25, to(2500, 5000), rng));
    if (kind == "edge_preserving")
        return cv::format("edge_preserving:sigma_s=%.3g,sigma_r=%.3g", logUniform(10, to(150, 250), rng),
                          logUniform(0.1, to(0.8, 0.95), rng));
    if (kind == "gaussian") return cv::format("gaussian:sigma=%.3g", logUniform(0.5, 3, rng));
    if (kind == "median")
        return cv::format("median:ksize=%d", 2 * std::uniform_int_distribution<int>(1, 3)(rng) + 1);
    if (kind == "rolling_guidance")
        return cv::format("rolling_guidance:sigma_color=%.3g,sigma_space=%.3g,iterations=%d",
                          logUniform(10, 50, rng), logUniform(1, 5, rng),
                          std::uniform_int_distribution<int>(2, 5)(rng));
    if (kind == "domain_transform")
        return cv::format("domain_transform:sigma_s=%.3g,sigma_r=%.3g", logUniform(10, 100, rng),
                          logUniform(10, 80, rng));
    throw std::invalid_argument("unknown smoother kind '" + kind + "'");
}

std::vector<std::string> parseSmootherKinds(const std::string& list)
{
    std::vector<std::string> kinds;
    std::stringstream items(list);
    for (std::string item; std::getline(items, item, ',');) {
        const std::vector<std::string>& known = knownKinds();
        if (std::find(known.begin(), known.end(), item) == known.end()) {
            std::string all;
            for (const std::string& k : known)
                all += (all.empty() ? "" : ", ") + k;
            throw std::invalid_argument("unknown smoother kind '" + item + "' (use " + all + ")");
        }
        kinds.push_back(item);
    }
    return kinds;
}

} // namespace training
} // namespace desmooth
} // namespace cv
