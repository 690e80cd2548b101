// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#ifndef DESMOOTH_EVAL_SCORE_TABLE_HPP
#define DESMOOTH_EVAL_SCORE_TABLE_HPP

#include <opencv2/desmooth.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace cv {
namespace desmooth {
namespace apps {

/** Per-photo scores of every method, and their means as the paper's Table 1. */
class ScoreTable
{
public:
    /** Rows are methods, in this order. */
    void addMethod(const std::string& name, long long parameters);
    void add(size_t method, const cv::desmooth::Scores& scores, double milliseconds);
    /** Markdown: method | SC | SSIM | PSNR | LPIPS | GMSD | BRISQUE | detail | ms/image | #params, means over
     * the photos. */
    void printMarkdown(std::ostream& out) const;

private:
    struct Row
    {
        std::string name;
        long long parameters;
        std::vector<cv::desmooth::Scores> scores;
        std::vector<double> milliseconds;
    };
    std::vector<Row> rows_;
};

/** The CSV header `scale,smoother,photo,method,sc,ssim,psnr,lpips,gmsd,brisque,detail,ms` and one row. */
void writeCsvHeader(std::ostream& out);
void writeCsvRow(std::ostream& out, const std::string& scale, const std::string& smoother,
                 const std::string& photo, const std::string& method, const cv::desmooth::Scores& scores,
                 double milliseconds);

} // namespace apps
} // namespace desmooth
} // namespace cv

#endif
