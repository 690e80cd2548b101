// This file is part of the desmooth project, an OpenCV module.
// It is subject to the license terms in the LICENSE file found in the top-level directory
// of this distribution.

// Live de-smoothing: a camera (or a video file) in, input | recovered side by side with the frame rate, on
// screen or into a video file. --smooth-first L0-smooths each frame first, so the method can be seen working
// on any camera.
//   desmooth_webcam [--camera=0 | --video=FILE] [--model=FILE] [--smooth-first] [--output=FILE --no-window]
// Needs only OpenCV and the module (cv::CommandLineParser, as OpenCV's samples).

#include <opencv2/core/utility.hpp>
#include <opencv2/desmooth.hpp>
#include <opencv2/highgui.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace {

// What the command line asks for (its defaults are in main's keys).
struct Options
{
    int camera = 0, width = 0, height = 0, frames = 0, threads = 0, consistency = 0;
    std::string video, model, output;
    bool smoothFirst = false, noWindow = false;
    double strength = 0, lambda = 0, kappa = 0;
    double detail = -1; //!< < 0: the model's default
    double scale = 1;   //!< recover at this fraction of the frame size (the lighter setting)
};

/** Where each frame's time goes, summed over the run. */
struct StageTimes
{
    double capture = 0, smoothing = 0, recovery = 0, drawing = 0, output = 0;
    double total() const { return capture + smoothing + recovery + drawing + output; }
};

double millisecondsSince(int64 start)
{
    return 1000.0 * double(cv::getTickCount() - start) / cv::getTickFrequency();
}

cv::Mat sideBySide(const cv::Mat& input, const cv::Mat& recovered, const std::string& leftLabel, double fps)
{
    cv::Mat canvas;
    cv::hconcat(input, recovered, canvas);
    const auto label = [&](const std::string& text, cv::Point at) {
        cv::putText(canvas, text, at, cv::FONT_HERSHEY_SIMPLEX, 0.6, cv::Scalar::all(0), 3, cv::LINE_AA);
        cv::putText(canvas, text, at, cv::FONT_HERSHEY_SIMPLEX, 0.6, cv::Scalar(255, 255, 255), 1,
                    cv::LINE_AA);
    };
    label(leftLabel, cv::Point(10, 24));
    label(cv::format("recovered  %.1f fps", fps), cv::Point(input.cols + 10, 24));
    return canvas;
}

// The network at `scale` times the frame's size (INTER_AREA), and what it added, upscaled (bilinear), added
// to the full-size frame: about scale^2 of the network's time, with the detail of the smaller image.
void recoverAtScale(cv::desmooth::DeSmoother& desmoother, const cv::Mat& input, double scale,
                    cv::Mat& recovered)
{
    if (scale >= 1) {
        desmoother.recover(input, recovered);
        return;
    }
    cv::Mat small, recoveredSmall, added;
    cv::resize(input, small, cv::Size(), scale, scale, cv::INTER_AREA);
    desmoother.recover(small, recoveredSmall);
    cv::subtract(recoveredSmall, small, added, cv::noArray(), CV_32F);
    cv::resize(added, added, input.size(), 0, 0, cv::INTER_LINEAR);
    cv::add(input, added, recovered, cv::noArray(), input.depth()); // saturated to the frame's range
}

int run(const Options& o)
{
    if (o.threads > 0) cv::setNumThreads(o.threads);
    if (!o.noWindow && !std::getenv("DISPLAY") && !std::getenv("WAYLAND_DISPLAY"))
        throw std::runtime_error("no display to open a window on: pass --no-window (with --output FILE)");
    cv::VideoCapture capture;
    if (!o.video.empty()) {
        if (!std::ifstream(o.video)) throw std::runtime_error("cannot read the video file '" + o.video + "'");
        if (!capture.open(o.video)) throw std::runtime_error("cannot open the video file '" + o.video + "'");
    } else {
        if (!capture.open(o.camera)) throw std::runtime_error(cv::format("cannot open camera %d", o.camera));
        capture.set(cv::CAP_PROP_FRAME_WIDTH, o.width);
        capture.set(cv::CAP_PROP_FRAME_HEIGHT, o.height);
    }
    const cv::Ptr<cv::desmooth::DeSmoother> desmoother = cv::desmooth::DeSmoother::create(o.model);
    desmoother->setStrength(o.strength);
    if (o.detail >= 0) desmoother->setDetail(o.detail);
    const cv::Ptr<cv::desmooth::Smoother> smoother = cv::desmooth::Smoother::createL0(o.lambda, o.kappa);
    // Every frame has the same size: L0's FFT plans are measured on the first frame (not estimated, the
    // default for sizes met a few times), which pays off after a few seconds of video.
    if (o.smoothFirst) cv::desmooth::setL0FFTWPlanning(cv::desmooth::L0_FFTW_MEASURE);
    if (o.smoothFirst && o.consistency > 0) {
        // The smoother is known here: the recovery is made consistent with it (known-smoother recovery).
        desmoother->setSmoother(smoother);
        desmoother->setConsistencyIterations(o.consistency);
        // Live video: one run of steps, from the network's recovery; the steps from the frame too would
        // double the L0 calls for under 0.2 dB on L0 inputs (docs/results.md).
        desmoother->setConsistencyFromInput(false);
    }
    const std::string leftLabel = o.smoothFirst ? "L0-smoothed input" : "input";
    const double sourceFps = capture.get(cv::CAP_PROP_FPS);

    cv::VideoWriter writer;
    StageTimes times;
    // With --smooth-first the frame itself is what recovery aims at: mean PSNR to it, of the input and the
    // result.
    double inputPsnr = 0, recoveredPsnr = 0;
    int frames = 0;
    double fps = 0;
    cv::Size frameSize;
    cv::Mat frame, input, recovered;
    while (o.frames == 0 || frames < o.frames) {
        int64 start = cv::getTickCount();
        if (!capture.read(frame) || frame.empty()) break;
        frameSize = frame.size();
        times.capture += millisecondsSince(start);

        start = cv::getTickCount();
        if (o.smoothFirst)
            smoother->apply(frame, input);
        else
            input = frame;
        times.smoothing += millisecondsSince(start);

        start = cv::getTickCount();
        recoverAtScale(*desmoother, input, o.scale, recovered);
        times.recovery += millisecondsSince(start);
        if (o.smoothFirst) {
            inputPsnr += cv::desmooth::psnr(input, frame);
            recoveredPsnr += cv::desmooth::psnr(recovered, frame);
        }

        start = cv::getTickCount();
        fps = frames ? 1000.0 * frames / times.total() : 0; // over the frames so far, every stage
        const cv::Mat canvas = sideBySide(input, recovered, leftLabel, fps);
        times.drawing += millisecondsSince(start);

        start = cv::getTickCount();
        if (!o.output.empty()) {
            if (!writer.isOpened() && !writer.open(o.output, cv::VideoWriter::fourcc('M', 'J', 'P', 'G'),
                                                   sourceFps > 0 ? sourceFps : 30.0, canvas.size()))
                throw std::runtime_error("cannot write the video '" + o.output + "' (use .avi for MJPG)");
            writer.write(canvas);
        }
        if (!o.noWindow) {
            cv::imshow("desmooth_webcam: input | recovered (Esc or q quits)", canvas);
            const int key = cv::waitKey(1);
            if (key == 27 || key == 'q') {
                ++frames;
                times.output += millisecondsSince(start);
                break;
            }
        }
        times.output += millisecondsSince(start);
        ++frames;
    }
    if (frames == 0) throw std::runtime_error("no frame could be read");
    const double n = frames;
    std::cout << "frames: " << frames << " of " << frameSize.width << "x" << frameSize.height << ", model "
              << desmoother->getConfig().name << (o.smoothFirst ? ", L0-smoothed first" : "")
              << (o.scale < 1 ? cv::format(", recovered at %g of the size", o.scale) : "")
              << (desmoother->getSmoother() ? cv::format(", %d consistency steps with it", o.consistency)
                                            : "")
              << "\n"
              << cv::format(
                     "ms per frame: capture %.1f, smoothing %.1f, recovery %.1f, drawing %.1f, output %.1f; "
                     "total %.1f -> %.2f fps\n",
                     times.capture / n, times.smoothing / n, times.recovery / n, times.drawing / n,
                     times.output / n, times.total() / n, 1000.0 * n / times.total());
    if (o.smoothFirst)
        std::cout << cv::format("PSNR to the frames: L0-smoothed %.2f dB, recovered %.2f dB\n", inputPsnr / n,
                                recoveredPsnr / n);
    if (!o.output.empty()) std::cout << "written: " << o.output << "\n";
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    // L0's defaults are the library's (a '|' would end a help text).
    const cv::String keys =
        "{help h       |       | show this help}"
        "{camera       | <none>| camera index (default 0)}"
        "{video        |       | read this video file instead of a camera}"
        "{model m      |       | model file (default: the bundled model)}"
        "{smooth-first |       | L0-smooth each frame before recovering it}" +
        cv::format("{lambda | %g | with --smooth-first: L0 lambda}", cv::desmooth::L0_DEFAULT_LAMBDA) +
        cv::format("{kappa  | %g | with --smooth-first: L0 kappa}", cv::desmooth::L0_DEFAULT_KAPPA) +
        "{consistency  | 2     | with --smooth-first: consistency steps with the L0 smoother applied (known-"
        "smoother recovery from the network's recovery alone, N more L0 calls a frame; 0: blind)}"
        "{strength     | 1     | 0 = the input, 1 = full recovery}"
        "{scale        | 1     | the lighter setting: recover each frame at this fraction of its size, "
        "in (0, 1], e.g. 0.5, and add what the network added, upscaled, to the full frame (with "
        "--smooth-first the consistency steps run on the smaller frame too)}"
        "{detail       | <none>| fidelity-detail setting of a model with two ends: 0 = closest to the photo, "
        "1 = most texture (default: the model's own)}"
        "{output o     |       | write the input and the recovery side by side into this video file (MJPG "
        ".avi)}"
        "{no-window    |       | show no window (headless; use with --output)}"
        "{frames       | 0     | stop after this many frames (0: at the end)}"
        "{width        | 640   | camera frame width to ask for}"
        "{height       | 480   | camera frame height to ask for}"
        "{threads      | 0     | OpenCV threads (0: all cores)}";
    cv::CommandLineParser parser(argc, argv, keys);
    parser.about("desmooth_webcam: live de-smoothing of a camera or a video file");
    if (parser.has("help")) {
        parser.printMessage();
        return 0;
    }
    Options o;
    o.video = parser.get<std::string>("video");
    o.model = parser.get<std::string>("model");
    o.output = parser.get<std::string>("output");
    o.smoothFirst = parser.has("smooth-first");
    o.noWindow = parser.has("no-window");
    o.strength = parser.get<double>("strength");
    o.scale = parser.get<double>("scale");
    o.frames = parser.get<int>("frames");
    o.width = parser.get<int>("width");
    o.height = parser.get<int>("height");
    o.threads = parser.get<int>("threads");
    o.consistency = parser.get<int>("consistency");
    if (parser.has("camera")) o.camera = parser.get<int>("camera");
    o.lambda = parser.get<double>("lambda");
    o.kappa = parser.get<double>("kappa");
    if (parser.has("detail")) o.detail = parser.get<double>("detail");
    const char* usage = nullptr;
    if (!parser.check())
        usage = "";
    else if (!o.video.empty() && parser.has("camera"))
        usage = "give --camera or --video, not both";
    else if (o.frames < 0 || o.threads < 0 || o.consistency < 0 || o.width < 1 || o.height < 1)
        usage = "--frames, --threads and --consistency must be >= 0, --width and --height >= 1";
    else if (!(o.strength >= 0 && o.strength <= 1))
        usage = "--strength must be in [0, 1]";
    else if (!(o.scale > 0 && o.scale <= 1))
        usage = "--scale must be in (0, 1]";
    else if (parser.has("detail") && !(o.detail >= 0 && o.detail <= 1))
        usage = "--detail must be in [0, 1]";
    else if (!(o.lambda > 0) || !(o.kappa > 1))
        usage = "--lambda must be > 0 and --kappa > 1";
    else if (!o.video.empty() && !o.output.empty() && std::filesystem::exists(o.video) &&
             std::filesystem::exists(o.output) && std::filesystem::equivalent(o.video, o.output))
        usage = "--output is the --video itself: writing it would destroy the frames still to be read";
    if (usage) {
        parser.printErrors();
        if (*usage) std::cerr << "desmooth_webcam: " << usage << "\n";
        std::cerr << "usage: desmooth_webcam [--camera=N | --video=FILE] [--model=FILE] [--smooth-first] "
                     "[--output=FILE --no-window] (--help lists every option)\n";
        return 2;
    }
    try {
        return run(o);
    } catch (const cv::Exception& e) {
        std::cerr << "desmooth_webcam: " << e.err << "\n";
    } catch (const std::exception& e) {
        std::cerr << "desmooth_webcam: " << e.what() << "\n";
    }
    return 1;
}
