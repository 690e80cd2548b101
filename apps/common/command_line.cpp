// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "command_line.hpp"

#include <opencv2/core.hpp>

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

namespace po = boost::program_options;

namespace cv {
namespace desmooth {
namespace apps {

std::optional<int> parseCommandLine(int argc, char** argv, const char* program,
                                    const po::options_description& options,
                                    const std::function<void(const po::variables_map&)>& check)
{
    try {
        po::variables_map vm;
        po::store(po::parse_command_line(argc, argv, options), vm);
        if (vm.count("help")) {
            std::cout << options << "\n";
            return 0;
        }
        po::notify(vm);
        if (check) check(vm);
    } catch (const po::error& e) {
        std::cerr << program << ": " << e.what() << "\n\n" << options << "\n";
        return 2;
    } catch (const cv::Exception& e) {
        // A check that parses a value with the library (a smoother spec) reports what it rejects.
        std::cerr << program << ": " << e.err << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << program << ": " << e.what() << "\n";
        return 2;
    }
    return std::nullopt;
}

int runReportingErrors(const char* program, const std::function<int()>& body)
{
    try {
        return body();
    } catch (const cv::Exception& e) {
        std::cerr << program << ": " << e.err << "\n";
    } catch (const std::exception& e) {
        std::cerr << program << ": " << e.what() << "\n";
    }
    return 1;
}

std::vector<std::string> splitList(const std::string& text)
{
    std::vector<std::string> items;
    std::stringstream stream(text);
    for (std::string item; std::getline(stream, item, ',');)
        if (!item.empty()) items.push_back(item);
    return items;
}

std::vector<int> parseIntList(const std::string& text, const char* option, int minimum, int maximum,
                              const char* example)
{
    std::vector<int> values;
    for (const std::string& item : splitList(text)) {
        char* end = nullptr;
        errno = 0;
        const long value = std::strtol(item.c_str(), &end, 10);
        if (*end || errno == ERANGE || value < minimum || value > maximum)
            throw po::error(std::string("--") + option + " takes whole numbers in " +
                            std::to_string(minimum) + ".." + std::to_string(maximum) + ", e.g. " + example);
        values.push_back(int(value));
    }
    if (values.empty()) throw po::error(std::string("--") + option + " needs at least one value");
    return values;
}

std::vector<double> parseDoubleList(const std::string& text, const char* option, double minimum,
                                    double maximum, const char* example)
{
    std::vector<double> values;
    for (const std::string& item : splitList(text)) {
        char* end = nullptr;
        const double value = std::strtod(item.c_str(), &end);
        if (*end || !(value >= minimum && value <= maximum)) // !(>=) also refuses NaN
            throw po::error(std::string("--") + option + " takes values in [" + cv::format("%g", minimum) +
                            ", " + cv::format("%g", maximum) + "], e.g. " + example);
        values.push_back(value);
    }
    if (values.empty()) throw po::error(std::string("--") + option + " needs at least one value");
    return values;
}

std::vector<cv::Size> parseSizeList(const std::string& text, const char* option)
{
    std::vector<cv::Size> sizes;
    for (const std::string& item : splitList(text)) {
        int width = 0, height = 0;
        char x = 0, rest = 0;
        const int read = std::sscanf(item.c_str(), "%d%c%d%c", &width, &x, &height, &rest);
        if (read == 1)
            height = width;
        else if (!(read == 3 && x == 'x'))
            throw po::error(std::string("--") + option + ": '" + item + "' is neither N nor WxH");
        if (width < 1 || height < 1 || width > 16384 || height > 16384)
            throw po::error(std::string("--") + option + ": '" + item + "' must be 1..16384 on each side");
        sizes.emplace_back(width, height);
    }
    if (sizes.empty()) throw po::error(std::string("--") + option + ": no size given");
    return sizes;
}

std::string formatDuration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0) return "?";
    const long total = long(seconds + 0.5), h = total / 3600, m = total / 60 % 60, s = total % 60;
    char text[32];
    if (h > 0)
        std::snprintf(text, sizeof(text), "%ld:%02ld:%02ld", h, m, s);
    else
        std::snprintf(text, sizeof(text), "%ld:%02ld", m, s);
    return text;
}

} // namespace apps
} // namespace desmooth
} // namespace cv
