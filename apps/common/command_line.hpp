// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// What every desmooth program does with its command line: Boost.Program_options parsing, --help, and one
// "program: message" error format with exit code 2 for usage errors.

#ifndef DESMOOTH_APPS_COMMAND_LINE_HPP
#define DESMOOTH_APPS_COMMAND_LINE_HPP

#include <boost/program_options.hpp>
#include <opencv2/core.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cv {
namespace desmooth {
namespace apps {

/** Parses argv into `options`' bound variables, then runs `check` (which throws po::error for invalid
 * combinations; any other exception it lets out is a usage error too, reported with its message only).
 * Returns an exit code when the program should stop now (0 after --help, 2 after a usage error, reported on
 * stderr with the options), or nothing when it should go on. */
std::optional<int>
parseCommandLine(int argc, char** argv, const char* program,
                 const boost::program_options::options_description& options,
                 const std::function<void(const boost::program_options::variables_map&)>& check = {});

/** Runs the program's body and turns an escaping cv::Exception or std::exception into one "program: message"
 * line on stderr and exit code 1. */
int runReportingErrors(const char* program, const std::function<int()>& body);

/** The items of a comma-separated option value ("0,0.5,1"), empty items dropped. */
std::vector<std::string> splitList(const std::string& text);

/** A comma-separated list of integers in [minimum, maximum]; throws po::error naming `option` and `example`
 * otherwise. */
std::vector<int> parseIntList(const std::string& text, const char* option, int minimum, int maximum,
                              const char* example);

/** A comma-separated list of numbers in [minimum, maximum]; throws po::error naming `option` and `example`
 * otherwise. */
std::vector<double> parseDoubleList(const std::string& text, const char* option, double minimum,
                                    double maximum, const char* example);

/** A comma-separated list of image sizes, each a square side N or WxH ("512,1920x1080"), 1..16384 a side;
 * throws po::error naming `option` otherwise. */
std::vector<cv::Size> parseSizeList(const std::string& text, const char* option);

/** "1:02:03" or "2:03": a duration for progress lines. */
std::string formatDuration(double seconds);

} // namespace apps
} // namespace desmooth
} // namespace cv

#endif
