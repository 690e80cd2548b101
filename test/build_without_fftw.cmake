# Configures SOURCE_DIR with DESMOOTH_WITH_FFTW=OFF and no bundled model into WORK_DIR, builds the module's tests,
# runs them: the Apache-2.0-only build, and the build without a default model (its clear error is tested there).
# INITIAL_CACHE: the main build's compiler launchers, as an initial cache file (test/CMakeLists.txt).
include(${CMAKE_CURRENT_LIST_DIR}/run_or_fail.cmake)
run(${CMAKE_COMMAND} -C ${INITIAL_CACHE} -S ${SOURCE_DIR} -B ${WORK_DIR} -DCMAKE_BUILD_TYPE=Release
    -DDESMOOTH_WITH_FFTW=OFF -DDESMOOTH_BUILD_SAMPLES=OFF -DDESMOOTH_BUILD_BENCH=OFF -DDESMOOTH_BUILD_APPS=OFF
    -DDESMOOTH_BUILD_TRAINING=OFF -DDESMOOTH_BUNDLED_MODEL=none)
cmake_host_system_information(RESULT cores QUERY NUMBER_OF_PHYSICAL_CORES)
run(${CMAKE_COMMAND} --build ${WORK_DIR} --target opencv_test_desmooth -j ${cores})
run(${WORK_DIR}/bin/opencv_test_desmooth --gtest_brief=1)
