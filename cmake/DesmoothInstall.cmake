# `cmake --install` puts the library, its headers and desmoothConfig.cmake under the prefix, so that another
# project's find_package(desmooth) gives it the target desmooth::opencv_desmooth.
include(CMakePackageConfigHelpers)
set(DESMOOTH_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/desmooth)

install(TARGETS opencv_desmooth EXPORT desmoothTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/modules/desmooth/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT desmoothTargets NAMESPACE desmooth:: DESTINATION ${DESMOOTH_CMAKE_DIR})

configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/desmoothConfig.cmake.in
  ${CMAKE_BINARY_DIR}/desmoothConfig.cmake INSTALL_DESTINATION ${DESMOOTH_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/desmoothConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/desmoothConfig.cmake ${CMAKE_BINARY_DIR}/desmoothConfigVersion.cmake
  DESTINATION ${DESMOOTH_CMAKE_DIR})
