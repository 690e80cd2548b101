// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef OPENCV_DESMOOTH_CUDA_HPP
#define OPENCV_DESMOOTH_CUDA_HPP

// The CUDA kernels of the custom layers, behind plain functions on host float arrays: no OpenCV here, so the
// kernels and their tests build and run on a GPU machine that has only the CUDA toolkit. Debian's OpenCV has
// no CUDA backend and hands custom layers host memory; these functions copy in, run, and copy out. Errors
// throw std::runtime_error.

#include <cstddef>

namespace cv {
namespace desmooth {
namespace cuda {

//! Whether a CUDA device can be used (false where the driver or a device is missing).
bool deviceAvailable();

//! y = gamma * x + beta per element; x and y hold batch * channels planes of `size` floats, gammaBeta for
//! each sample the gamma planes then the beta planes (2 * channels).
void sftModulate(const float* x, const float* gammaBeta, int batch, int channels, size_t size, float* y);

//! Full attention's spatial relation: out[j] = sum_i softmax_i(f[i] g[j]) h[i], j < size, with the softmax's
//! maximum known per query (g[j] max f or g[j] min f), as the CPU layer does.
void fullAttentionSpatial(const float* f, const float* g, const float* h, int size, float* out);

/** The evaluation step of the attention expansion (see fullAttentionSpatialExpansion in the layer): for every
query s = g[j], out[j] = sum_b e^{s c_b - top} A_b(s) / sum_b e^{s c_b - top} Z_b(s) over the occupied bins
`bins`, with A_b, Z_b the Taylor polynomials whose `terms` coefficients per bin are in `weighted` and `plain`
(bin-major), c_b = fMin + (b + 0.5) width. One thread per query, double precision. */
void fullAttentionExpansion(const double* weighted, const double* plain, const int* bins, int binCount,
                            int terms, double fMin, double width, const float* g, int size, float* out);

} // namespace cuda
} // namespace desmooth
} // namespace cv

#endif
