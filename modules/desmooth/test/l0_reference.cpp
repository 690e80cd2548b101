// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "l0_reference.hpp"

#include <opencv2/desmooth.hpp>

#include <vector>

namespace opencv_test {

using namespace cv;

namespace {

// The circular forward difference as an N x N matrix over row-major pixels: (D s)(p) = s(neighbour(p)) -
// s(p).
Mat circularDifference(int rows, int cols, bool horizontal)
{
    const int n = rows * cols;
    Mat d = Mat::zeros(n, n, CV_64F);
    for (int y = 0; y < rows; ++y)
        for (int x = 0; x < cols; ++x) {
            const int p = y * cols + x;
            const int q = horizontal ? y * cols + (x + 1) % cols : ((y + 1) % rows) * cols + x;
            d.at<double>(p, q) += 1;
            d.at<double>(p, p) -= 1;
        }
    return d;
}

} // namespace

Mat referenceL0Smooth(const Mat& image, double lambda, double kappa, int border)
{
    CV_Assert(image.depth() == CV_64F);
    const int rows = image.rows, cols = image.cols, cn = image.channels(), n = rows * cols;
    const bool circular = border == desmooth::L0_BORDER_CIRCULAR;

    // Pixels as the rows of an N x cn matrix.
    Mat input = image.clone().reshape(1, n);
    Mat s = input.clone();

    // Both modes solve with the circular Laplacian on the left (Xu et al.'s denominator; ximgproc uses it
    // too).
    const Mat dx = circularDifference(rows, cols, true), dy = circularDifference(rows, cols, false);
    const Mat laplacian = dx.t() * dx + dy.t() * dy;

    for (double beta = 2 * lambda; beta < 1e5; beta *= kappa) {
        // h-v subproblem: forward differences, hard-thresholded on the energy summed over channels.
        Mat h(n, cn, CV_64F), v(n, cn, CV_64F);
        for (int y = 0; y < rows; ++y)
            for (int x = 0; x < cols; ++x) {
                const int p = y * cols + x;
                const int right = circular ? y * cols + (x + 1) % cols : (x + 1 < cols ? p + 1 : p);
                const int down = circular ? ((y + 1) % rows) * cols + x : (y + 1 < rows ? p + cols : p);
                double energy = 0;
                for (int c = 0; c < cn; ++c) {
                    h.at<double>(p, c) = s.at<double>(right, c) - s.at<double>(p, c);
                    v.at<double>(p, c) = s.at<double>(down, c) - s.at<double>(p, c);
                    energy +=
                        h.at<double>(p, c) * h.at<double>(p, c) + v.at<double>(p, c) * v.at<double>(p, c);
                }
                const bool keep = circular ? energy >= lambda / beta : energy > lambda / beta;
                if (!keep)
                    for (int c = 0; c < cn; ++c)
                        h.at<double>(p, c) = v.at<double>(p, c) = 0;
            }

        // S subproblem: (1 + beta L) S = I + beta g, g the adjoint differences of (h, v).
        Mat g;
        if (circular) {
            g = dx.t() * h + dy.t() * v;
        } else {
            // ximgproc: filter2D with [1, -1], anchor at the second tap, BORDER_REFLECT_101: g = h(x-1) -
            // h(x), h(-1) = h(1); likewise down the columns.
            g = Mat::zeros(n, cn, CV_64F);
            for (int y = 0; y < rows; ++y)
                for (int x = 0; x < cols; ++x) {
                    const int p = y * cols + x;
                    const int left = x > 0 ? p - 1 : (cols > 1 ? p + 1 : p);
                    const int up = y > 0 ? p - cols : (rows > 1 ? p + cols : p);
                    for (int c = 0; c < cn; ++c)
                        g.at<double>(p, c) = h.at<double>(left, c) - h.at<double>(p, c) +
                                             v.at<double>(up, c) - v.at<double>(p, c);
                }
        }
        const Mat system = Mat::eye(n, n, CV_64F) + beta * laplacian;
        solve(system, input + beta * g, s, DECOMP_CHOLESKY);
    }
    return s.reshape(cn, rows);
}

} // namespace opencv_test
