#pragma once

namespace gantry::host {

/// The process exit codes, as the craft tools use them (sysexits.h where one applies).
enum class ExitCode : int {
  kOk = 0,
  kStepFailed = 1,
  kUsage = 64,     ///< EX_USAGE: a usage or configuration mistake
  kInternal = 70,  ///< EX_SOFTWARE: a bug in gantry
  kInterrupted = 130,
};

}  // namespace gantry::host
