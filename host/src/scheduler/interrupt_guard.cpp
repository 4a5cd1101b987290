#include "scheduler/interrupt_guard.hpp"

#include <unistd.h>

#include <atomic>

namespace gantry::host {
namespace {

// Lock-free, so the handler may write it (async-signal-safe).
std::atomic<bool> interrupt_flag{false};
static_assert(std::atomic<bool>::is_always_lock_free);

// The first SIGINT or SIGTERM asks the run to stop cleanly; a second one means the user
// will not wait for that: exit at once with 130, as shells report an interrupt.
extern "C" void on_interrupt(int /*signal*/) {
  if (interrupt_flag.exchange(true)) {
    static constexpr char kMessage[] = "\ngantry: interrupted again; exiting now\n";
    (void)!::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    ::_exit(130);
  }
}

}  // namespace

InterruptGuard::InterruptGuard() {
  interrupt_flag.store(false);
  struct sigaction action {};
  action.sa_handler = &on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, &previous_int_);
  sigaction(SIGTERM, &action, &previous_term_);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &previous_int_, nullptr);
  sigaction(SIGTERM, &previous_term_, nullptr);
}

bool InterruptGuard::interrupted() { return interrupt_flag.load(); }

}  // namespace gantry::host
