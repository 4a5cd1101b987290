#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace gantry::deb {

/// apt's boolean words, any case (apt's StringToBool): 1, yes, true, with, on, enable;
/// 0, no, false, without, off, disable. nullopt for anything else.
[[nodiscard]] std::optional<bool> parse_apt_bool(std::string_view text);

/// apt's configuration (apt.conf(5)) as flat names ("Acquire::Check-Valid-Until") and
/// values. Names compare ignoring case, as apt's do; a later setting replaces an earlier
/// one. Values without a name (list items such as APT::NeverAutoRemove's) are read but
/// not kept: nothing gantry reads is a list.
class AptConfig {
 public:
  /// Reads apt.conf syntax on top of what is set: `A::B "v";`, `A { B "v"; };`, `//`,
  /// `/* */` and `#` comments, `#clear` and `#include`. Throws DebError with
  /// `origin`:line on the syntax errors apt refuses too.
  void read(std::string_view text, const std::string& origin);
  /// Reads a file. Throws DebError when it cannot be read.
  void read_file(const std::filesystem::path& file);
  /// Reads the files of a directory such as apt.conf.d in apt's order: by name, skipping
  /// hidden files, names with an extension other than ".conf", and names with characters
  /// other than letters, digits, '_', '-', ':' and '.' (so "x.disabled", "x.dpkg-old"
  /// and "x~" are skipped). A missing directory is skipped.
  void read_directory(const std::filesystem::path& directory);

  void set(std::string_view name, std::string value);
  /// Forgets `name` and everything under it (apt's #clear).
  void clear(std::string_view name);
  [[nodiscard]] std::optional<std::string> find(std::string_view name) const;
  /// The value of `name` as apt's FindB reads it: `fallback` when absent, empty or not a
  /// boolean word.
  [[nodiscard]] bool find_bool(std::string_view name, bool fallback) const;
  /// A path setting as apt's FindFile resolves it: a relative value is relative to its
  /// parent's value ("Dir::Etc::parts" under "Dir::Etc"). nullopt when it is not set.
  [[nodiscard]] std::optional<std::filesystem::path> find_path(std::string_view name) const;

 private:
  void read(std::string_view text, const std::string& origin, int depth);
  void read_file(const std::filesystem::path& file, int depth);
  void read_directory(const std::filesystem::path& directory, int depth);

  std::map<std::string, std::string> values_;  ///< by lower-cased name
};

/// The directory gantry reads as /etc/apt (apt.conf, apt.conf.d, and the default
/// sources.list and trusted.gpg.d): $GANTRY_APT_CONFIG_ROOT when set and not empty, for
/// tests and for building against another machine's configuration; else /etc/apt.
[[nodiscard]] std::filesystem::path apt_etc_directory();

/// The machine's apt configuration, read as apt-get reads it (pkgInitConfig): the file
/// $APT_CONFIG names (skipped when missing), then the files of `etc_apt`/apt.conf.d, then
/// `etc_apt`/apt.conf; later settings win. Dir::Etc, Dir::Etc::parts and Dir::Etc::main,
/// when $APT_CONFIG sets them, move the directory and the file as they move apt's.
[[nodiscard]] AptConfig load_apt_config(const std::filesystem::path& etc_apt = apt_etc_directory());

}  // namespace gantry::deb
