#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "gantry/oci/manifest.hpp"

namespace gantry::testing {

/// An image the tests made: where it is and what it holds.
struct TestImage {
  std::filesystem::path location;  ///< the layout directory or the archive
  oci::Digest manifest_digest;
  std::vector<oci::Descriptor> layers;
  oci::Descriptor config;
};

/// Writes an OCI image layout at `dir` holding one image tagged `tag` whose layers are
/// uncompressed tars, each with one file of pseudo-random bytes of the given size (the
/// same `seed` gives the same bytes). The config's diff_ids are right, so umoci accepts it.
/// Layers stay plain tars, or are gzip-compressed (`gzip -n -1`, tar+gzip media type) as
/// real images' layers are.
enum class LayerCompression { kNone, kGzip };

TestImage write_test_layout(const std::filesystem::path& dir, const std::string& tag,
                            const std::vector<std::uint64_t>& layer_sizes, std::uint32_t seed = 1,
                            LayerCompression compression = LayerCompression::kNone);

/// The same image as an OCI archive (a .rock) at `archive`.
TestImage write_test_archive(const std::filesystem::path& archive, const std::string& tag,
                             const std::vector<std::uint64_t>& layer_sizes, std::uint32_t seed = 1,
                             LayerCompression compression = LayerCompression::kNone);

/// Writes an archive of the layout at `dir` (its blobs, index.json and oci-layout).
void archive_layout(const std::filesystem::path& dir, const std::filesystem::path& archive);

}  // namespace gantry::testing
