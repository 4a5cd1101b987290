# gantry_add_plugin(NAME SOURCES src... [LINK_LIBRARIES lib...])
#
# Builds NAME.so, a step plugin the gantry host can load: a MODULE library that carries its
# own copy of the SDK and of the Protobuf runtime (the gantry::*_static archives) and exports
# exactly one symbol, the entry alias gantry_plugin_entry_v1. It imports no gantry:: or
# google:: symbol from the host, so only the C table of gantry/sdk/abi.h and serialized bytes
# cross: a plugin built by another compiler or against another SDK release cannot bind to the
# host's C++ code, and two plugins never resolve each other's symbols. gantry::sdk, ::net,
# ::oci, ::deb, ::yaml in LINK_LIBRARIES mean their static copies; libraries of step code
# that link the SDK with gantry_link_sdk() follow the plugin.
set(GANTRY_PLUGIN_VERSION_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/gantry-plugin.map)

function(gantry_add_plugin name)
  cmake_parse_arguments(arg "" "" "SOURCES;LINK_LIBRARIES" ${ARGN})
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "gantry_add_plugin(${name}): give SOURCES")
  endif()
  list(TRANSFORM arg_LINK_LIBRARIES REPLACE "^gantry::(sdk|net|oci|deb|yaml|proto)$"
                                            "gantry::\\1_static")
  add_library(${name} MODULE ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE gantry::sdk_static ${arg_LINK_LIBRARIES})
  target_compile_features(${name} PRIVATE cxx_std_20)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    GANTRY_PLUGIN ON
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS ${GANTRY_PLUGIN_VERSION_SCRIPT})
  target_link_options(${name} PRIVATE
    # Symbols from the archives (the SDK, Protobuf) stay inside the plugin...
    -Wl,--exclude-libs,ALL
    # ...and so does everything else but the entry alias.
    -Wl,--version-script=${GANTRY_PLUGIN_VERSION_SCRIPT}
    # Every reference resolved at link time: the plugin needs nothing from the host's process.
    -Wl,-z,defs
    # Only the parts of its copies that the plugin uses, only the libraries it calls.
    -Wl,--gc-sections
    -Wl,--as-needed)
endfunction()

# gantry_link_sdk(TARGET PUBLIC|PRIVATE|INTERFACE part...): links the SDK parts (sdk, net,
# oci, deb, yaml) to TARGET, a library of step code that both tests and a plugin link: what
# finally links it gets the shared gantry::<part>, and a plugin its static gantry::<part>_static.
function(gantry_link_sdk target scope)
  foreach(part IN LISTS ARGN)
    target_link_libraries(${target} ${scope}
      "$<IF:$<BOOL:$<TARGET_PROPERTY:GANTRY_PLUGIN>>,gantry::${part}_static,gantry::${part}>")
  endforeach()
endfunction()
