// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "perf_precomp.hpp"

CV_PERF_TEST_MAIN(desmooth)
