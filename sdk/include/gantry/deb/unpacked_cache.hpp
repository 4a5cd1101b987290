#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "gantry/deb/staging_tree.hpp"

namespace gantry::deb {

/// A .deb to unpack: its file, the SHA256 that names it, and a label for messages.
struct CachedDeb {
  std::filesystem::path file;
  std::string sha256;
  std::string label;
};

/// Unpacked .debs, one tree per package under `dir`/<sha256>/root/, so that a package is
/// decompressed once, in parallel with others, and staging again only links files, as
/// craft-parts links the files of unpacked stage-packages into a part's install dir. Each
/// tree keeps a manifest (size, mtime, mode of every file): a tree whose files were
/// changed through a staged link is unpacked afresh before it is used again.
class UnpackedCache {
 public:
  explicit UnpackedCache(std::filesystem::path dir) : dir_(std::move(dir)) {}

  /// Unpacks every deb that has no intact tree yet, `jobs` at a time (each into a
  /// temporary name, renamed when complete), and links the trees' files into `tree` in
  /// order, through the tree's checks, as if each package were unpacked over the ones
  /// before. A tree is merged as soon as it and those before it are ready, so merging
  /// overlaps decompressing.
  /// Gives the warnings unpacking raised (dropped setuid bits) to `warn`, reports the
  /// packages merged to `on_merged`, and rethrows the first failure.
  void stage(const std::vector<CachedDeb>& debs, StagingTree& tree, int jobs,
             const std::function<void(const std::string&)>& warn,
             const std::function<void(std::size_t)>& on_merged,
             const std::function<bool()>& cancelled);

  /// Whether the tree of `deb` is cached and unchanged since it was unpacked.
  [[nodiscard]] bool intact(const CachedDeb& deb) const;

  [[nodiscard]] std::filesystem::path tree_of(const CachedDeb& deb) const {
    return dir_ / deb.sha256 / "root";
  }

 private:
  void merge(const CachedDeb& deb, StagingTree& tree,
             const std::function<void(const std::string&)>& warn) const;

  std::filesystem::path dir_;
};

}  // namespace gantry::deb
