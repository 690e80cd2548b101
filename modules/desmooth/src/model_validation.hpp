// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_MODEL_VALIDATION_HPP
#define OPENCV_DESMOOTH_MODEL_VALIDATION_HPP

#include "opencv2/desmooth/model.hpp"

namespace cv {
namespace desmooth {
namespace detail {

//! Throws the cv::Exception every model-file problem is reported with: "desmooth model file 'SOURCE': WHAT".
[[noreturn]] void modelFileError(const String& source, const String& what, int code = Error::StsBadArg);
//! Whether `e` was thrown by modelFileError (and so already names the file and the culprit).
bool isModelFileError(const cv::Exception& e);

//! The shape a tensor of shape `shape` has as a cv::Mat: a bias [n] is a 1 x n matrix.
std::vector<int> storageShape(const std::vector<int>& shape);
std::string shapeToString(const std::vector<int>& shape);
//! Throws (naming `source` and the switch; an empty `source` names no file) where a configuration is out of
//! range.
void validateConfig(const ModelConfig& config, const String& source);
//! Throws (naming `source` and the tensor) where a tensor is missing, unexpected, misshapen, not float32 or
//! not finite.
void validateModel(const Model& model, const String& source);

//! readModelFile() on a file's contents held in memory (plain YAML, JSON or XML; not gzip); `label` names it
//! in errors.
Model readModelFromMemory(const std::string& contents, const String& label);

/** Decompresses a gzip stream held in memory (the bundled model); `label` names it in errors. */
std::string gunzip(const char* data, size_t size, const String& label);

} // namespace detail
} // namespace desmooth
} // namespace cv

#endif
