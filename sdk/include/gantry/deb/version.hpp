#pragma once

#include <string_view>

namespace gantry::deb {

/// Compares two Debian versions ([epoch:]upstream[-revision]) as dpkg does (deb-version(7)):
/// epochs numerically, then upstream and revision by alternating non-digit parts (letters
/// before non-letters, '~' before everything, even the end) and numeric parts.
/// Returns <0, 0 or >0.
[[nodiscard]] int compare_versions(std::string_view a, std::string_view b);

/// Whether `version` is a well-formed Debian version (what dpkg accepts).
[[nodiscard]] bool is_valid_version(std::string_view version);

}  // namespace gantry::deb
