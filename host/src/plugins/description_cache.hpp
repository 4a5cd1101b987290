#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "gantry/v1/step.pb.h"

namespace gantry::host {

/// What tells one build of a plugin file from another without reading it.
struct FileIdentity {
  std::filesystem::path path{};
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
};

/// The identity of `file` (following symlinks), or nullopt when it cannot be stat'ed.
[[nodiscard]] std::optional<FileIdentity> identify(const std::filesystem::path& file);

/// Plugin descriptions kept on disk by file identity, so that listing steps and checking
/// a pipeline need not load every library. One file, `descriptions`, read once (a command
/// reads one file, not one per plugin) and rewritten whole, to a temporary name and
/// renamed, when an entry is stored: concurrent gantry processes never see half a file,
/// and an entry one of them loses only costs a later command a library load. Entries of
/// files that are gone are dropped when it is rewritten. A missing, unreadable, damaged
/// or stale entry is a miss; writing is best effort. Not thread-safe.
class DescriptionCache {
 public:
  explicit DescriptionCache(std::filesystem::path dir) : dir_(std::move(dir)) {}

  /// $XDG_CACHE_HOME/gantry/plugins, else $HOME/.cache/gantry/plugins; nullopt when
  /// neither is set (absolute).
  [[nodiscard]] static std::optional<std::filesystem::path> default_dir();

  /// The description stored for exactly this identity.
  [[nodiscard]] std::optional<v1::StepDescription> find(const FileIdentity& identity) const;
  /// Stores `description` for `identity`. Never throws.
  void store(const FileIdentity& identity, const v1::StepDescription& description) const noexcept;

  /// One plugin's entry: its file's identity and its serialized description.
  struct Entry {
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::string description;
    bool operator==(const Entry&) const = default;
  };
  using Entries = std::map<std::string, Entry>;  ///< by the plugin's path

  /// The entries of a cache file's text; nullopt when it is not one (damaged, or another
  /// format). Never throws on any input.
  [[nodiscard]] static std::optional<Entries> parse(std::string_view text);
  /// The text of a cache file holding `entries` (no path may hold a newline).
  [[nodiscard]] static std::string serialize(const Entries& entries);

 private:
  void load() const;
  void save() const;

  std::filesystem::path dir_;
  mutable bool loaded_ = false;
  mutable Entries entries_;
};

}  // namespace gantry::host
