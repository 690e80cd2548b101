# Finds what the standalone build needs. Everything comes from Debian 12 packages (scripts/setup.sh).
find_package(OpenCV 4 REQUIRED COMPONENTS core imgproc imgcodecs dnn ximgproc quality photo)
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED) # the model reader gunzips and screens files itself before cv::FileStorage parses them

# The module's own options and optional features (FFTW, CUDA, the bundled model) are found by the module itself:
# modules/desmooth/cmake/desmooth_module.cmake.

if(DESMOOTH_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
