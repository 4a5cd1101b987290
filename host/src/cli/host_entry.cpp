// The entry point the launcher (launcher/main.cpp) looks up in libgantry-host.so: a C
// name, so that the launcher needs neither the C++ library nor a mangled symbol.
#include "cli/app.hpp"

extern "C" __attribute__((visibility("default"))) int gantry_host_main(int argc, char** argv) {
  return gantry::host::run_cli(argc, argv);
}
