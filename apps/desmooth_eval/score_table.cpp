// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

#include "score_table.hpp"

#include <cmath>

namespace cv {
namespace desmooth {
namespace apps {

namespace {

/** Mean of the finite values (an identical pair's infinite PSNR would swamp the rest), NaN when none. */
double finiteMean(const std::vector<double>& values)
{
    double sum = 0;
    int count = 0;
    for (double v : values)
        if (std::isfinite(v)) {
            sum += v;
            ++count;
        }
    return count ? sum / count : std::nan("");
}

std::string formatValue(double value, const char* format)
{
    return std::isnan(value) ? "n/a" : cv::format(format, value);
}

std::string csvQuote(const std::string& text)
{
    if (text.find_first_of(",\"\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

} // namespace

void ScoreTable::addMethod(const std::string& name, long long parameters)
{
    rows_.push_back({name, parameters, {}, {}});
}

void ScoreTable::add(size_t method, const cv::desmooth::Scores& scores, double milliseconds)
{
    rows_.at(method).scores.push_back(scores);
    rows_.at(method).milliseconds.push_back(milliseconds);
}

void ScoreTable::printMarkdown(std::ostream& out) const
{
    out << "| method | SC ↓ | SSIM ↑ | PSNR ↑ | LPIPS ↓ | GMSD ↓ | BRISQUE ↓ | detail | ms/image | #params "
           "|\n"
        << "|---|---|---|---|---|---|---|---|---|---|\n";
    for (const Row& row : rows_) {
        std::vector<double> sc, ssim, psnr, lpips, gmsd, brisque, detail;
        for (const auto& s : row.scores) {
            sc.push_back(s.sc);
            ssim.push_back(s.ssim);
            psnr.push_back(s.psnr);
            lpips.push_back(s.lpips);
            gmsd.push_back(s.gmsd);
            brisque.push_back(s.brisque);
            detail.push_back(s.detail);
        }
        const std::string parameters = row.parameters < 0          ? "?"
                                       : row.parameters >= 1000000 ? cv::format("%.2fM", row.parameters / 1e6)
                                                                   : std::to_string(row.parameters);
        out << "| " << row.name << " | " << formatValue(finiteMean(sc), "%.2f") << " | "
            << formatValue(finiteMean(ssim), "%.4f") << " | " << formatValue(finiteMean(psnr), "%.2f")
            << " | " << formatValue(finiteMean(lpips), "%.4f") << " | "
            << formatValue(finiteMean(gmsd), "%.4f") << " | " << formatValue(finiteMean(brisque), "%.1f")
            << " | " << formatValue(finiteMean(detail), "%.2f") << " | "
            << formatValue(finiteMean(row.milliseconds), "%.1f") << " | " << parameters << " |\n";
    }
}

void writeCsvHeader(std::ostream& out)
{
    out << "scale,smoother,photo,method,sc,ssim,psnr,lpips,gmsd,brisque,detail,ms\n";
}

void writeCsvRow(std::ostream& out, const std::string& scale, const std::string& smoother,
                 const std::string& photo, const std::string& method, const cv::desmooth::Scores& scores,
                 double milliseconds)
{
    out << csvQuote(scale) << "," << csvQuote(smoother) << "," << csvQuote(photo) << "," << csvQuote(method)
        << "," << cv::format("%.6g", scores.sc) << "," << cv::format("%.6g", scores.ssim) << ","
        << cv::format("%.6g", scores.psnr) << "," << cv::format("%.6g", scores.lpips) << ","
        << cv::format("%.6g", scores.gmsd) << "," << cv::format("%.6g", scores.brisque) << ","
        << cv::format("%.6g", scores.detail) << "," << cv::format("%.3f", milliseconds) << "\n";
}

} // namespace apps
} // namespace desmooth
} // namespace cv
