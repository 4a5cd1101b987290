# gantry_add_plugin(NAME SOURCES src... [LINK_LIBRARIES lib...])
#
# Builds NAME.so, a step plugin the gantry host can load: a MODULE library linked
# against the SDK, with hidden visibility so that only the plugin's entry alias is
# exported (two plugins never resolve each other's symbols).
function(gantry_add_plugin name)
  cmake_parse_arguments(arg "" "" "SOURCES;LINK_LIBRARIES" ${ARGN})
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "gantry_add_plugin(${name}): give SOURCES")
  endif()
  add_library(${name} MODULE ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE gantry::sdk ${arg_LINK_LIBRARIES})
  target_compile_features(${name} PRIVATE cxx_std_20)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
endfunction()
