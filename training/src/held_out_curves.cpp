// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "held_out_curves.hpp"

#include <opencv2/desmooth/reverse_filter.hpp>
#include <opencv2/desmooth/smoother.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace cv {
namespace desmooth {
namespace training {

namespace {

const char* const kHeader = "iteration,spec,input_psnr,psnr";

// PSNR (peak 255) pooled over several images: their squared errors summed, then divided by their values.
class PooledPsnr
{
public:
    void add(const cv::Mat& image, const cv::Mat& photo)
    {
        squared_ += cv::norm(image, photo, cv::NORM_L2SQR);
        count_ += double(image.total()) * image.channels();
    }
    double psnr() const { return 10 * std::log10(255.0 * 255.0 / std::max(squared_ / count_, 1e-12)); }

private:
    double squared_ = 0, count_ = 0;
};

} // namespace

const std::vector<std::string>& evaluationSmoothers()
{
    static const std::vector<std::string> specs{
        "l0:lambda=0.02,kappa=2", "fgs:lambda=300,sigma=7", "bilateral:d=15,sigma_color=150,sigma_space=15",
        "guided:radius=4,eps=400", "edge_preserving:sigma_s=60,sigma_r=0.4"};
    return specs;
}

HeldOutCurves::HeldOutCurves(const std::vector<PhotoPair>& heldOut, const std::vector<std::string>& specs,
                             int side, int sizeMultiple, int reverseIterations)
{
    if (side < sizeMultiple || sizeMultiple < 1)
        throw std::invalid_argument(
            cv::format("held-out crops of side %d, multiple of %d", side, sizeMultiple));
    for (const std::string& spec : specs) {
        const cv::Ptr<cv::desmooth::Smoother> smoother = cv::desmooth::Smoother::create(spec);
        SmootherSet set;
        set.spec = smoother->describe();
        PooledPsnr input;
        for (const PhotoPair& pair : heldOut) {
            const cv::Mat& photo = pair.photo;
            const int crop = std::min({photo.rows, photo.cols, side}) / sizeMultiple * sizeMultiple;
            if (crop == 0) continue;
            const cv::Rect centre((photo.cols - crop) / 2, (photo.rows - crop) / 2, crop, crop);
            const int margin = crop / 8;
            const cv::Rect window = (centre + cv::Size(2 * margin, 2 * margin) - cv::Point(margin, margin)) &
                                    cv::Rect(0, 0, photo.cols, photo.rows);
            cv::Mat smoothedWindow;
            smoother->apply(photo(window), smoothedWindow);
            const cv::Mat smoothed = smoothedWindow(centre - window.tl()).clone();
            input.add(smoothed, photo(centre));
            if (reverseIterations > 0) {
                cv::Mat reversedWindow;
                cv::desmooth::reverseFilter(smoothedWindow, reversedWindow, smoother, reverseIterations);
                set.inputs.push_back(reversedWindow(centre - window.tl()).clone());
            } else {
                set.inputs.push_back(smoothed);
            }
            set.photos.push_back(photo(centre).clone());
        }
        if (set.photos.empty()) continue;
        set.inputPsnr = input.psnr();
        sets_.push_back(std::move(set));
    }
}

std::vector<HeldOutPoint>
HeldOutCurves::scoreEach(const std::function<cv::Mat(const cv::Mat&)>& recover) const
{
    std::vector<HeldOutPoint> points;
    for (const SmootherSet& set : sets_) {
        PooledPsnr recovered;
        for (size_t i = 0; i < set.photos.size(); ++i)
            recovered.add(recover(set.inputs[i]), set.photos[i]);
        points.push_back({set.spec, set.inputPsnr, recovered.psnr()});
    }
    return points;
}

std::vector<HeldOutPoint> HeldOutCurves::scoreInputs() const
{
    return scoreEach([](const cv::Mat& input) { return input; });
}

std::vector<HeldOutPoint> HeldOutCurves::score(Generator& generator, const torch::Device& device) const
{
    torch::NoGradGuard noGrad;
    const bool wasTraining = generator->is_training();
    generator->eval(); // inference mode: what the exported model computes
    const std::vector<HeldOutPoint> points = scoreEach([&](const cv::Mat& input) {
        const torch::Tensor batch = imageToTensor(input).unsqueeze(0).to(device);
        return tensorToImage(generator->forward(batch)[0].to(torch::kCPU));
    });
    generator->train(wasTraining);
    return points;
}

double meanGain(const std::vector<HeldOutPoint>& points)
{
    double sum = 0;
    for (const HeldOutPoint& point : points)
        sum += point.gain();
    return points.empty() ? std::nan("") : sum / double(points.size());
}

void appendHeldOutPoints(const std::string& csvPath, int64_t iteration,
                         const std::vector<HeldOutPoint>& points)
{
    const bool fresh = !std::filesystem::exists(csvPath);
    std::ofstream csv(csvPath, std::ios::app);
    if (fresh) csv << kHeader << "\n";
    for (const HeldOutPoint& point : points)
        // Specs contain commas: quoted.
        csv << iteration << ",\"" << point.spec << "\","
            << cv::format("%.4f,%.4f", point.inputPsnr, point.psnr) << "\n";
    csv.flush();
    if (!csv) throw std::runtime_error("cannot append to " + csvPath);
}

void plotHeldOutCurves(const std::string& csvPath, const std::string& pngPath)
{
    std::ifstream csv(csvPath);
    std::string line;
    std::getline(csv, line);
    if (line != kHeader)
        throw std::runtime_error(csvPath + ": not a held-out curve file (header '" + line + "')");
    // spec -> (iteration, gain), in file order; and the mean over the specs per iteration.
    std::vector<std::string> specs;
    std::map<std::string, std::vector<cv::Point2d>> curves;
    std::map<double, std::pair<double, int>> sums;
    while (std::getline(csv, line)) {
        const size_t open = line.find(",\""), close = line.rfind("\",");
        if (open == std::string::npos || close == std::string::npos || close <= open) continue;
        const double iteration = std::stod(line.substr(0, open));
        const std::string spec = line.substr(open + 2, close - open - 2);
        std::istringstream numbers(line.substr(close + 2));
        double inputPsnr = 0, psnr = 0;
        char comma = 0;
        if (!(numbers >> inputPsnr >> comma >> psnr)) continue;
        if (!curves.count(spec)) specs.push_back(spec);
        curves[spec].push_back({iteration, psnr - inputPsnr});
        sums[iteration].first += psnr - inputPsnr;
        sums[iteration].second += 1;
    }
    std::vector<cv::Point2d> mean;
    for (const auto& [iteration, sum] : sums)
        mean.push_back({iteration, sum.first / sum.second});

    const int width = 800, height = 400, margin = 40;
    cv::Mat plot(height, width, CV_8UC3, cv::Scalar::all(255));
    double lowest = 0, highest = 0.1, last = 1;
    for (const auto& [spec, points] : curves)
        for (const cv::Point2d& p : points) {
            lowest = std::min(lowest, p.y);
            highest = std::max(highest, p.y);
            last = std::max(last, p.x);
        }
    const auto at = [&](const cv::Point2d& p) {
        return cv::Point(margin + int((width - 2 * margin) * p.x / last),
                         height - margin - int((height - 2 * margin) * (p.y - lowest) / (highest - lowest)));
    };
    cv::line(plot, at({0, 0}), at({last, 0}), cv::Scalar::all(160), 1); // the input's level
    const cv::Scalar colours[] = {{200, 0, 0},   {0, 150, 0},   {0, 0, 220},
                                  {0, 140, 200}, {160, 0, 160}, {120, 120, 0}};
    const auto draw = [&](const std::vector<cv::Point2d>& points, const cv::Scalar& colour, int thickness,
                          const std::string& name, int row) {
        for (size_t i = 1; i < points.size(); ++i)
            cv::line(plot, at(points[i - 1]), at(points[i]), colour, thickness, cv::LINE_AA);
        const double final = points.empty() ? 0 : points.back().y;
        cv::putText(plot, cv::format("%s: %+.2f dB", name.c_str(), final), {margin + 10, 18 + 16 * row},
                    cv::FONT_HERSHEY_SIMPLEX, 0.45, colour, 1, cv::LINE_AA);
    };
    for (size_t k = 0; k < specs.size(); ++k)
        draw(curves[specs[k]], colours[k % 6], 1, specs[k], int(k));
    draw(mean, cv::Scalar::all(0), 2, "mean", int(specs.size()));
    cv::putText(plot,
                cv::format("held-out PSNR gain over the input, dB (%.2f .. %.2f), to iteration %.0f", lowest,
                           highest, last),
                {margin, height - 12}, cv::FONT_HERSHEY_SIMPLEX, 0.45, cv::Scalar::all(0), 1, cv::LINE_AA);
    cv::imwrite(pngPath, plot);
}

} // namespace training
} // namespace desmooth
} // namespace cv
