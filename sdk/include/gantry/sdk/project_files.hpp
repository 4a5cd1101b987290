// What is never part of a project's sources (a rock part's local source, a step's input
// path for the host's step cache): gantry's build state (a `.gantry` folder at
// any depth, such as a 12-factor project's charm/.gantry), git's, and packed artifacts at
// the top (`*.rock`, `*.charm`, as rockcraft leaves out `*.rock`), including the ones being
// written (AtomicFile's `.NAME.tmp-XXXXXX`, rock-pack's `.gantry-rock-*`) by a step that
// runs beside this one, e.g. charm-pack in the default pipeline.
#pragma once

#include <string_view>

namespace gantry::sdk {

/// Whether `name`, relative to the source's root with '/' separators, is left out.
[[nodiscard]] constexpr bool left_out_of_sources(std::string_view name) {
  const auto last_slash = name.rfind('/');
  const std::string_view last =
      last_slash == std::string_view::npos ? name : name.substr(last_slash + 1);
  if (last == ".gantry") {
    return true;
  }
  if (last_slash != std::string_view::npos) {
    return false;
  }
  return name == ".git" || name.ends_with(".rock") || name.ends_with(".charm") ||
         name.starts_with(".gantry-rock-") ||
         (name.starts_with('.') && name.find(".tmp-") != std::string_view::npos);
}

}  // namespace gantry::sdk
