#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gantry::deb {

/// What a Release file says about one index file.
struct IndexFileEntry {
  std::string sha256;  ///< lower-case hex
  std::uint64_t size = 0;
};

/// A repository's Release (or the signed content of InRelease): the index files it
/// vouches for, by path relative to the Release file.
struct ReleaseFile {
  std::map<std::string, IndexFileEntry> files;
  std::vector<std::string> architectures;
  std::vector<std::string> components;
  bool acquire_by_hash = false;
  /// "No-Support-for-Architecture-all: Packages": Architecture: all packages are listed in
  /// every binary-ARCH index, not in binary-all.
  bool all_in_arch_indexes = false;
  std::string date;         ///< "Date:" as written (when the index was made), "" when absent
  std::string valid_until;  ///< "Valid-Until:" as written, "" when absent

  /// The entry for `path`, or nullptr.
  [[nodiscard]] const IndexFileEntry* find(const std::string& path) const;
};

/// Parses a Release file's text. Throws DebError naming `origin` when it lists no SHA256
/// hashes (apt refuses such a repository as insecure).
[[nodiscard]] ReleaseFile parse_release(const std::string& text, const std::string& origin);

/// Parses a date as Release files write it and apt reads it (RFC 1123, the RFC 2822
/// form: "Sat, 01 Jan 2000 00:00:00 UTC"; zone UTC, GMT, Z or +0000). nullopt when it is
/// not one.
[[nodiscard]] std::optional<std::chrono::sys_seconds> parse_release_date(std::string_view text);

/// A duration as apt prints it: "1d 2h 3min 4s", "2h 3min 4s", "3min 4s", "4s".
[[nodiscard]] std::string apt_duration(std::chrono::seconds duration);

/// Refuses a Release whose Valid-Until is before `now`, as apt does: a mirror serving an
/// expired Release is stale, or replaying old indexes to hold back updates. Throws
/// DebError naming `url` (where the Release came from) and how long ago it expired, or
/// that Valid-Until is malformed. A Release without Valid-Until passes.
void check_not_expired(const ReleaseFile& release, const std::string& url,
                       std::chrono::sys_seconds now);

}  // namespace gantry::deb
