#include "test_image.hpp"

#include <array>
#include <fstream>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "gantry/archive/atomic_file.hpp"
#include "gantry/archive/tar_writer.hpp"
#include "gantry/oci/media_types.hpp"

namespace gantry::testing {
namespace {

/// Deterministic bytes (xorshift32), produced in chunks.
void random_bytes(std::uint64_t size, std::uint32_t seed,
                  const std::function<void(std::string_view)>& write) {
  std::uint32_t state = seed * 2654435761U + 1;
  std::string chunk(1 << 16, '\0');
  while (size > 0) {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(size, chunk.size()));
    for (std::size_t i = 0; i < n; ++i) {
      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      chunk[i] = static_cast<char>(state & 0xFF);
    }
    write({chunk.data(), n});
    size -= n;
  }
}

oci::Digest digest_of_file(const std::filesystem::path& file) {
  oci::Sha256 hash;
  std::ifstream in(file, std::ios::binary);
  std::array<char, 1 << 16> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    hash.update(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  return hash.finish();
}

oci::Descriptor store_blob_file(const std::filesystem::path& dir, const std::filesystem::path& file,
                                std::string_view media_type) {
  const auto digest = digest_of_file(file);
  const auto size = std::filesystem::file_size(file);
  std::filesystem::rename(file, dir / "blobs" / "sha256" / digest.hex());
  return {std::string(media_type), digest, static_cast<std::int64_t>(size), {}, {}};
}

oci::Descriptor store_blob(const std::filesystem::path& dir, const std::string& bytes,
                           std::string_view media_type) {
  const auto digest = oci::sha256_of(bytes);
  write_file(dir / "blobs" / "sha256" / digest.hex(), bytes);
  return {std::string(media_type), digest, static_cast<std::int64_t>(bytes.size()), {}, {}};
}

}  // namespace

TestImage write_test_layout(const std::filesystem::path& dir, const std::string& tag,
                            const std::vector<std::uint64_t>& layer_sizes, std::uint32_t seed,
                            LayerCompression compression) {
  std::filesystem::create_directories(dir / "blobs" / "sha256");
  write_file(dir / "oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
  TestImage image;
  image.location = dir;
  nlohmann::json diff_ids = nlohmann::json::array();
  for (std::size_t i = 0; i < layer_sizes.size(); ++i) {
    const auto file = dir / ("layer-" + std::to_string(i) + ".tar");
    {
      archive::AtomicFile out(file);
      archive::TarWriter tar(out, 0);
      tar.add_directory("app");
      tar.add_file(
          "app/layer-" + std::to_string(i) + ".bin", layer_sizes[i], [&](const auto& write) {
            random_bytes(layer_sizes[i], seed * 1000 + static_cast<std::uint32_t>(i), write);
          });
      tar.finish();
      out.commit();
    }
    diff_ids.push_back(digest_of_file(file).str());
    if (compression == LayerCompression::kGzip) {
      const auto zipped = run_command({.argv = {"gzip", "-n", "-1", file.string()}});
      if (zipped.exit_code != 0) {
        throw std::runtime_error("gzip failed: " + zipped.err);
      }
      image.layers.push_back(
          store_blob_file(dir, file.string() + ".gz", oci::media_type::kOciLayerGzip));
    } else {
      image.layers.push_back(store_blob_file(dir, file, oci::media_type::kOciLayerTar));
    }
  }
  const nlohmann::json config = {{"architecture", "amd64"},
                                 {"os", "linux"},
                                 {"config", {{"Cmd", {"/bin/true"}}}},
                                 {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}}};
  image.config = store_blob(dir, config.dump(), oci::media_type::kOciConfig);
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& layer : image.layers) {
    layers.push_back(
        {{"mediaType", layer.media_type}, {"digest", layer.digest.str()}, {"size", layer.size}});
  }
  const nlohmann::json manifest = {{"schemaVersion", 2},
                                   {"mediaType", oci::media_type::kOciManifest},
                                   {"config",
                                    {{"mediaType", image.config.media_type},
                                     {"digest", image.config.digest.str()},
                                     {"size", image.config.size}}},
                                   {"layers", layers}};
  auto manifest_descriptor = store_blob(dir, manifest.dump(), oci::media_type::kOciManifest);
  image.manifest_digest = manifest_descriptor.digest;
  manifest_descriptor.annotations[std::string(oci::kRefNameAnnotation)] = tag;
  write_file(dir / "index.json", oci::serialize_index({manifest_descriptor}));
  return image;
}

void archive_layout(const std::filesystem::path& dir, const std::filesystem::path& archive) {
  const auto result = run_command(
      {.argv = {"tar", "--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mtime=@0",
                "-C", dir.string(), "-cf", archive.string(), "oci-layout", "index.json", "blobs"}});
  if (result.exit_code != 0) {
    throw std::runtime_error("tar failed: " + result.err);
  }
}

TestImage write_test_archive(const std::filesystem::path& archive, const std::string& tag,
                             const std::vector<std::uint64_t>& layer_sizes, std::uint32_t seed,
                             LayerCompression compression) {
  const auto dir = archive.parent_path() / (archive.filename().string() + ".layout");
  auto image = write_test_layout(dir, tag, layer_sizes, seed, compression);
  archive_layout(dir, archive);
  std::filesystem::remove_all(dir);
  image.location = archive;
  return image;
}

}  // namespace gantry::testing
