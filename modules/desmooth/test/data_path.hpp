// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_TEST_DATA_PATH_HPP
#define OPENCV_DESMOOTH_TEST_DATA_PATH_HPP

#include <cstdlib>
#include <string>

namespace opencv_test {

//! Path of a file under the repository's data/ folder, for the tests and the perf tests; the environment
//! variable DESMOOTH_TEST_DATA_DIR moves it (a test program carried to another machine,
//! scripts/device_check.sh).
inline std::string dataPath(const std::string& relative)
{
    const char* moved = std::getenv("DESMOOTH_TEST_DATA_DIR");
    return std::string(moved && *moved ? moved : DESMOOTH_DATA_DIR) + "/" + relative;
}

} // namespace opencv_test

#endif
