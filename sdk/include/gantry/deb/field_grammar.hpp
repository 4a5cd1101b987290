#pragma once

#include <string_view>

namespace gantry::deb {

/// Debian policy 5.6.1, as dpkg enforces it: lower-case letters, digits, '+', '-', '.',
/// the first alphanumeric (policy's two-character minimum is not dpkg's). A name from an index
/// becomes a file name (var/lib/dpkg/status.d/NAME), so nothing else may pass.
[[nodiscard]] bool is_package_name(std::string_view text);
/// Debian policy 5.6.12: [epoch:]upstream[-revision], the epoch digits, the rest of
/// letters, digits and ".+~-:"; no spaces or slashes.
[[nodiscard]] bool is_package_version(std::string_view text);
/// A Debian architecture name ("amd64", "arm64", "all", "musl-linux-amd64").
[[nodiscard]] bool is_architecture(std::string_view text);
/// Exactly `digits` lower-case hexadecimal digits (64 for SHA256).
[[nodiscard]] bool is_lower_hex(std::string_view text, std::size_t digits);
/// A repository-relative file name without ".." components or a leading '/'.
[[nodiscard]] bool is_relative_file_name(std::string_view text);

}  // namespace gantry::deb
