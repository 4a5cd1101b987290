#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gantry::rock_pack {

/// A craft-parts fileset (`stage:`, `prime:`): relative paths with `*` and `**` wildcards;
/// entries starting with `-` exclude. With no include, everything is included; a selected
/// directory brings what it holds; hidden top-level entries come only when named.
class Fileset {
 public:
  explicit Fileset(std::vector<std::string> entries);

  /// Whether `path` (relative, '/'-separated) is selected.
  [[nodiscard]] bool selects(const std::string& path) const;

  /// Every file, symlink and directory under `root` the fileset selects, relative, sorted
  /// so that a directory comes before what it holds.
  [[nodiscard]] std::vector<std::string> select(const std::filesystem::path& root) const;

 private:
  std::vector<std::string> includes_;
  std::vector<std::string> excludes_;
};

/// Whether `pattern` matches `path` or one of its parent directories (a selected directory
/// selects its content). `*` matches within a path component, `**` across components.
[[nodiscard]] bool matches_path(const std::string& pattern, const std::string& path);

}  // namespace gantry::rock_pack
