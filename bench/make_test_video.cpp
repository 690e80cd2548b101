// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// Writes a video that pans across a photo (MJPG .avi, OpenCV's own encoder), or reports a video's frame count
// and size: the webcam sample's test input and checker, and its benchmark's input.
//   desmooth_make_test_video --photo P --out FILE.avi [--frames 30] [--width 640] [--height 480]
//   desmooth_make_test_video --probe FILE.avi      -> "frames N size WxH"

#include "command_line.hpp"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <iostream>

namespace po = boost::program_options;

int main(int argc, char** argv)
{
    std::string photoPath, out, probe;
    int frames = 30, width = 640, height = 480;
    po::options_description options("desmooth_make_test_video: a panning video of a photo, or probe a video");
    // One statement per option, so that each help text stays beside its option.
    po::options_description_easy_init add = options.add_options();
    add("help,h", "show this help");
    add("photo", po::value(&photoPath), "photo to pan across");
    add("out", po::value(&out), "video to write (.avi)");
    add("frames", po::value(&frames)->default_value(frames), "frames to write");
    add("width", po::value(&width)->default_value(width), "frame width");
    add("height", po::value(&height)->default_value(height), "frame height");
    add("probe", po::value(&probe), "print the frame count and size of this video, then exit");
    const auto code = cv::desmooth::apps::parseCommandLine(
        argc, argv, "desmooth_make_test_video", options, [&](const po::variables_map& vm) {
            if (!vm.count("probe") && (photoPath.empty() || out.empty()))
                throw po::error("give --photo and --out, or --probe");
            if (frames < 1 || width < 16 || height < 16)
                throw po::error("--frames >= 1, --width and --height >= 16");
        });
    if (code) return *code;
    if (!probe.empty()) {
        cv::VideoCapture capture(probe);
        if (!capture.isOpened()) {
            std::cerr << "desmooth_make_test_video: cannot open '" << probe << "'\n";
            return 1;
        }
        int count = 0;
        cv::Size size;
        for (cv::Mat frame; capture.read(frame) && !frame.empty(); ++count)
            size = frame.size();
        std::cout << "frames " << count << " size " << size.width << "x" << size.height << "\n";
        return 0;
    }
    cv::Mat photo = cv::imread(photoPath, cv::IMREAD_COLOR);
    if (photo.empty()) {
        std::cerr << "desmooth_make_test_video: cannot read '" << photoPath << "'\n";
        return 1;
    }
    // Big enough to pan across: a frame and a fifth in each direction.
    const double scale = std::max(1.2 * width / photo.cols, 1.2 * height / photo.rows);
    cv::resize(photo, photo, cv::Size(), scale, scale, cv::INTER_CUBIC);
    cv::VideoWriter writer(out, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'), 30.0, cv::Size(width, height));
    if (!writer.isOpened()) {
        std::cerr << "desmooth_make_test_video: cannot write '" << out << "'\n";
        return 1;
    }
    for (int i = 0; i < frames; ++i) {
        const double t = frames > 1 ? double(i) / (frames - 1) : 0;
        const int x = int(t * (photo.cols - width)), y = int(t * (photo.rows - height));
        // A continuous copy: given a region of the larger image, OpenCV 4.6's MJPEG writer crashed now and
        // then (in a memcpy inside VideoWriter::write; about one run in eight); with copies it did not in 30
        // runs.
        writer.write(photo(cv::Rect(x, y, width, height)).clone());
    }
    std::cout << "wrote " << out << ": " << frames << " frames of " << width << "x" << height << "\n";
    return 0;
}
