// The gantry executable: a launcher that links nothing but libc. It answers `--version`
// itself and hands every other command to libgantry-host.so, so that the one command a
// script runs to probe for gantry costs an exec and no dynamic loading (a C++ start with
// gantry's 17 libraries is ~25 ms on a small VM; this is ~3 ms).
//
// The host library is the one beside this executable (<prefix>/bin/gantry ->
// <prefix>/lib/libgantry-host.so, in the build tree as installed), loaded by its path:
// dlopen's RUNPATH search is the calling object's, and under a sanitizer the caller is the
// sanitizer's dlopen interceptor, not this executable. By path, the library that runs is
// also the one of the version printed. Only when there is none beside it is the name
// searched for (LD_LIBRARY_PATH, this executable's RUNPATH, the system's directories).
#include <dlfcn.h>
#include <limits.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "cli/top_level.hpp"

#ifndef GANTRY_VERSION
#define GANTRY_VERSION "0.0.0"
#endif
#ifndef GANTRY_LIBDIR
#define GANTRY_LIBDIR "lib"
#endif

// Under a sanitizer the process must exit normally: LeakSanitizer checks at exit.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(__SANITIZE_HWADDRESS__)
#define GANTRY_CHECKS_AT_EXIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer) || __has_feature(leak_sanitizer) ||    \
    __has_feature(hwaddress_sanitizer)
#define GANTRY_CHECKS_AT_EXIT 1
#endif
#endif
#ifndef GANTRY_CHECKS_AT_EXIT
#define GANTRY_CHECKS_AT_EXIT 0
#endif

namespace {

constexpr int kInternalError = 70;  // cli/exit_code.hpp's kInternal (EX_SOFTWARE)
constexpr const char* kHostLibrary = "libgantry-host.so";
constexpr const char* kHostEntry = "gantry_host_main";

using HostMain = int (*)(int, char**);

int fail(const char* what, const char* detail) {
  std::fprintf(stderr,
               "internal error: %s: %s\n"
               "Recommended resolution: Reinstall gantry; %s must sit in the " GANTRY_LIBDIR
               " directory next to the bin directory that holds this executable.\n",
               what, detail != nullptr ? detail : "unknown error", kHostLibrary);
  return kInternalError;
}

/// <directory of this executable>/../GANTRY_LIBDIR/libgantry-host.so into `path`; false
/// when the executable's path cannot be read or is too long.
bool host_library_beside(char (&path)[PATH_MAX]) {
  char executable[PATH_MAX];
  const auto length = ::readlink("/proc/self/exe", executable, sizeof executable - 1);
  if (length <= 0) {
    return false;
  }
  executable[length] = '\0';
  char* const slash = std::strrchr(executable, '/');
  if (slash == nullptr) {
    return false;
  }
  *slash = '\0';
  const int written =
      std::snprintf(path, sizeof path, "%s/../%s/%s", executable, GANTRY_LIBDIR, kHostLibrary);
  return written > 0 && static_cast<std::size_t>(written) < sizeof path;
}

}  // namespace

int main(int argc, char** argv) {
  if (gantry::host::top_level(argc, argv).kind == gantry::host::TopLevel::kVersion) {
    std::fputs(GANTRY_VERSION "\n", stdout);
    return 0;
  }
  char beside[PATH_MAX];
  void* host = nullptr;
  if (host_library_beside(beside) && ::access(beside, F_OK) == 0) {
    host = dlopen(beside, RTLD_LAZY | RTLD_LOCAL);
  } else {
    host = dlopen(kHostLibrary, RTLD_LAZY | RTLD_LOCAL);
  }
  if (host == nullptr) {
    return fail("cannot load gantry's host library", dlerror());
  }
  // POSIX guarantees that a function pointer round-trips through dlsym's void*.
  const auto host_main = reinterpret_cast<HostMain>(dlsym(host, kHostEntry));
  if (host_main == nullptr) {
    return fail("gantry's host library has no entry point", dlerror());
  }
  const int status = host_main(argc, argv);
#if !GANTRY_CHECKS_AT_EXIT
  // Nothing of the host's is left to run: its commands have written and closed what they
  // write by the time they return. Ending here skips unmapping and finalizing 11
  // libraries one by one (~0.4 ms of every command); the kernel frees them at once.
  std::fflush(nullptr);
  ::_exit(status);
#else
  return status;  // a sanitizer's leak check runs at exit
#endif
}
