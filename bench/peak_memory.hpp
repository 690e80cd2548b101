// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_PERF_PEAK_MEMORY_HPP
#define OPENCV_DESMOOTH_PERF_PEAK_MEMORY_HPP

#include <fstream>
#include <string>

namespace perf {

//! A memory field of /proc/self/status ("VmHWM:", "VmRSS:", ...) in MiB; -1 where it is missing.
inline double statusMiB(const std::string& field)
{
    std::ifstream status("/proc/self/status");
    std::string key;
    while (status >> key) {
        if (key == field) {
            double kib = 0;
            status >> kib;
            return kib / 1024;
        }
        std::getline(status, key);
    }
    return -1;
}

//! The process's peak resident memory (VmHWM) in MiB.
inline double peakResidentMiB()
{
    return statusMiB("VmHWM:");
}

//! Resident memory now (VmRSS) in MiB.
inline double residentMiB()
{
    return statusMiB("VmRSS:");
}

//! Restarts the peak at the current resident size (Linux: writing 5 to clear_refs resets VmHWM).
inline void resetPeak()
{
    std::ofstream("/proc/self/clear_refs") << "5";
}

} // namespace perf

#endif
