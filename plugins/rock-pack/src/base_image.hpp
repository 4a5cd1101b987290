#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "gantry/oci/image_location.hpp"
#include "gantry/oci/layer_writer.hpp"
#include "gantry/oci/registry_client.hpp"

namespace gantry::rock_pack {

/// One path of a base image's root filesystem, as its layers leave it.
struct BaseEntry {
  enum class Kind { kFile, kDirectory, kSymlink, kOther };
  Kind kind = Kind::kOther;
  std::uint32_t mode = 0;
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::uint64_t size = 0;
  std::string sha256{};  ///< regular files
  std::string link{};    ///< symlinks
};

/// The image a non-bare rock is built on: its layers (their blobs already in the rock's
/// layout), its Env, its manifest digest, and an index of its root filesystem for pruning
/// primed files it already has and for usrmerge (`bin` -> `usr/bin`).
struct BaseImage {
  std::vector<oci::WrittenLayer> layers;
  std::vector<std::string> env;
  oci::Digest manifest_digest;
  std::map<std::string, BaseEntry> files;
  /// The content of etc/passwd, etc/group and etc/shadow, when the base has them.
  std::map<std::string, std::string> account_files;

  /// `name` as it must be written on top of this base: under the target of a top-level
  /// directory the base has as a symlink ("bin/x" -> "usr/bin/x"); "" for such a
  /// directory itself, which gets no entry of its own.
  [[nodiscard]] std::string rerooted(const std::string& name) const;
};

/// Fetches `location` (docker://, oci:, oci-archive:): every layer is verified against
/// its digest while it is saved into `blobs_dir`, then read to index the root filesystem
/// (whiteouts applied). With `cache`, an image whose manifest digest was fetched before
/// is taken from there (only its manifest is asked for again), and a new one is kept
/// there. Throws gantry::Error naming the image, and gantry::Cancelled when `cancelled`
/// says so.
BaseImage fetch_base_image(const oci::ImageLocation& location,
                           const oci::RegistryClient::Options& options,
                           const std::filesystem::path& blobs_dir,
                           const std::function<bool()>& cancelled,
                           const std::filesystem::path& cache = {});

}  // namespace gantry::rock_pack
