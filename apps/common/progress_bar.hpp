// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_APPS_PROGRESS_BAR_HPP
#define DESMOOTH_APPS_PROGRESS_BAR_HPP

#include <chrono>
#include <string>

namespace cv {
namespace desmooth {
namespace apps {

/** One self-rewriting stderr line: [#####.....] done/total unit, rate, ETA. Where stderr is not a terminal
 * (logs, CI) it prints a plain line at most every 10% instead, so logs stay readable. */
class ProgressBar
{
public:
    ProgressBar(long total, std::string unit);
    /** Reports `done` items finished, with an optional note (e.g. the current file). */
    void update(long done, const std::string& note = "");
    /** Ends the line. */
    void finish();

private:
    long total_, lastDecile_ = -1;
    std::string unit_;
    bool terminal_, open_ = false;
    std::chrono::steady_clock::time_point start_;
};

} // namespace apps
} // namespace desmooth
} // namespace cv

#endif
