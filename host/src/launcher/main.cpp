// The gantry executable: a launcher that links nothing but libc. It answers `--version`
// itself and hands every other command to libgantry-host.so, so that the one command a
// script runs to probe for gantry costs an exec and no dynamic loading (a C++ start with
// gantry's 17 libraries is ~25 ms on a small VM; this is ~3 ms).
//
// The host library is found through this executable's RUNPATH ($ORIGIN/../lib installed,
// the build tree's lib/ in the build tree), the same search the dynamic linker would make.
#include <dlfcn.h>

#include <cstdio>

#include "cli/top_level.hpp"

#ifndef GANTRY_VERSION
#define GANTRY_VERSION "0.0.0"
#endif

namespace {

constexpr int kInternalError = 70;  // cli/exit_code.hpp's kInternal (EX_SOFTWARE)
constexpr const char* kHostLibrary = "libgantry-host.so";
constexpr const char* kHostEntry = "gantry_host_main";

using HostMain = int (*)(int, char**);

int fail(const char* what, const char* detail) {
  std::fprintf(stderr,
               "internal error: %s: %s\n"
               "Recommended resolution: Reinstall gantry; %s must sit in the lib directory "
               "next to the bin directory that holds this executable.\n",
               what, detail != nullptr ? detail : "unknown error", kHostLibrary);
  return kInternalError;
}

}  // namespace

int main(int argc, char** argv) {
  if (gantry::host::top_level(argc, argv).kind == gantry::host::TopLevel::kVersion) {
    std::fputs(GANTRY_VERSION "\n", stdout);
    return 0;
  }
  void* host = dlopen(kHostLibrary, RTLD_LAZY | RTLD_LOCAL);
  if (host == nullptr) {
    return fail("cannot load gantry's host library", dlerror());
  }
  // POSIX guarantees that a function pointer round-trips through dlsym's void*.
  const auto host_main = reinterpret_cast<HostMain>(dlsym(host, kHostEntry));
  if (host_main == nullptr) {
    return fail("gantry's host library has no entry point", dlerror());
  }
  return host_main(argc, argv);
}
