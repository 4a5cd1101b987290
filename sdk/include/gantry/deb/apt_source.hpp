#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gantry/deb/apt_config.hpp"
#include "gantry/sdk/error.hpp"

namespace gantry::deb {

/// One repository to read binary packages from: a URI and a suite, with the components
/// to read and how to check its signature. A deb822 stanza with several URIs or suites
/// gives one AptSource per pair.
struct AptSource {
  std::string uri;                              ///< http://, https:// or file:, without a final '/'
  std::string suite;                            ///< "bookworm", or a path ending in '/' (flat)
  std::vector<std::string> components;          ///< empty for a flat repository
  std::vector<std::filesystem::path> keyrings;  ///< Signed-By files; empty: apt's trusted keys
  std::string inline_key;                  ///< a Signed-By armored key block, when given inline
  bool trusted = false;                    ///< [trusted=yes]: accept it unsigned
  std::vector<std::string> architectures;  ///< arch= / Architectures:; empty: any
  /// check-valid-until= / Check-Valid-Until:, whether an expired Release is refused;
  /// unset: Acquire::Check-Valid-Until decides (default yes).
  std::optional<bool> check_valid_until;
  /// check-date= / Check-Date:, whether the Release's dates are checked at all (apt skips
  /// Valid-Until too when not); unset: Acquire::Check-Date decides (default yes).
  std::optional<bool> check_date;
  SourcePosition position;  ///< where the user wrote it

  [[nodiscard]] bool flat() const { return components.empty(); }
  /// The URL of the directory holding InRelease/Release, with a final '/'.
  [[nodiscard]] std::string release_base() const;
  /// release_base() without "user:password@", for messages and logs.
  [[nodiscard]] std::string display_base() const;
  /// "URI SUITE" as apt prints it in messages.
  [[nodiscard]] std::string label() const;
};

/// Parses sources in the one-line format (sources.list). Throws DebError with file:line.
[[nodiscard]] std::vector<AptSource> parse_one_line_sources(const std::string& text,
                                                            const std::string& file);
/// Parses sources in the deb822 format (*.sources). Throws DebError with file:line.
[[nodiscard]] std::vector<AptSource> parse_deb822_sources(const std::string& text,
                                                          const std::string& file);
/// Reads a sources file, choosing the format by its name (.sources is deb822) or, for
/// any other name, by its content.
[[nodiscard]] std::vector<AptSource> load_sources_file(const std::filesystem::path& file);
/// The machine's apt configuration under `etc_apt`: sources.list, then
/// sources.list.d/*.list and *.sources in name order (other names are ignored, as apt does).
[[nodiscard]] std::vector<AptSource> load_system_sources(
    const std::filesystem::path& etc_apt = apt_etc_directory());

/// The keyrings apt trusts for a source without Signed-By.
[[nodiscard]] std::vector<std::filesystem::path> default_keyrings(
    const std::filesystem::path& etc_apt = apt_etc_directory());

}  // namespace gantry::deb
