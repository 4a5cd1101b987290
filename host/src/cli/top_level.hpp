#pragma once

#include <string_view>

namespace gantry::host {

/// What a command line asks for before its command: `--version` and the top-level
/// `--help` need no plugin loaded, so they load none; a command is named by the first word
/// that is not an option, and only that step's command line is built. Header-only and free
/// of the C++ library's symbols, because the launcher (launcher/main.cpp) answers
/// `--version` with it before it loads anything.
struct TopLevel {
  enum Kind { kVersion, kHelp, kCommand };
  Kind kind = kCommand;
  std::string_view command;  // empty when there is none
};

inline TopLevel top_level(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--version") {
      return {TopLevel::kVersion, {}};
    }
    if (arg == "-h" || arg == "--help") {
      return {TopLevel::kHelp, {}};
    }
    if (arg == "--verbosity" || arg == "--output") {
      ++i;  // their value
    } else if (arg.empty() || arg[0] != '-') {
      return {TopLevel::kCommand, arg};
    }
  }
  return {TopLevel::kCommand, {}};
}

}  // namespace gantry::host
