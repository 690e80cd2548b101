// This file is part of the desmooth project.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "training_log.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace cv {
namespace desmooth {
namespace training {

namespace {

size_t columns(const std::string& row)
{
    return size_t(std::count(row.begin(), row.end(), ',')) + 1;
}

} // namespace

std::ofstream openTrainingLog(const std::filesystem::path& path, const std::string& header, bool resume)
{
    std::ifstream in;
    std::string written; // a new run's log is written anew, whatever the file held
    if (resume) {
        in.open(path);
        std::getline(in, written);
    }
    if (written == header) return std::ofstream(path, std::ios::app);
    if (!written.empty() && header.rfind(written + ",", 0) != 0)
        throw std::runtime_error("--resume: " + path.string() + " has the columns '" + written +
                                 "', not the start of this trainer's '" + header +
                                 "': move it away to resume");
    // A new log, or an older one rewritten under the longer header (its rows padded, none dropped).
    std::vector<std::string> rows;
    for (std::string row; std::getline(in, row);)
        rows.push_back(row);
    in.close();
    std::ofstream out(path, std::ios::trunc);
    out << header << "\n";
    const size_t wanted = columns(header);
    for (const std::string& row : rows)
        out << row << std::string(wanted - std::min(wanted, columns(row)), ',') << "\n";
    if (!out) throw std::runtime_error("cannot write " + path.string());
    return std::ofstream(path, std::ios::app);
}

} // namespace training
} // namespace desmooth
} // namespace cv
