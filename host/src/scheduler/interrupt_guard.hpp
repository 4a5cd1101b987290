#pragma once

#include <csignal>

namespace gantry::host {

/// While it lives, SIGINT and SIGTERM set a flag instead of killing the process, so a
/// run can cancel its steps and report before it exits with 130; a second signal exits
/// with 130 at once. A signal handler can
/// only reach static storage, which is why the flag is process-wide; this guard owns it
/// and restores the previous handlers when it goes. Create at most one at a time.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  /// True once SIGINT or SIGTERM arrived while a guard was installed.
  [[nodiscard]] static bool interrupted();

 private:
  struct sigaction previous_int_ {};
  struct sigaction previous_term_ {};
};

}  // namespace gantry::host
