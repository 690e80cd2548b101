// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "precomp.hpp"

#include "embedded_file.hpp"
#include "model_validation.hpp"

// The bundled model's bytes (a .yml.gz model file) are linked into the library, so recover() works with no
// file around.
#if defined(DESMOOTH_BUNDLED_MODEL_FILE) && (defined(__GNUC__) || defined(__clang__))
#define DESMOOTH_HAVE_BUNDLED_MODEL 1
DESMOOTH_EMBED_FILE(desmooth_bundled_model, DESMOOTH_BUNDLED_MODEL_FILE);
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
