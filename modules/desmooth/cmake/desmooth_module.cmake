# What the module's two builds share: its options, its file lists and the features wired onto its targets. The
# standalone build (the repository's CMakeLists.txt) and OpenCV's tree (ocv_* in ../CMakeLists.txt) both take
# them from here, so neither can drift from the other. Included by ../CMakeLists.txt only (OpenCV reads a module's
# CMakeLists.txt twice, in two scopes: no include guard). Results other folders use are cache entries.

get_filename_component(DESMOOTH_MODULE_DIR "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
get_filename_component(DESMOOTH_REPOSITORY_DIR "${DESMOOTH_MODULE_DIR}/../.." ABSOLUTE)
list(APPEND CMAKE_MODULE_PATH "${CMAKE_CURRENT_LIST_DIR}")

option(DESMOOTH_WITH_FFTW "Use FFTW3 (GPL-2+) for L0Smooth when found; OFF keeps the build Apache-2.0 only" ON)
# In OpenCV's tree the default follows OpenCV's WITH_CUDA; an explicit DESMOOTH_WITH_CUDA=ON builds the kernels
# without OpenCV's CUDA parts (they need only the CUDA runtime), e.g. for a static test program for a GPU machine.
set(desmooth_cuda_default ON)
if(DEFINED WITH_CUDA)
  set(desmooth_cuda_default ${WITH_CUDA})
endif()
option(DESMOOTH_WITH_CUDA "Compile the custom layers' CUDA kernels when a CUDA compiler is found" ${desmooth_cuda_default})
set(DESMOOTH_BUNDLED_MODEL "${DESMOOTH_REPOSITORY_DIR}/data/models/desmooth_restore.yml.gz" CACHE FILEPATH
    "Model file linked into the library as the default of DeSmoother::create(\"\") and recover()")
set(DESMOOTH_BUNDLED_SMOOTHER_CLASSIFIER
    "${DESMOOTH_REPOSITORY_DIR}/data/models/desmooth_smoother_classifier.yml.gz" CACHE FILEPATH
    "Smoother classifier linked into the library as classifySmoother()'s default (desmooth_train_smoother_classifier)")
# A build folder keeps the defaults it was first configured with: a default of another checkout (a build folder
# reused by a new clone, as OpenCV's tree is by scripts/check_in_opencv_tree.sh) or of lite, the default model
# before restore, would link a stale file. Such paths move to this checkout's defaults; a file the user chose
# elsewhere stays.
function(desmooth_follow_checkout variable default stale_pattern)
  if(NOT "${${variable}}" STREQUAL "${default}" AND "${${variable}}" MATCHES "${stale_pattern}")
    message(STATUS "desmooth: ${variable} was ${${variable}}, a default of another checkout or version; now "
                   "${default}")
    set_property(CACHE ${variable} PROPERTY VALUE "${default}")
  endif()
endfunction()
desmooth_follow_checkout(DESMOOTH_BUNDLED_MODEL "${DESMOOTH_REPOSITORY_DIR}/data/models/desmooth_restore.yml.gz"
                         "/data/models/desmooth_(restore|lite)\\.yml\\.gz$")
desmooth_follow_checkout(DESMOOTH_BUNDLED_SMOOTHER_CLASSIFIER
                         "${DESMOOTH_REPOSITORY_DIR}/data/models/desmooth_smoother_classifier.yml.gz"
                         "/data/models/desmooth_smoother_classifier\\.yml\\.gz$")
set(DESMOOTH_DATA_DIR "${DESMOOTH_REPOSITORY_DIR}/data" CACHE INTERNAL
    "Test photos, smoothed inputs and models of the tests and benchmarks (the repository's data/)")

file(GLOB desmooth_public_headers CONFIGURE_DEPENDS "${DESMOOTH_MODULE_DIR}/include/opencv2/*.hpp"
     "${DESMOOTH_MODULE_DIR}/include/opencv2/desmooth/*.hpp")
file(GLOB desmooth_sources CONFIGURE_DEPENDS "${DESMOOTH_MODULE_DIR}/src/*.cpp" "${DESMOOTH_MODULE_DIR}/src/*/*.cpp")
file(GLOB desmooth_private_headers CONFIGURE_DEPENDS "${DESMOOTH_MODULE_DIR}/src/*.hpp" "${DESMOOTH_MODULE_DIR}/src/*/*.hpp")
# test/cuda/ is not here: the kernels' test is its own program that needs only the CUDA runtime.
file(GLOB desmooth_test_sources CONFIGURE_DEPENDS "${DESMOOTH_MODULE_DIR}/test/*.cpp" "${DESMOOTH_MODULE_DIR}/test/*.hpp")
file(GLOB desmooth_perf_sources CONFIGURE_DEPENDS "${DESMOOTH_MODULE_DIR}/perf/*.cpp" "${DESMOOTH_MODULE_DIR}/perf/*.hpp")

set(DESMOOTH_HAVE_FFTW OFF)
if(DESMOOTH_WITH_FFTW)
  find_package(FFTW3f)
  if(FFTW3f_FOUND)
    set(DESMOOTH_HAVE_FFTW ON)
    message(STATUS "desmooth: FFTW3 (single precision, threads) found: L0Smooth uses it; binaries are GPL-2+")
  else()
    message(STATUS "desmooth: FFTW3 not found: L0Smooth uses cv::dft")
  endif()
else()
  message(STATUS "desmooth: DESMOOTH_WITH_FFTW=OFF: L0Smooth uses cv::dft")
endif()
set(DESMOOTH_HAVE_FFTW ${DESMOOTH_HAVE_FFTW} CACHE INTERNAL "Whether L0Smooth uses FFTW in this build")

# CUDA kernels of the custom layers: compiled where a CUDA compiler is found, optional everywhere.
set(DESMOOTH_HAVE_CUDA OFF)
if(DESMOOTH_WITH_CUDA)
  include(CheckLanguage)
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES 80 90) # A100, H100/H200
    endif()
    enable_language(CUDA)
    find_package(CUDAToolkit REQUIRED)
    set(DESMOOTH_HAVE_CUDA ON)
    message(STATUS "desmooth: CUDA ${CMAKE_CUDA_COMPILER_VERSION} found: building the layers' kernels for ${CMAKE_CUDA_ARCHITECTURES}")
  else()
    message(STATUS "desmooth: no CUDA compiler: CPU layers only")
  endif()
endif()

# The library's features on its target: C++17, the bundled model, FFTW, the CUDA kernels, the optional OpenCV
# modules it uses when present.
function(desmooth_configure_library target)
  set_target_properties(${target} PROPERTIES CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON)
  target_include_directories(${target} PRIVATE "${DESMOOTH_MODULE_DIR}/src")
  target_link_libraries(${target} PRIVATE ZLIB::ZLIB)
  if(EXISTS "${DESMOOTH_BUNDLED_MODEL}")
    # Linked in by src/bundled_model.cpp; a change of the file rebuilds that object.
    set_source_files_properties("${DESMOOTH_MODULE_DIR}/src/bundled_model.cpp" PROPERTIES
      COMPILE_DEFINITIONS "DESMOOTH_BUNDLED_MODEL_FILE=\"${DESMOOTH_BUNDLED_MODEL}\""
      OBJECT_DEPENDS "${DESMOOTH_BUNDLED_MODEL}")
    message(STATUS "desmooth: bundled model ${DESMOOTH_BUNDLED_MODEL}")
  else()
    message(STATUS "desmooth: no bundled model (${DESMOOTH_BUNDLED_MODEL} does not exist)")
  endif()
  if(EXISTS "${DESMOOTH_BUNDLED_SMOOTHER_CLASSIFIER}")
    set_source_files_properties("${DESMOOTH_MODULE_DIR}/src/smoother_classifier.cpp" PROPERTIES
      COMPILE_DEFINITIONS
        "DESMOOTH_BUNDLED_SMOOTHER_CLASSIFIER_FILE=\"${DESMOOTH_BUNDLED_SMOOTHER_CLASSIFIER}\""
      OBJECT_DEPENDS "${DESMOOTH_BUNDLED_SMOOTHER_CLASSIFIER}")
    message(STATUS "desmooth: bundled smoother classifier ${DESMOOTH_BUNDLED_SMOOTHER_CLASSIFIER}")
  else()
    message(STATUS "desmooth: no bundled smoother classifier "
                   "(${DESMOOTH_BUNDLED_SMOOTHER_CLASSIFIER} does not exist)")
  endif()
  if(DESMOOTH_HAVE_FFTW)
    target_compile_definitions(${target} PRIVATE DESMOOTH_HAVE_FFTW=1)
    target_link_libraries(${target} PRIVATE FFTW3::fftw3f)
  endif()
  if(DESMOOTH_HAVE_CUDA)
    if(NOT TARGET desmooth_cuda_kernels)
      # The kernels stand alone (no OpenCV), so that they and their test build on a GPU machine with only CUDA.
      # An object library: its objects go into the module itself, so that no extra target enters OpenCV's export.
      add_library(desmooth_cuda_kernels OBJECT "${DESMOOTH_MODULE_DIR}/src/cuda/desmooth_kernels.cu")
      set_target_properties(desmooth_cuda_kernels PROPERTIES POSITION_INDEPENDENT_CODE ON)
      target_include_directories(desmooth_cuda_kernels PUBLIC "${DESMOOTH_MODULE_DIR}/src/cuda")
    endif()
    target_compile_definitions(${target} PRIVATE DESMOOTH_HAVE_CUDA=1)
    target_sources(${target} PRIVATE $<TARGET_OBJECTS:desmooth_cuda_kernels>)
    target_include_directories(${target} PRIVATE "${DESMOOTH_MODULE_DIR}/src/cuda")
    target_link_libraries(${target} PRIVATE CUDA::cudart_static)
  endif()
endfunction()

# What the module's tests need on their target: internals' headers, the data folder, and the promise that a build
# with a bundled model has one (its absence is then a failure, not a skip).
function(desmooth_configure_tests target)
  set_target_properties(${target} PROPERTIES CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON)
  target_include_directories(${target} PRIVATE "${DESMOOTH_MODULE_DIR}/src" "${DESMOOTH_MODULE_DIR}/test")
  target_compile_definitions(${target} PRIVATE DESMOOTH_DATA_DIR="${DESMOOTH_DATA_DIR}")
  if(EXISTS "${DESMOOTH_BUNDLED_MODEL}")
    target_compile_definitions(${target} PRIVATE DESMOOTH_EXPECT_BUNDLED_MODEL=1)
  endif()
endfunction()
