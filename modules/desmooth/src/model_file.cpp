// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// Model files on disk and in memory: plain or gzip bytes, handed to the parser (model_io.hpp).

#include "precomp.hpp"

#include "model_io.hpp"

#include <zlib.h>

namespace cv {
namespace desmooth {

namespace {

// The paper config's weights take ~310 MB as base64: anything far beyond is not a model (or is a gzip bomb).
const size_t kMaxModelBytes = size_t(1) << 30;

[[noreturn]] void fail(const String& path, const String& what)
{
    detail::parseFailure(path, what);
}

// The file's bytes, gunzipped when it is gzip (zlib reads plain files as they are).
std::string readFileBytes(const String& path)
{
    gzFile file = gzopen(path.c_str(), "rb");
    if (!file) fail(path, "cannot be opened");
    std::string contents;
    std::vector<char> chunk(1 << 16);
    int count = 0;
    while ((count = gzread(file, chunk.data(), unsigned(chunk.size()))) > 0) {
        contents.append(chunk.data(), size_t(count));
        if (contents.size() > kMaxModelBytes) {
            gzclose(file);
            fail(path, format("is larger than %zu MiB uncompressed: not a model file", kMaxModelBytes >> 20));
        }
    }
    int error = Z_OK;
    const char* message = gzerror(file, &error);
    const bool damaged = count < 0 || (error != Z_OK && error != Z_STREAM_END);
    const std::string why = damaged ? message : "";
    gzclose(file);
    if (damaged) fail(path, "is a damaged gzip stream (" + why + ")");
    return contents;
}

} // namespace

Model readModelFile(const String& path)
{
    return detail::parseModelText(readFileBytes(path), path);
}

ModelConfig readModelInfo(const String& path, std::vector<String>& trainKeys,
                          std::vector<String>& trainValues)
{
    const Model model = path.empty() ? readBundledModel() : readModelFile(path);
    trainKeys.clear();
    trainValues.clear();
    for (const auto& entry : model.train) {
        trainKeys.push_back(entry.first);
        trainValues.push_back(entry.second);
    }
    return model.config;
}

namespace detail {

Model readModelFromMemory(const std::string& contents, const String& label)
{
    return parseModelText(contents, label);
}

std::string gunzip(const char* data, size_t size, const String& label)
{
    z_stream stream{};
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) fail(label, "cannot start zlib");
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    stream.avail_in = uInt(size);
    std::string out;
    char buffer[1 << 16];
    int status = Z_OK;
    while (status == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof(buffer);
        status = inflate(&stream, Z_NO_FLUSH);
        out.append(buffer, sizeof(buffer) - stream.avail_out);
    }
    inflateEnd(&stream);
    if (status != Z_STREAM_END) fail(label, "is a damaged gzip stream");
    return out;
}

} // namespace detail

} // namespace desmooth
} // namespace cv
