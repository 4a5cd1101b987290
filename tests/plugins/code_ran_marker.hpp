// A static constructor that leaves a mark when the library's code runs in a process: the
// environment variable GANTRY_TEST_PLUGIN_CODE_RAN names the plugin, and a line on stderr
// says so. Tests check it to tell a library refused from its file from one that was loaded.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace gantry_test_plugin {

struct CodeRanMarker {
  explicit CodeRanMarker(const char* plugin) {
    ::setenv("GANTRY_TEST_PLUGIN_CODE_RAN", plugin, 1);
    std::fprintf(stderr, "%s: the plugin's static constructor ran\n", plugin);
  }
};

}  // namespace gantry_test_plugin
