// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "model_validation.hpp"

#include <zlib.h>

#if defined(__unix__) || defined(__APPLE__)
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#define DESMOOTH_HAVE_FORK 1
#endif

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace cv {
namespace desmooth {

namespace {

const char* const kFormat = "desmooth-model";
// Version 1: one set of weights. Version 2 adds the detail end (`detail_weights`, `detail_default`); a model
// with one end is still written as version 1, so that every earlier reader keeps reading it.
const int kVersion = 1, kVersionWithDetail = 2;
const char* const kConfigKeys[] = {"name",      "depth",      "ngf",       "ndf",      "sft",     "fa",
                                   "fa_levels", "sft_hidden", "mlp_ratio", "residual", "smoother"};
const char* const kSmootherKeys[] = {"name", "lambda", "kappa", "border"};
// The paper config's weights take ~310 MB as base64: anything far beyond is not a model (or is a gzip bomb).
const size_t kMaxModelBytes = size_t(1) << 30;

[[noreturn]] void fail(const String& path, const String& what)
{
    detail::modelFileError(path, what, Error::StsParseError);
}

void checkKeys(const FileNode& map, const char* const* known, size_t count, const String& path,
               const String& where)
{
    if (!map.isMap()) fail(path, format("'%s' must be a map", where.c_str()));
    for (const String& key : map.keys())
        if (std::find(known, known + count, key) == known + count)
            fail(path, format("unknown key '%s' in '%s'", key.c_str(), where.c_str()));
}

int readInt(const FileNode& map, const char* key, const String& path)
{
    const FileNode node = map[key];
    if (!node.isInt()) fail(path, format("config key '%s' is missing or not an integer", key));
    return int(node);
}

double readReal(const FileNode& map, const char* key, const String& path)
{
    const FileNode node = map[key];
    if (!node.isInt() && !node.isReal())
        fail(path, format("config key '%s' is missing or not a number", key));
    return double(node);
}

String readString(const FileNode& map, const char* key, const String& path)
{
    const FileNode node = map[key];
    if (!node.isString()) fail(path, format("config key '%s' is missing or not a string", key));
    return String(node);
}

ModelConfig readConfig(const FileNode& node, const String& path)
{
    checkKeys(node, kConfigKeys, sizeof(kConfigKeys) / sizeof(*kConfigKeys), path, "config");
    ModelConfig config;
    config.name = readString(node, "name", path);
    config.depth = readInt(node, "depth", path);
    config.ngf = readInt(node, "ngf", path);
    config.ndf = readInt(node, "ndf", path);
    config.sft = readInt(node, "sft", path) != 0;
    config.fa = readInt(node, "fa", path) != 0;
    config.faLevels = readInt(node, "fa_levels", path);
    config.sftHidden = readInt(node, "sft_hidden", path);
    config.mlpRatio = readInt(node, "mlp_ratio", path);
    config.residual =
        !node["residual"].empty() && readInt(node, "residual", path) != 0; // optional: added later
    const FileNode smoother = node["smoother"];
    checkKeys(smoother, kSmootherKeys, sizeof(kSmootherKeys) / sizeof(*kSmootherKeys), path,
              "config.smoother");
    config.smoother = readString(smoother, "name", path);
    config.smootherLambda = readReal(smoother, "lambda", path);
    config.smootherKappa = readReal(smoother, "kappa", path);
    const String border = readString(smoother, "border", path);
    if (border != "circular" && border != "replicate")
        fail(path, "config.smoother.border must be 'circular' or 'replicate', not '" + border + "'");
    config.smootherBorder = border == "circular" ? L0_BORDER_CIRCULAR : L0_BORDER_REPLICATE;
    return config;
}

// The shape a stored matrix declares, read from its header alone: nothing is allocated yet.
std::vector<int> storedShape(const FileNode& node, const String& path, const String& name)
{
    if (!node.isMap()) fail(path, format("tensor '%s' is not a matrix", name.c_str()));
    const FileNode type = node["dt"];
    if (!type.isString() || String(type) != "f")
        fail(path, format("tensor '%s' must be float32 (dt: f)", name.c_str()));
    std::vector<int> shape;
    const FileNode sizes = node["sizes"];
    if (!sizes.empty()) {
        if (!sizes.isSeq() || sizes.size() > 8)
            fail(path, format("tensor '%s' has malformed sizes", name.c_str()));
        for (const FileNode& size : sizes) {
            if (!size.isInt()) fail(path, format("tensor '%s' has malformed sizes", name.c_str()));
            shape.push_back(int(size));
        }
    } else {
        const FileNode rows = node["rows"], cols = node["cols"];
        if (!rows.isInt() || !cols.isInt()) fail(path, format("tensor '%s' has no rows/cols", name.c_str()));
        shape = {int(rows), int(cols)};
    }
    return shape;
}

Mat readTensor(const FileNode& node, const std::vector<int>& expected, const String& path, const String& name)
{
    const std::vector<int> stored = storedShape(node, path, name);
    const std::vector<int> storedExpected = detail::storageShape(expected);
    if (stored != storedExpected)
        fail(path,
             format("tensor '%s' is stored as %s but the config needs %s", name.c_str(),
                    detail::shapeToString(stored).c_str(), detail::shapeToString(storedExpected).c_str()));
    Mat tensor;
    try {
        node >> tensor;
    } catch (const cv::Exception& e) {
        fail(path, format("tensor '%s' cannot be read (%s)", name.c_str(), e.err.c_str()));
    }
    return tensor;
}

// One set of weights: every tensor the config needs, nothing else, each checked before it is read.
std::map<String, Mat> readWeights(const FileNode& weights, const std::map<String, std::vector<int>>& shapes,
                                  const String& path, const char* key)
{
    if (!weights.isMap()) fail(path, format("'%s' is missing or not a map", key));
    const String prefix = String(key) == "weights" ? String() : String(key) + "/";
    for (const String& name : weights.keys())
        if (!shapes.count(name))
            fail(path, format("unexpected tensor '%s%s' for this config", prefix.c_str(), name.c_str()));
    std::map<String, Mat> tensors;
    for (const auto& entry : shapes) {
        const FileNode node = weights[entry.first];
        if (node.empty()) fail(path, format("missing tensor '%s%s'", prefix.c_str(), entry.first.c_str()));
        tensors[entry.first] = readTensor(node, entry.second, path, prefix + entry.first);
    }
    return tensors;
}

Model readModel(FileStorage& fs, const String& path)
{
    Model model;
    try {
        const FileNode root = fs.root();
        const FileNode formatNode = root["format"], versionNode = root["version"];
        if (!formatNode.isString() || String(formatNode) != kFormat)
            fail(path, format("'format' must be \"%s\"", kFormat));
        if (!versionNode.isInt() || (int(versionNode) != kVersion && int(versionNode) != kVersionWithDetail))
            fail(path, format("unsupported 'version' (this library reads versions %d and %d)", kVersion,
                              kVersionWithDetail));
        const bool twoEnds = int(versionNode) == kVersionWithDetail;
        model.config = readConfig(root["config"], path);
        detail::validateConfig(model.config, path);

        const FileNode train = root["train"];
        if (!train.empty()) {
            if (!train.isMap()) fail(path, "'train' must be a map");
            for (const String& key : train.keys()) {
                const FileNode value = train[key];
                if (value.isString())
                    model.train[key] = String(value);
                else if (value.isInt())
                    model.train[key] = std::to_string(int(value));
                else if (value.isReal())
                    model.train[key] = format("%.17g", double(value));
                else
                    fail(path, format("train.%s must be a string or a number", key.c_str()));
            }
        }

        const std::map<String, std::vector<int>> shapes = modelWeightShapes(model.config);
        model.weights = readWeights(root["weights"], shapes, path, "weights");
        if (twoEnds) {
            model.detailWeights = readWeights(root["detail_weights"], shapes, path, "detail_weights");
            const FileNode detailDefault = root["detail_default"];
            if (!detailDefault.isReal() && !detailDefault.isInt())
                fail(path, "'detail_default' is missing or not a number");
            model.defaultDetail = double(detailDefault);
        }
    } catch (const cv::Exception& e) {
        if (detail::isModelFileError(e)) throw;
        fail(path, e.err);
    } catch (const std::exception& e) {
        fail(path, e.what());
    }
    detail::validateModel(model, path);
    return model;
}

// OpenCV 4.6's FileStorage parser loops forever on some malformed input, before any of our checks could run.
// Fuzzing found a stray byte after "!!binary |", a non-base64 character inside a base64 block, and a base64
// block whose header names no valid element type each doing it. Model files are ASCII text, and every base64
// payload is OpenCV's 24-byte header (an element type such as "f" or "4i", padded with spaces) followed by
// whole elements; the text is checked for all of that before the parser sees it.
bool isBase64(unsigned char c)
{
    return std::isalnum(c) || c == '+' || c == '/' || c == '=';
}

void checkBase64Payload(const std::string& text, size_t at, const String& source)
{
    const auto bad = [&](const char* why) {
        fail(source, format("is not a model file: malformed base64 at offset %zu (%s)", at, why));
    };
    std::string digits;
    for (char c : text)
        if (!std::isspace(static_cast<unsigned char>(c))) digits += c;
    const size_t padding = digits.size() - std::min(digits.size(), digits.find_last_not_of('=') + 1);
    if (digits.size() % 4 != 0 || padding > 2 || digits.find('=') < digits.size() - padding)
        bad("length or padding");
    std::string bytes;
    unsigned accumulator = 0;
    int bits = 0;
    for (size_t i = 0; i < digits.size() - padding; ++i) {
        const char c = digits[i];
        const int value = std::isupper(static_cast<unsigned char>(c))   ? c - 'A'
                          : std::islower(static_cast<unsigned char>(c)) ? c - 'a' + 26
                          : std::isdigit(static_cast<unsigned char>(c)) ? c - '0' + 52
                          : c == '+'                                    ? 62
                                                                        : 63;
        accumulator = (accumulator << 6) | unsigned(value);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            bytes += char((accumulator >> bits) & 0xff);
        }
    }
    const size_t headerSize = 24;
    if (bytes.size() < headerSize) bad("shorter than its header");
    const std::string header = bytes.substr(0, headerSize);
    const size_t typeEnd = header.find(' ');
    const std::string type = header.substr(0, typeEnd);
    if (type.empty() ||
        (typeEnd != std::string::npos && header.find_first_not_of(' ', typeEnd) != std::string::npos))
        bad("header is not an element type padded with spaces");
    size_t elementSize = 0, count = 0;
    for (char c : type) {
        if (std::isdigit(static_cast<unsigned char>(c))) {
            count = count * 10 + size_t(c - '0');
            if (count > 64) bad("element count in the header");
            continue;
        }
        const char* types = "ucwsifdh";
        const size_t sizes[] = {1, 1, 2, 2, 4, 4, 8, 2};
        const char* found = std::strchr(types, c);
        if (!c || !found) bad("unknown element type in the header");
        elementSize += std::max<size_t>(count, 1) * sizes[found - types];
        count = 0;
    }
    if (count != 0 || elementSize == 0) bad("element type in the header");
    if ((bytes.size() - headerSize) % elementSize != 0) bad("data is not a whole number of elements");
}

// The frame of the document in each encoding, as cv::FileStorage writes it. OpenCV 4.6's XML parser
// dereferences NULL on a prolog without its "?>" (fuzzing: "<?xmlnary ..."), so the frame is checked before
// the parser runs.
void checkFrame(const std::string& contents, const String& source)
{
    const size_t begin = contents.find_first_not_of(" \t\r\n");
    const size_t end = contents.find_last_not_of(" \t\r\n");
    if (begin == std::string::npos) fail(source, "is empty");
    const std::string text = contents.substr(begin, end - begin + 1);
    const auto startsWith = [&](const std::string& prefix) {
        return text.compare(0, prefix.size(), prefix) == 0;
    };
    const auto endsWith = [&](const std::string& suffix) {
        return text.size() >= suffix.size() &&
               text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (startsWith("<")) {
        const size_t prologEnd = text.find("?>");
        const size_t root =
            prologEnd == std::string::npos ? prologEnd : text.find_first_not_of(" \t\r\n", prologEnd + 2);
        if (!startsWith("<?xml ") || root == std::string::npos ||
            text.compare(root, 16, "<opencv_storage>") != 0 || !endsWith("</opencv_storage>"))
            fail(source, "is not a model file: not an <?xml ...?><opencv_storage> document");
    } else if (startsWith("{")) {
        if (!endsWith("}")) fail(source, "is not a model file: a JSON document must end with '}'");
    } else if (!startsWith("%YAML")) {
        fail(source, "is not a model file: expected a YAML (%YAML), JSON ({) or XML (<?xml) document");
    }
}

void checkText(const std::string& contents, const String& source)
{
    for (size_t i = 0; i < contents.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(contents[i]);
        if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c >= 0x7f)
            fail(source,
                 format("is not a model file: byte 0x%02x at offset %zu (model files are ASCII text)", c, i));
    }
    const auto badBase64 = [&](size_t at) {
        fail(source, format("is not a model file: malformed base64 at offset %zu", at));
    };
    // YAML: "key: !!binary |", then lines indented deeper than the key holding base64 and blanks.
    for (size_t at = contents.find("!!binary"); at != std::string::npos;
         at = contents.find("!!binary", at + 1)) {
        const size_t lineStart =
            contents.rfind('\n', at) == std::string::npos ? 0 : contents.rfind('\n', at) + 1;
        const size_t keyIndent = contents.find_first_not_of(' ', lineStart) - lineStart;
        size_t lineEnd = contents.find('\n', at);
        if (lineEnd == std::string::npos) badBase64(at);
        for (size_t i = at + 8; i < lineEnd; ++i)
            if (contents[i] != ' ' && contents[i] != '|' && contents[i] != '\r') badBase64(i);
        std::string payload;
        for (size_t line = lineEnd + 1; line < contents.size(); line = lineEnd + 1) {
            lineEnd = std::min(contents.find('\n', line), contents.size());
            const size_t text = contents.find_first_not_of(" \t\r", line);
            if (text == std::string::npos || text >= lineEnd) continue; // blank line
            if (text - line <= keyIndent) break;                        // the block has ended
            for (size_t i = text; i < lineEnd; ++i)
                if (!isBase64(static_cast<unsigned char>(contents[i])) && contents[i] != ' ' &&
                    contents[i] != '\r')
                    badBase64(i);
            payload.append(contents, text, lineEnd - text);
        }
        checkBase64Payload(payload, at, source);
    }
    // JSON: "$base64$..." strings.
    for (size_t at = contents.find("$base64$"); at != std::string::npos;
         at = contents.find("$base64$", at + 1)) {
        size_t i = at + 8;
        while (i < contents.size() && isBase64(static_cast<unsigned char>(contents[i])))
            ++i;
        if (i >= contents.size() || contents[i] != '"') badBase64(i);
        checkBase64Payload(contents.substr(at + 8, i - at - 8), at, source);
    }
    // XML: <tag type_id="binary"> base64 and white space </tag>.
    const std::string xmlBinary = "type_id=\"binary\">";
    for (size_t at = contents.find(xmlBinary); at != std::string::npos;
         at = contents.find(xmlBinary, at + 1)) {
        const size_t begin = at + xmlBinary.size();
        size_t i = begin;
        while (i < contents.size() &&
               (isBase64(static_cast<unsigned char>(contents[i])) || std::isspace(contents[i])))
            ++i;
        if (i >= contents.size() || contents[i] != '<') badBase64(i);
        checkBase64Payload(contents.substr(begin, i - begin), at, source);
    }
}

// Opens and reads the model from text; everything OpenCV's parser throws becomes our cv::Exception.
Model parseInProcess(const std::string& contents, const String& source)
{
    FileStorage fs;
    try {
        if (!fs.open(contents, FileStorage::READ | FileStorage::MEMORY)) fail(source, "cannot be parsed");
    } catch (const cv::Exception& e) {
        if (detail::isModelFileError(e)) throw;
        fail(source, "is not a readable FileStorage file (" + e.err + ")");
    } catch (
        const std::exception& e) { // OpenCV 4.6's parser lets std::length_error out on some input (fuzzing)
        fail(source, std::string("is not a readable FileStorage file (") + e.what() + ")");
    }
    return readModel(fs, source);
}

// OpenCV 4.6's FileStorage parser hangs or crashes on some malformed input (fuzzing found four such inputs;
// each pattern we know is screened above, but the parser is not ours). So the text is first parsed in a
// forked child under an alarm: only when the child finishes - with a model or with an exception - does this
// process parse it, which then must finish too, since parsing is deterministic. A hang or a crash costs the
// child, never the caller.
void checkParserFinishes(const std::string& contents, const String& source)
{
#ifdef DESMOOTH_HAVE_FORK
    // 10 s plus 1 s per 5 MB, or DESMOOTH_MODEL_PARSE_TIMEOUT seconds.
    const char* configured = std::getenv("DESMOOTH_MODEL_PARSE_TIMEOUT");
    const unsigned seconds = configured && std::atoi(configured) > 0
                                 ? unsigned(std::atoi(configured))
                                 : unsigned(10 + contents.size() / (5u << 20));
    const pid_t child = fork();
    if (child < 0) return; // cannot isolate: parse in process as before
    if (child == 0) {
        alarm(seconds);
        try {
            parseInProcess(contents, source);
        } catch (...) {
        }
        _exit(0);
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
        fail(source, format("is not a model file: OpenCV's parser did not finish within %u s", seconds));
    fail(source, format("is not a model file: OpenCV's parser failed on it (%s %d)",
                        WIFSIGNALED(status) ? "signal" : "exit status",
                        WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status)));
#else
    (void)contents;
    (void)source;
#endif
}

Model parseModel(const std::string& contents, const String& source)
{
    if (contents.empty()) fail(source, "is empty");
    checkText(contents, source);
    checkFrame(contents, source);
    checkParserFinishes(contents, source);
    return parseInProcess(contents, source);
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
    return parseModel(readFileBytes(path), path);
}

namespace detail {

Model readModelFromMemory(const std::string& contents, const String& label)
{
    return parseModel(contents, label);
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

void writeModelFile(const String& path, const Model& model)
{
    detail::validateConfig(model.config, path);
    detail::validateModel(model, path);
    FileStorage fs(path, FileStorage::WRITE | FileStorage::BASE64);
    if (!fs.isOpened()) CV_Error(Error::StsError, "desmooth: cannot write the model file '" + path + "'");
    fs << "format" << kFormat << "version" << (model.detailWeights.empty() ? kVersion : kVersionWithDetail);
    const ModelConfig& c = model.config;
    fs << "config"
       << "{";
    fs << "name" << c.name << "depth" << c.depth << "ngf" << c.ngf << "ndf" << c.ndf << "sft" << int(c.sft)
       << "fa" << int(c.fa) << "fa_levels" << c.faLevels << "sft_hidden" << c.sftHidden << "mlp_ratio"
       << c.mlpRatio << "residual" << int(c.residual);
    fs << "smoother"
       << "{"
       << "name" << c.smoother << "lambda" << c.smootherLambda << "kappa" << c.smootherKappa << "border"
       << (c.smootherBorder == L0_BORDER_CIRCULAR ? "circular" : "replicate") << "}";
    fs << "}";
    fs << "train"
       << "{";
    for (const auto& entry : model.train)
        fs << entry.first << entry.second;
    fs << "}";
    fs << "weights"
       << "{";
    for (const auto& entry : model.weights)
        fs << entry.first << entry.second;
    fs << "}";
    if (!model.detailWeights.empty()) {
        fs << "detail_default" << model.defaultDetail;
        fs << "detail_weights"
           << "{";
        for (const auto& entry : model.detailWeights)
            fs << entry.first << entry.second;
        fs << "}";
    }
    fs.release();
}

} // namespace desmooth
} // namespace cv
