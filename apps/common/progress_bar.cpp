// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "progress_bar.hpp"

#include "command_line.hpp"

#include <cstdio>
#include <unistd.h>

namespace cv {
namespace desmooth {
namespace apps {

ProgressBar::ProgressBar(long total, std::string unit)
    : total_(total), unit_(std::move(unit)), terminal_(::isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now())
{
}

void ProgressBar::update(long done, const std::string& note)
{
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double rate = seconds > 0 ? done / seconds : 0;
    const std::string eta = rate > 0 ? formatDuration((total_ - done) / rate) : "?";
    const int width = 24, filled = total_ > 0 ? int(width * done / total_) : width;
    const std::string bar = std::string(filled, '#') + std::string(width - filled, '.');
    if (terminal_) {
        std::fprintf(stderr, "\r\033[K[%s] %ld/%ld %s  %.2f/s  ETA %s  %s", bar.c_str(), done, total_,
                     unit_.c_str(), rate, eta.c_str(), note.c_str());
        open_ = true;
    } else {
        const long decile = total_ > 0 ? 10 * done / total_ : 10;
        if (decile == lastDecile_) return;
        lastDecile_ = decile;
        std::fprintf(stderr, "[%s] %ld/%ld %s  %.2f/s  ETA %s\n", bar.c_str(), done, total_, unit_.c_str(),
                     rate, eta.c_str());
    }
    std::fflush(stderr);
}

void ProgressBar::finish()
{
    if (open_) std::fprintf(stderr, "\n");
    open_ = false;
}

} // namespace apps
} // namespace desmooth
} // namespace cv
