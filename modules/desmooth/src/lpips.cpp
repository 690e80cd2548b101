// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "metrics_input.hpp"
#include "opencv2/desmooth/lpips.hpp"

#include <opencv2/dnn.hpp>

namespace cv {
namespace desmooth {

namespace {

class LpipsImpl CV_FINAL : public Lpips
{
public:
    LpipsImpl(const dnn::Net& net, const std::vector<String>& layers, const std::vector<Mat>& weights,
              const Scalar& shift, const Scalar& scale)
        : net_(net), layers_(layers), shift_(shift), scale_(scale)
    {
        if (net_.empty()) CV_Error(Error::StsBadArg, "LPIPS: the feature network is empty");
        if (layers.empty() || layers.size() != weights.size())
            CV_Error(Error::StsBadArg,
                     cv::format("LPIPS: %zu feature layers but %zu weight rows: need one per layer",
                                layers.size(), weights.size()));
        for (size_t l = 0; l < layers.size(); ++l) {
            if (net_.getLayerId(layers[l]) < 0)
                CV_Error(Error::StsBadArg, "LPIPS: the network has no layer '" + layers[l] + "'");
            Mat row;
            weights[l].reshape(1, 1).convertTo(row, CV_64F);
            if (row.empty() || !cv::checkRange(row))
                CV_Error(Error::StsBadArg,
                         "LPIPS: the weights of layer '" + layers[l] + "' are empty or not finite");
            weights_.push_back(row);
        }
        for (int c = 0; c < 3; ++c)
            if (!(scale_[c] != 0)) CV_Error(Error::StsBadArg, "LPIPS: the input scale must be non-zero");
    }

    double compute(InputArray a, InputArray b) CV_OVERRIDE
    {
        const Mat x = detail::toColour255(a, "LPIPS: the first image");
        const Mat y = detail::toColour255(b, "LPIPS: the second image");
        detail::checkSameShape(x, y, "LPIPS");
        std::vector<Mat> fx = features(x), fy = features(y);
        double distance = 0;
        for (size_t l = 0; l < layers_.size(); ++l)
            distance += layerDistance(fx[l], fy[l], l);
        return distance;
    }

private:
    std::vector<Mat> features(const Mat& bgr255)
    {
        Mat rgb;
        if (bgr255.channels() == 1)
            cv::cvtColor(bgr255, rgb, COLOR_GRAY2RGB);
        else
            cv::cvtColor(bgr255, rgb, COLOR_BGR2RGB);
        // [0, 255] -> [-1, 1] (LPIPS's normalize=True), then the ScalingLayer's (x - shift) / scale.
        std::vector<Mat> planes;
        cv::split(rgb, planes);
        for (int c = 0; c < 3; ++c)
            planes[c].convertTo(planes[c], CV_32F, 2.0 / 255.0 / scale_[c], (-1.0 - shift_[c]) / scale_[c]);
        cv::merge(planes, rgb);
        std::lock_guard<std::mutex> lock(mutex_); // one cv::dnn::Net is not thread-safe
        net_.setInput(dnn::blobFromImage(rgb));
        std::vector<Mat> outputs;
        net_.forward(outputs, layers_);
        std::vector<Mat> copies;
        for (const Mat& output : outputs)
            copies.push_back(output.clone()); // the net reuses its buffers on the next forward
        return copies;
    }

    double layerDistance(const Mat& fa, const Mat& fb, size_t l) const
    {
        if (fa.dims != 4 || fa.size[0] != 1)
            CV_Error(Error::StsError,
                     "LPIPS: layer '" + layers_[l] + "' does not give a 1xCxHxW feature map");
        const int channels = fa.size[1];
        const size_t pixels = size_t(fa.size[2]) * fa.size[3];
        if (weights_[l].cols != channels)
            CV_Error(Error::StsBadArg, cv::format("LPIPS: layer '%s' has %d channels but %d weights",
                                                  layers_[l].c_str(), channels, weights_[l].cols));
        const float* a = fa.ptr<float>();
        const float* b = fb.ptr<float>();
        const double* w = weights_[l].ptr<double>();
        const double eps = 1e-10; // LPIPS's normalize_tensor
        double total = 0;
        for (size_t p = 0; p < pixels; ++p) {
            double na = 0, nb = 0;
            for (int c = 0; c < channels; ++c) {
                na += double(a[c * pixels + p]) * a[c * pixels + p];
                nb += double(b[c * pixels + p]) * b[c * pixels + p];
            }
            na = std::sqrt(na) + eps;
            nb = std::sqrt(nb) + eps;
            double sum = 0;
            for (int c = 0; c < channels; ++c) {
                const double d = a[c * pixels + p] / na - b[c * pixels + p] / nb;
                sum += w[c] * d * d;
            }
            total += sum;
        }
        return total / double(pixels);
    }

    dnn::Net net_;
    std::vector<String> layers_;
    std::vector<Mat> weights_;
    Scalar shift_, scale_;
    std::mutex mutex_;
};

String directoryOf(const String& path)
{
    const size_t slash = path.find_last_of("/\\");
    return slash == String::npos ? String() : path.substr(0, slash + 1);
}

} // namespace

Ptr<Lpips> Lpips::create(const dnn::Net& net, const std::vector<String>& layers,
                         const std::vector<Mat>& weights, const Scalar& shift, const Scalar& scale)
{
    return makePtr<LpipsImpl>(net, layers, weights, shift, scale);
}

Ptr<Lpips> Lpips::create(const String& descriptionFile)
{
    FileStorage fs;
    try {
        fs.open(descriptionFile, FileStorage::READ);
    } catch (const cv::Exception& e) {
        CV_Error(Error::StsError, "LPIPS: cannot parse '" + descriptionFile + "': " + e.err);
    }
    if (!fs.isOpened())
        CV_Error(Error::StsError, "LPIPS: cannot read the description file '" + descriptionFile + "'");
    const FileNode netNode = fs["net"], layersNode = fs["layers"], weightsNode = fs["weights"];
    if (!netNode.isString() || !layersNode.isSeq() || !weightsNode.isSeq())
        CV_Error(Error::StsError,
                 "LPIPS: '" + descriptionFile + "' needs 'net' (a path), 'layers' and 'weights' (sequences)");
    // Relative paths are relative to the description file; 'config' is the second file of two-file formats
    // (a Caffe .prototxt beside its .caffemodel).
    const auto resolve = [&](const String& path) {
        return path.empty() || path[0] == '/' ? path : directoryOf(descriptionFile) + path;
    };
    const String netPath = resolve(netNode.string());
    const String configPath = fs["config"].isString() ? resolve(fs["config"].string()) : String();
    std::vector<String> layers;
    for (const FileNode& node : layersNode)
        layers.push_back(node.string());
    std::vector<Mat> weights;
    for (const FileNode& node : weightsNode) {
        Mat row;
        node >> row;
        weights.push_back(row);
    }
    Scalar shift(-0.030, -0.088, -0.188), scale(0.458, 0.448, 0.450);
    for (const char* key : {"shift", "scale"}) {
        const FileNode node = fs[key];
        if (node.empty()) continue;
        if (!node.isSeq() || node.size() != 3)
            CV_Error(Error::StsError, cv::format("LPIPS: '%s' needs 3 numbers", key));
        Scalar& target = String(key) == "shift" ? shift : scale;
        for (int c = 0; c < 3; ++c)
            target[c] = double(node[c]);
    }
    dnn::Net net;
    try {
        net = dnn::readNet(netPath, configPath);
    } catch (const cv::Exception& e) {
        CV_Error(Error::StsError, "LPIPS: cannot read the network '" + netPath + "': " + e.err);
    }
    return create(net, layers, weights, shift, scale);
}

} // namespace desmooth
} // namespace cv
