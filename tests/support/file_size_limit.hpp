#pragma once

#include <sys/resource.h>

#include <csignal>
#include <cstdint>

namespace gantry::testing {

/// While it lives, files this process writes stop growing at `bytes`, as on a disk that is
/// full: a write past it fails with EFBIG (SIGXFSZ, which would kill the process, is
/// ignored). Everything is as it was afterwards.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(std::uint64_t bytes) : handler_(std::signal(SIGXFSZ, SIG_IGN)) {
    ::getrlimit(RLIMIT_FSIZE, &previous_);
    rlimit limit = previous_;
    limit.rlim_cur = bytes;
    applied_ = ::setrlimit(RLIMIT_FSIZE, &limit) == 0;
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &previous_);
    std::signal(SIGXFSZ, handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

  /// False when the limit could not be set (the test cannot mean anything then).
  [[nodiscard]] bool applied() const { return applied_; }

 private:
  void (*handler_)(int);
  rlimit previous_{};
  bool applied_ = false;
};

}  // namespace gantry::testing
