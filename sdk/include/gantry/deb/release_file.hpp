#pragma once

#include <cstdint>
#include <map>
#include <string>
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

  /// The entry for `path`, or nullptr.
  [[nodiscard]] const IndexFileEntry* find(const std::string& path) const;
};

/// Parses a Release file's text. Throws DebError naming `origin` when it lists no SHA256
/// hashes (apt refuses such a repository as insecure).
[[nodiscard]] ReleaseFile parse_release(const std::string& text, const std::string& origin);

}  // namespace gantry::deb
