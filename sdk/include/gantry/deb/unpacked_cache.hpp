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

/// Unpacked .debs, one tree per package under `dir`/<sha256>/, so that a package is
/// decompressed once, in parallel with others, and staging again only copies files.
class UnpackedCache {
 public:
  explicit UnpackedCache(std::filesystem::path dir) : dir_(std::move(dir)) {}

  /// Unpacks every deb that has no tree yet, `jobs` at a time (each into a temporary
  /// name, renamed when complete). Rethrows the first failure once the others stop.
  void prepare(const std::vector<CachedDeb>& debs, int jobs,
               const std::function<void(std::size_t)>& on_unpacked,
               const std::function<bool()>& cancelled);

  /// Copies the tree of `deb` into `tree`, through the tree's checks; gives the warnings
  /// its unpacking raised (dropped setuid bits) to `warn`.
  void merge(const CachedDeb& deb, StagingTree& tree,
             const std::function<void(const std::string&)>& warn) const;

  [[nodiscard]] std::filesystem::path tree_of(const CachedDeb& deb) const {
    return dir_ / deb.sha256;
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace gantry::deb
