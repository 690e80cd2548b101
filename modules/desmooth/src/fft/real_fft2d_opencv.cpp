// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "../precomp.hpp"

#include "real_fft2d.hpp"

namespace cv {
namespace desmooth {
namespace detail {

namespace {

// cv::dft of a real matrix gives OpenCV's packed "CCS" spectrum of rows*cols floats. Its layout (see
// cv::dft): column 0 (and column cols-1 when cols is even) packs the frequencies kx = 0 (and cols/2) down the
// rows as Re(0), Re(1), Im(1), Re(2), Im(2), ..., so row r holds ky = (r + 1) / 2; the columns between hold
// Re, Im pairs of kx = (c + 1) / 2 with ky = r.
class OpenCVRealFFT2D CV_FINAL : public RealFFT2D
{
public:
    OpenCVRealFFT2D(int rows, int cols, int planes) : RealFFT2D(rows, cols, planes, cols, size_t(rows) * cols)
    {
    }

    void forward(float* plane) const CV_OVERRIDE { transform(plane, 0); }
    void inverse(float* plane) const CV_OVERRIDE { transform(plane, DFT_INVERSE | DFT_REAL_OUTPUT); }
    bool threadedInside() const CV_OVERRIDE { return false; }

    void transform(float* data, int flags) const
    {
        Mat plane(rows(), cols(), CV_32F, data);
        dft(plane, plane, flags);
    }

    void spreadWeights(const Mat& halfPlane, float* spectrum) const CV_OVERRIDE
    {
        CV_Assert(halfPlane.type() == CV_32F && halfPlane.rows == rows() && halfPlane.cols == cols() / 2 + 1);
        const int lastPackedColumn = (cols() % 2 == 0 && cols() > 1) ? cols() - 1 : -1;
        for (int r = 0; r < rows(); ++r) {
            float* row = spectrum + size_t(r) * cols();
            const int packedKy = (r + 1) / 2;
            row[0] = halfPlane.at<float>(packedKy, 0);
            for (int c = 1; c < cols(); ++c)
                row[c] = c == lastPackedColumn ? halfPlane.at<float>(packedKy, cols() / 2)
                                               : halfPlane.at<float>(r, (c + 1) / 2);
        }
    }
};

} // namespace

Ptr<RealFFT2D> createOpenCVRealFFT2D(int rows, int cols, int planes)
{
    CV_Assert(rows > 0 && cols > 0 && planes > 0);
    if (needsChirpRealFFT2D(rows, cols)) return createChirpRealFFT2D(rows, cols, planes);
    return makePtr<OpenCVRealFFT2D>(rows, cols, planes);
}

} // namespace detail
} // namespace desmooth
} // namespace cv
