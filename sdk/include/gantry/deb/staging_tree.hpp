#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace gantry::deb {

/// A directory that archive entries are written into, and never out of. Entry names are
/// relative ("./usr/bin/x" or "usr/bin/x"); a name with "..", an absolute name, or a path
/// that would go through a symlink leading outside the root is refused with DebError.
/// Symlinks inside the tree are followed as they would be once the tree is a root
/// filesystem: a relative target from the link's directory, an absolute one from the root.
/// Later entries replace earlier ones, as when packages are unpacked in order.
class StagingTree {
 public:
  using Warn = std::function<void(const std::string&)>;

  StagingTree(std::filesystem::path root, Warn warn);

  void add_directory(std::string_view name, std::uint32_t mode);
  /// Writes a regular file from `fill`, which calls its argument with the bytes in order.
  /// setuid and setgid bits are dropped, with a warning, as craft-parts does.
  void add_file(std::string_view name, std::uint32_t mode, std::int64_t mtime,
                const std::function<void(const std::function<void(std::string_view)>&)>& fill);
  /// Writes a regular file with the content of `source` (an in-kernel copy).
  void add_file_copy(std::string_view name, std::uint32_t mode, std::int64_t mtime,
                     const std::filesystem::path& source);
  /// Hard-links `source` (a file outside the tree, e.g. in a cache) at `name`, or copies it
  /// when it is on another filesystem. The tree never writes into an existing file (it
  /// replaces it), so the link is never written through by the tree itself.
  void add_file_link(std::string_view name, std::uint32_t mode, std::int64_t mtime,
                     const std::filesystem::path& source);
  void add_symlink(std::string_view name, const std::string& target, std::int64_t mtime);
  void add_hardlink(std::string_view name, std::string_view existing);

  [[nodiscard]] const std::filesystem::path& root() const { return root_; }

 private:
  /// The entry's path components, checked (no "..", not absolute).
  [[nodiscard]] std::vector<std::string> checked(std::string_view name) const;
  /// The real location of `components` under the root, following symlinks in every
  /// component but (unless `follow_last`) the last; creates missing parent directories.
  [[nodiscard]] std::filesystem::path place(const std::vector<std::string>& components,
                                            std::string_view name, bool follow_last,
                                            bool create_parents) const;
  /// Creates the file for a regular-file entry; returns its descriptor and location.
  [[nodiscard]] std::pair<int, std::filesystem::path> create_file(std::string_view name,
                                                                  std::uint32_t& mode) const;
  /// Removes what is at `path` so that an entry of another kind can take its place.
  void make_room(const std::filesystem::path& path, std::string_view name) const;

  std::filesystem::path root_;
  Warn warn_;
};

}  // namespace gantry::deb
