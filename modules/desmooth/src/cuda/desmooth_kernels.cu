// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "desmooth_cuda.hpp"

#include <cuda_runtime.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace cv {
namespace desmooth {
namespace cuda {

namespace {

void check(cudaError_t status, const char* what)
{
    if (status != cudaSuccess)
        throw std::runtime_error(std::string("desmooth CUDA: ") + what + ": " + cudaGetErrorString(status));
}

// A device buffer that frees itself.
struct DeviceFloats
{
    explicit DeviceFloats(size_t count) : count(count)
    {
        check(cudaMalloc(&data, count * sizeof(float)), "cudaMalloc");
    }
    DeviceFloats(const float* host, size_t count) : DeviceFloats(count)
    {
        check(cudaMemcpy(data, host, count * sizeof(float), cudaMemcpyHostToDevice), "copy to device");
    }
    ~DeviceFloats() { cudaFree(data); }
    void copyTo(float* host) const
    {
        check(cudaMemcpy(host, data, count * sizeof(float), cudaMemcpyDeviceToHost), "copy to host");
    }
    float* data = nullptr;
    size_t count;
};

__global__ void sftKernel(const float* x, const float* gammaBeta, int channels, size_t size, size_t total,
                          float* y)
{
    for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < total;
         i += size_t(gridDim.x) * blockDim.x) {
        const size_t plane = i / size, offset = i % size;
        const size_t n = plane / channels, c = plane % channels;
        const float* gamma = gammaBeta + (n * 2 * channels + c) * size;
        const float* beta = gamma + size_t(channels) * size;
        y[i] = gamma[offset] * x[i] + beta[offset];
    }
}

const int kAttentionThreads = 256;

// One block per query: its threads sum exp(f[i] g[j] - max) and exp(...) h[i] over the keys, then reduce in
// shared memory. The maximum is known before the sum, so no second pass is needed.
__global__ void attentionKernel(const float* f, const float* g, const float* h, int size, float fMin,
                                float fMax, float* out)
{
    __shared__ float normaliser[kAttentionThreads], weighted[kAttentionThreads];
    const int j = blockIdx.x;
    const float query = g[j];
    const float largest = query >= 0 ? query * fMax : query * fMin;
    float n = 0, w = 0;
    for (int i = threadIdx.x; i < size; i += blockDim.x) {
        const float e = expf(f[i] * query - largest);
        n += e;
        w += e * h[i];
    }
    normaliser[threadIdx.x] = n;
    weighted[threadIdx.x] = w;
    __syncthreads();
    for (int stride = blockDim.x / 2; stride > 0; stride /= 2) {
        if (threadIdx.x < stride) {
            normaliser[threadIdx.x] += normaliser[threadIdx.x + stride];
            weighted[threadIdx.x] += weighted[threadIdx.x + stride];
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) out[j] = weighted[0] / normaliser[0];
}

// A device buffer of any trivially copyable type.
template <typename T> struct DeviceArray
{
    DeviceArray(const T* host, size_t count) : count(count)
    {
        check(cudaMalloc(&data, count * sizeof(T)), "cudaMalloc");
        check(cudaMemcpy(data, host, count * sizeof(T), cudaMemcpyHostToDevice), "copy to device");
    }
    ~DeviceArray() { cudaFree(data); }
    T* data = nullptr;
    size_t count;
};

__global__ void expansionKernel(const double* weighted, const double* plain, const int* bins, int binCount,
                                int terms, double fMin, double width, const float* g, int size, float* out)
{
    const int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j >= size) return;
    const double s = g[j];
    const double low = fMin + (bins[0] + 0.5) * width, high = fMin + (bins[binCount - 1] + 0.5) * width;
    const double top = s >= 0 ? s * high : s * low;
    double numerator = 0, denominator = 0;
    for (int k = 0; k < binCount; ++k) {
        const double* a = weighted + size_t(bins[k]) * terms;
        const double* z = plain + size_t(bins[k]) * terms;
        double pa = a[terms - 1], pz = z[terms - 1];
        for (int n = terms - 2; n >= 0; --n) {
            pa = pa * s + a[n];
            pz = pz * s + z[n];
        }
        const double scale = exp(s * (fMin + (bins[k] + 0.5) * width) - top);
        numerator += scale * pa;
        denominator += scale * pz;
    }
    out[j] = float(numerator / denominator);
}

} // namespace

void fullAttentionExpansion(const double* weighted, const double* plain, const int* bins, int binCount,
                            int terms, double fMin, double width, const float* g, int size, float* out)
{
    if (size <= 0 || binCount <= 0) return;
    const int lastBin = bins[binCount - 1];
    DeviceArray<double> dWeighted(weighted, size_t(lastBin + 1) * terms),
        dPlain(plain, size_t(lastBin + 1) * terms);
    DeviceArray<int> dBins(bins, binCount);
    DeviceFloats dg(g, size), dout(size);
    const int threads = 256;
    expansionKernel<<<(size + threads - 1) / threads, threads>>>(
        dWeighted.data, dPlain.data, dBins.data, binCount, terms, fMin, width, dg.data, size, dout.data);
    check(cudaGetLastError(), "attention expansion kernel launch");
    dout.copyTo(out);
}

bool deviceAvailable()
{
    int count = 0;
    return cudaGetDeviceCount(&count) == cudaSuccess && count > 0;
}

void sftModulate(const float* x, const float* gammaBeta, int batch, int channels, size_t size, float* y)
{
    const size_t total = size_t(batch) * channels * size;
    DeviceFloats dx(x, total), dgb(gammaBeta, 2 * total), dy(total);
    const int threads = 256;
    const int blocks = int(std::min<size_t>((total + threads - 1) / threads, 65535));
    sftKernel<<<blocks, threads>>>(dx.data, dgb.data, channels, size, total, dy.data);
    check(cudaGetLastError(), "SFT kernel launch");
    dy.copyTo(y);
}

void fullAttentionSpatial(const float* f, const float* g, const float* h, int size, float* out)
{
    if (size <= 0) return;
    const auto range = std::minmax_element(f, f + size);
    DeviceFloats df(f, size), dg(g, size), dh(h, size), dout(size);
    attentionKernel<<<size, kAttentionThreads>>>(df.data, dg.data, dh.data, size, *range.first, *range.second,
                                                 dout.data);
    check(cudaGetLastError(), "attention kernel launch");
    dout.copyTo(out);
}

} // namespace cuda
} // namespace desmooth
} // namespace cv
