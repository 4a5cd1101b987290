# The installed CMake package: find_package(gantry) gives gantry::sdk, gantry::proto, their
# static twins for plugins (gantry::sdk_static, ..., gantry::protobuf_runtime) and
# gantry_add_plugin(), which links a plugin as the bundled ones are linked.
include(CMakePackageConfigHelpers)
set(GANTRY_CMAKE_INSTALL_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/gantry)

install(EXPORT gantryTargets NAMESPACE gantry:: DESTINATION ${GANTRY_CMAKE_INSTALL_DIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/gantryConfig.cmake.in
  ${PROJECT_BINARY_DIR}/gantryConfig.cmake
  INSTALL_DESTINATION ${GANTRY_CMAKE_INSTALL_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/gantryConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/gantryConfig.cmake
  ${PROJECT_BINARY_DIR}/gantryConfigVersion.cmake
  ${CMAKE_CURRENT_LIST_DIR}/GantryPlugin.cmake
  ${CMAKE_CURRENT_LIST_DIR}/gantry-plugin.map
  DESTINATION ${GANTRY_CMAKE_INSTALL_DIR})
