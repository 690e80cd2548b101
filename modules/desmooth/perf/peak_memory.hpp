// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_PERF_PEAK_MEMORY_HPP
#define OPENCV_DESMOOTH_PERF_PEAK_MEMORY_HPP

#include <fstream>
#include <string>

namespace perf {

//! The process's peak resident memory (VmHWM) in MiB, from /proc/self/status.
inline double peakResidentMiB()
{
    std::ifstream status("/proc/self/status");
    std::string key;
    while (status >> key) {
        if (key == "VmHWM:") {
            double kib = 0;
            status >> kib;
            return kib / 1024;
        }
        std::getline(status, key);
    }
    return -1;
}

//! Resident memory now (VmRSS) in MiB.
inline double residentMiB()
{
    std::ifstream status("/proc/self/status");
    std::string key;
    while (status >> key) {
        if (key == "VmRSS:") {
            double kib = 0;
            status >> kib;
            return kib / 1024;
        }
        std::getline(status, key);
    }
    return -1;
}

//! Restarts the peak at the current resident size (Linux: writing 5 to clear_refs resets VmHWM).
inline void resetPeak()
{
    std::ofstream("/proc/self/clear_refs") << "5";
}

} // namespace perf

#endif
