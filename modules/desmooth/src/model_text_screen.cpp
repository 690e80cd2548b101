// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// The screen of a model file's text against inputs that OpenCV 4.6's FileStorage parser hangs or crashes on.

#include "precomp.hpp"

#include "model_io.hpp"

#include <cctype>

namespace cv {
namespace desmooth {

namespace {

[[noreturn]] void fail(const String& path, const String& what)
{
    detail::parseFailure(path, what);
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

} // namespace

namespace detail {

void screenModelText(const std::string& contents, const String& source)
{
    checkText(contents, source);
    checkFrame(contents, source);
}

} // namespace detail
} // namespace desmooth
} // namespace cv
