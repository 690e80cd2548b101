// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// libFuzzer target: the model-file reader on arbitrary bytes. Any outcome but a model or a cv::Exception (a
// crash, a sanitizer report, another exception type, a hang or a huge allocation) is a finding.

#include "model_validation.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    try {
        cv::desmooth::detail::readModelFromMemory(std::string(reinterpret_cast<const char*>(data), size),
                                                  "fuzz-input");
    } catch (const cv::Exception&) {
        // a clear error is the expected answer to bad bytes
    }
    return 0;
}
