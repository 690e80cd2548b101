// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// Parsing a model file's text, with OpenCV's parser contained in a forked child first.

#include "precomp.hpp"

#include "configuration.hpp"

#include "model_io.hpp"

#if defined(__unix__) || defined(__APPLE__)
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#define DESMOOTH_HAVE_FORK 1
#endif

#include <cerrno>
#include <cstdlib>

namespace cv {
namespace desmooth {

namespace {

[[noreturn]] void fail(const String& path, const String& what)
{
    detail::parseFailure(path, what);
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
    return detail::readModelSchema(fs, source);
}

// OpenCV 4.6's FileStorage parser hangs or crashes on some malformed input (fuzzing found four such inputs;
// each pattern we know is screened above, but the parser is not ours). So the text is first parsed in a
// forked child under an alarm: only when the child finishes - with a model or with an exception - does this
// process parse it, which then must finish too, since parsing is deterministic. A hang or a crash costs the
// child, never the caller.
void checkParserFinishes(const std::string& contents, const String& source)
{
#ifdef DESMOOTH_HAVE_FORK
    // 10 s plus 1 s per 5 MB, or the configuration parameter DESMOOTH_MODEL_PARSE_TIMEOUT (seconds).
    const size_t configured = utils::getConfigurationParameterSizeT("DESMOOTH_MODEL_PARSE_TIMEOUT", 0);
    const unsigned seconds =
        configured > 0 ? unsigned(configured) : unsigned(10 + contents.size() / (5u << 20));
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

} // namespace

namespace detail {

Model parseModelText(const std::string& contents, const String& source)
{
    if (contents.empty()) fail(source, "is empty");
    screenModelText(contents, source);
    checkParserFinishes(contents, source);
    return parseInProcess(contents, source);
}

} // namespace detail
} // namespace desmooth
} // namespace cv
