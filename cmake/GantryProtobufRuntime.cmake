# gantry_protobuf_runtime (libgantry-protobuf-runtime.a, gantry::protobuf_runtime): the
# Protobuf runtime that every plugin carries inside itself, so that a plugin imports nothing
# from the host's libprotobuf and the host's Protobuf version is not the plugin's.
#
# Debian's own libprotobuf.a and libprotobuf-lite.a cannot be linked into a shared object:
# they are built as position-independent executables' code, and arena.o reaches its
# thread_local cache with local-exec TLS (R_X86_64_TPOFF32), which ld refuses in a shared
# object. So this builds the same release from Debian's source package (fetched by
# scripts/fetch-protobuf-source unless GANTRY_PROTOBUF_SOURCE_DIR names one), with -fPIC and
# hidden visibility. The lite runtime, as the host has: gantry.v1 is generated for it
# (optimize_for = LITE_RUNTIME), and the SDK's objects, compiled once, go both into the
# host's shared SDK and into the plugins. Reflection, JSON and text format are not in it; a
# plugin that reaches for them fails to link (gantry_add_plugin links with -z defs).
set(GANTRY_PROTOBUF_SOURCE_DIR "" CACHE PATH
    "Debian's source of the host's Protobuf release (empty: fetch it into the build tree)")

if(NOT GANTRY_PROTOBUF_SOURCE_DIR)
  execute_process(
    COMMAND ${PROJECT_SOURCE_DIR}/scripts/fetch-protobuf-source ${PROJECT_BINARY_DIR}/_deps
    OUTPUT_VARIABLE fetched OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE fetch_result)
  if(NOT fetch_result EQUAL 0)
    message(FATAL_ERROR "scripts/fetch-protobuf-source failed (${fetch_result}); set "
                        "GANTRY_PROTOBUF_SOURCE_DIR to an unpacked source of Protobuf "
                        "${Protobuf_VERSION}")
  endif()
  set(GANTRY_PROTOBUF_SOURCE_DIR ${fetched} CACHE PATH
      "Debian's source of the host's Protobuf release (empty: fetch it into the build tree)"
      FORCE)
endif()

# The runtime must be the release whose headers the SDK and the generated code compile with.
set(protobuf_src ${GANTRY_PROTOBUF_SOURCE_DIR}/src)
file(STRINGS ${protobuf_src}/google/protobuf/stubs/common.h runtime_version_line
     REGEX "^#define GOOGLE_PROTOBUF_VERSION [0-9]+")
file(STRINGS ${Protobuf_INCLUDE_DIR}/google/protobuf/stubs/common.h host_version_line
     REGEX "^#define GOOGLE_PROTOBUF_VERSION [0-9]+")
if(NOT runtime_version_line OR NOT runtime_version_line STREQUAL host_version_line)
  message(FATAL_ERROR "${GANTRY_PROTOBUF_SOURCE_DIR} is not the Protobuf release of "
                      "${Protobuf_INCLUDE_DIR} ('${runtime_version_line}' against "
                      "'${host_version_line}')")
endif()

set(runtime_sources)
set(runtime_headers)
foreach(list_file libprotobuf-lite.cmake)
  file(STRINGS ${GANTRY_PROTOBUF_SOURCE_DIR}/cmake/${list_file} lines
       REGEX "^ *\\\${protobuf_SOURCE_DIR}/src/google/protobuf/.*\\.(cc|h)$")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^ *\\\${protobuf_SOURCE_DIR}/src/" "" relative "${line}")
    if(relative MATCHES "^google/protobuf/(util|compiler)/|gzip_stream|io_win32")
      continue()
    elseif(relative MATCHES "\\.cc$")
      list(APPEND runtime_sources ${protobuf_src}/${relative})
    else()
      list(APPEND runtime_headers ${relative})
    endif()
  endforeach()
endforeach()
list(LENGTH runtime_sources runtime_source_count)
if(runtime_source_count LESS 20)
  message(FATAL_ERROR "found only ${runtime_source_count} Protobuf runtime sources in "
                      "${GANTRY_PROTOBUF_SOURCE_DIR}/cmake")
endif()

add_library(gantry_protobuf_runtime STATIC ${runtime_sources})
add_library(gantry::protobuf_runtime ALIAS gantry_protobuf_runtime)
set_target_properties(gantry_protobuf_runtime PROPERTIES
  OUTPUT_NAME gantry-protobuf-runtime
  EXPORT_NAME protobuf_runtime
  POSITION_INDEPENDENT_CODE ON
  CXX_VISIBILITY_PRESET hidden
  VISIBILITY_INLINES_HIDDEN ON)
target_compile_definitions(gantry_protobuf_runtime PRIVATE HAVE_PTHREAD GOOGLE_PROTOBUF_CMAKE_BUILD)
# Third-party code: its own warnings are not this project's to fix, and like Debian's
# libprotobuf it comes without debug information (with it, each plugin grows by ~25 MB).
# One section per function and object, so that a plugin's --gc-sections keeps only the
# parts of the runtime it uses.
target_compile_options(gantry_protobuf_runtime PRIVATE -w -g0 -ffunction-sections
                                                       -fdata-sections)
# Its headers come with it, installed in include/gantry/protobuf: a plugin built against
# the installed SDK compiles against the runtime it links, whatever Protobuf its own system
# has (the generated gantry.v1 headers need this release's).
set(runtime_include_dir ${CMAKE_INSTALL_INCLUDEDIR}/gantry/protobuf)
target_include_directories(gantry_protobuf_runtime SYSTEM PUBLIC
  $<BUILD_INTERFACE:${protobuf_src}>
  $<INSTALL_INTERFACE:${runtime_include_dir}>)
target_link_libraries(gantry_protobuf_runtime PUBLIC Threads::Threads)
install(TARGETS gantry_protobuf_runtime EXPORT gantryTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
list(APPEND runtime_headers google/protobuf/port_def.inc google/protobuf/port_undef.inc)
foreach(header IN LISTS runtime_headers)
  get_filename_component(header_dir ${header} DIRECTORY)
  install(FILES ${protobuf_src}/${header} DESTINATION ${runtime_include_dir}/${header_dir})
endforeach()
