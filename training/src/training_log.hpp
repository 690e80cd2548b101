// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_TRAINING_TRAINING_LOG_HPP
#define DESMOOTH_TRAINING_TRAINING_LOG_HPP

#include <filesystem>
#include <fstream>
#include <string>

namespace cv {
namespace desmooth {
namespace training {

/** The run folder's log.csv, opened for rows of `header`'s columns (`header` without its newline). A new run
(`resume` false) starts the file anew with the header. A resumed run appends to its rows; where they were
written by a trainer whose header had fewer columns (columns are only ever added at the end), the file is
first rewritten under `header`, each older row padded with empty fields, so that every row has the header's
columns and none is lost. A file whose header is not the start of `header` is a std::runtime_error (its
columns mean something else). */
std::ofstream openTrainingLog(const std::filesystem::path& path, const std::string& header, bool resume);

} // namespace training
} // namespace desmooth
} // namespace cv

#endif
