#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
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
  /// How add_cached_file puts a cached file in the tree: a copy of its own (a reflink
  /// where the filesystem can share blocks, FICLONE, else an in-kernel copy), so that
  /// editing a staged file changes nothing else; or a hard link to the cache, for callers
  /// that promise never to modify the tree (rock-pack's own staging, `--link`).
  enum class CachedFiles { kCopy, kHardLink };

  StagingTree(std::filesystem::path root, Warn warn, CachedFiles cached = CachedFiles::kCopy);

  void add_directory(std::string_view name, std::uint32_t mode);
  /// Writes a regular file from `fill`, which calls its argument with the bytes in order.
  /// setuid and setgid bits are dropped, with a warning, as craft-parts does.
  void add_file(std::string_view name, std::uint32_t mode, std::int64_t mtime,
                const std::function<void(const std::function<void(std::string_view)>&)>& fill);
  /// Writes a regular file with the content of `source`: a reflink where the filesystem
  /// supports it, else an in-kernel copy.
  void add_file_copy(std::string_view name, std::uint32_t mode, std::int64_t mtime,
                     const std::filesystem::path& source);
  /// Puts `source` (a file outside the tree, in a cache) at `name` as CachedFiles says:
  /// a copy, or a hard link (a copy when it is on another filesystem). The tree never
  /// writes into an existing file (it replaces it), so it never writes through a link.
  void add_cached_file(std::string_view name, std::uint32_t mode, std::int64_t mtime,
                       const std::filesystem::path& source);
  void add_symlink(std::string_view name, const std::string& target, std::int64_t mtime);
  void add_hardlink(std::string_view name, std::string_view existing);
  /// Warns that the entry `name` (a `kind` such as "device node" or "fifo") was not made.
  void report_skipped(std::string_view name, std::string_view kind) const;

  /// Replaces whatever is at `name` with a regular file holding `content`: written under a
  /// fresh temporary name beside it (O_EXCL, never through an existing link) and renamed
  /// over it. For the files gantry itself writes after unpacking (status records, shebang
  /// rewrites): a package cannot redirect them with a symlink.
  void replace_file(std::string_view name, std::uint32_t mode, std::int64_t mtime,
                    std::string_view content);
  /// The content of the regular file at `name` (not following a symlink there), or
  /// nullopt when something else is there. At most `limit` bytes are read.
  [[nodiscard]] std::optional<std::string> read_regular_file(std::string_view name,
                                                             std::size_t limit) const;
  /// Removes the file or symlink at `name` (never what a symlink points to); false when
  /// nothing was there.
  bool remove(std::string_view name);
  /// Whether `name` exists once symlinks in it are followed as in the tree's root
  /// filesystem; false for a path that leads out of the tree.
  [[nodiscard]] bool exists(std::string_view name) const;
  /// The names in the directory `name` (symlinks followed inside the tree); empty when it
  /// is not a directory.
  [[nodiscard]] std::vector<std::string> list_directory(std::string_view name) const;

  [[nodiscard]] const std::filesystem::path& root() const { return root_; }
  /// Makes every write check `cancelled` (between entries and every 64 KiB of a file) and
  /// throw gantry::Cancelled once it is true: a large package stops unpacking at once.
  void set_cancelled(std::function<bool()> cancelled) { cancelled_ = std::move(cancelled); }

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
  CachedFiles cached_;
  std::function<bool()> cancelled_;
};

}  // namespace gantry::deb
