#pragma once

#include <sys/types.h>

#include <string>

namespace gantry::testing {

/// The report AddressSanitizer or LeakSanitizer wrote for process `pid`, or "" when it
/// wrote none. Under the asan preset, ASAN_OPTIONS carries `log_path=PREFIX`, so every
/// instrumented process, however deep, writes its reports to PREFIX.PID instead of a stderr
/// that a test may discard or even expect to fail; without log_path this is always "".
/// (GCC's UBSan runtime, a library of its own beside ASan's, ignores log_path and reports on
/// stderr; like the others, it then aborts the program.)
std::string sanitizer_report(pid_t pid);

}  // namespace gantry::testing
