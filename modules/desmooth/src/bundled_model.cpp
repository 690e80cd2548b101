// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "model_validation.hpp"

// The bundled model's bytes (a .yml.gz model file) are linked into the library with the assembler's .incbin,
// so recover() works with no file around. The build passes the file's path; a change of the file rebuilds
// this object.
#if defined(DESMOOTH_BUNDLED_MODEL_FILE) && (defined(__GNUC__) || defined(__clang__))
#define DESMOOTH_HAVE_BUNDLED_MODEL 1
__asm__(".section .rodata\n"
        ".balign 16\n"
        ".global desmooth_bundled_model_begin\n"
        ".hidden desmooth_bundled_model_begin\n"
        "desmooth_bundled_model_begin:\n"
        ".incbin \"" DESMOOTH_BUNDLED_MODEL_FILE "\"\n"
        ".global desmooth_bundled_model_end\n"
        ".hidden desmooth_bundled_model_end\n"
        "desmooth_bundled_model_end:\n"
        ".previous\n");
extern "C" const char desmooth_bundled_model_begin[];
extern "C" const char desmooth_bundled_model_end[];
#endif

namespace cv {
namespace desmooth {

bool haveBundledModel()
{
#ifdef DESMOOTH_HAVE_BUNDLED_MODEL
    return true;
#else
    return false;
#endif
}

Model readBundledModel()
{
#ifdef DESMOOTH_HAVE_BUNDLED_MODEL
    // Parsed once (about a second), then shared: every DeSmoother::create("") copies the cached model.
    static const Model model = [] {
        const String label = "the bundled model";
        const size_t size = size_t(desmooth_bundled_model_end - desmooth_bundled_model_begin);
        return detail::readModelFromMemory(detail::gunzip(desmooth_bundled_model_begin, size, label), label);
    }();
    return model;
#else
    CV_Error(Error::StsNotImplemented,
             "desmooth: this build has no bundled model (data/models/ was empty when it "
             "was built); pass a model file (see desmooth_train)");
#endif
}

} // namespace desmooth
} // namespace cv
