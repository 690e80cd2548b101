// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_MODEL_IO_HPP
#define OPENCV_DESMOOTH_MODEL_IO_HPP

// The model reader's stages (docs/design.md, "Model file"): the schema (model_schema.cpp), the screen of the
// text against inputs that break OpenCV's parser (model_text_screen.cpp) and the sandboxed parse
// (model_parse.cpp); model_file.cpp reads files and gzip streams.

#include "model_validation.hpp"

#include <string>

namespace cv {
namespace desmooth {
namespace detail {

//! A parse error in the model file `source`, as every stage reports it.
[[noreturn]] inline void parseFailure(const String& source, const String& what)
{
    modelFileError(source, what, Error::StsParseError);
}

/** Reads a parsed model file: format, version, config, train, the weights and, in version 2, the detail end;
 * each tensor's stored shape is checked before it is read. */
Model readModelSchema(FileStorage& fs, const String& source);

/** Refuses text that OpenCV 4.6's parser hangs or crashes on: non-ASCII bytes, a malformed base64 payload, a
 * document frame without its end. */
void screenModelText(const std::string& contents, const String& source);

/** Screens the text, parses it first in a forked child under an alarm (a hang or crash costs the child), then
 * in this process, and reads the schema. */
Model parseModelText(const std::string& contents, const String& source);

} // namespace detail
} // namespace desmooth
} // namespace cv

#endif
