#include "report/verbosity.hpp"

namespace gantry::host {

std::optional<Verbosity> parse_verbosity(std::string_view text) {
  if (text == "quiet") {
    return Verbosity::kQuiet;
  }
  if (text == "brief") {
    return Verbosity::kBrief;
  }
  if (text == "verbose") {
    return Verbosity::kVerbose;
  }
  if (text == "debug") {
    return Verbosity::kDebug;
  }
  if (text == "trace") {
    return Verbosity::kTrace;
  }
  return std::nullopt;
}

bool shows(Verbosity verbosity, v1::LogLevel level) {
  switch (verbosity) {
    case Verbosity::kQuiet:
      return level >= v1::LOG_LEVEL_WARNING;
    case Verbosity::kBrief:
    case Verbosity::kVerbose:
      return level >= v1::LOG_LEVEL_INFO || level == v1::LOG_LEVEL_UNSPECIFIED;
    case Verbosity::kDebug:
      return level >= v1::LOG_LEVEL_DEBUG || level == v1::LOG_LEVEL_UNSPECIFIED;
    case Verbosity::kTrace:
      return true;
  }
  return true;
}

}  // namespace gantry::host
