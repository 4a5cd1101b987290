#include "base_image.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <array>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "gantry/archive/atomic_file.hpp"
#include "gantry/archive/libarchive_error.hpp"
#include "gantry/net/digest.hpp"
#include "gantry/oci/blob_reader.hpp"
#include "gantry/oci/image_source.hpp"
#include "gantry/oci/image_transports.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/file_copy.hpp"

namespace gantry::rock_pack {
namespace {

namespace fs = std::filesystem;

std::string clean_name(std::string name) {
  while (name.starts_with("./")) {
    name.erase(0, 2);
  }
  while (name.starts_with("/")) {
    name.erase(0, 1);
  }
  while (name.ends_with("/")) {
    name.pop_back();
  }
  return name;
}

/// Applies one layer (a gzip or plain tar blob) to the index, OCI whiteouts included.
void index_layer(const fs::path& blob, BaseImage& base, const std::string& what) {
  auto& files = base.files;
  std::unique_ptr<struct archive, decltype(&archive_read_free)> reader(archive_read_new(),
                                                                       &archive_read_free);
  archive_read_support_format_tar(reader.get());
  archive_read_support_format_gnutar(reader.get());
  archive_read_support_filter_all(reader.get());
  if (archive_read_open_filename(reader.get(), blob.c_str(), 1 << 16) != ARCHIVE_OK) {
    throw Error("cannot read a layer of " + what + ": " + archive::libarchive_error(reader.get()));
  }
  const auto remove_below = [&](const std::string& dir) {
    const std::string prefix = dir.empty() ? std::string() : dir + "/";
    for (auto it = files.lower_bound(prefix); it != files.end() && it->first.starts_with(prefix);) {
      it = files.erase(it);
    }
  };
  struct archive_entry* entry = nullptr;
  while (true) {
    const int status = archive_read_next_header(reader.get(), &entry);
    if (status == ARCHIVE_EOF) {
      break;
    }
    // Layers written by Go's archive/tar without the closing zero blocks (umoci's, for
    // one) end at a header boundary; Docker, containerd and umoci read them, so do we.
    // Truncated file data is still an error (archive_read_data below).
    if (status < ARCHIVE_WARN &&
        archive::libarchive_error(reader.get()).starts_with("Truncated input file")) {
      break;
    }
    if (status < ARCHIVE_WARN) {
      throw Error("a layer of " + what + " is damaged: " + archive::libarchive_error(reader.get()));
    }
    const char* pathname = archive_entry_pathname(entry);
    if (pathname == nullptr) {
      throw Error("a layer of " + what + " has an entry without a name");
    }
    const std::string name = clean_name(pathname);
    const auto slash = name.rfind('/');
    const std::string dir = slash == std::string::npos ? std::string() : name.substr(0, slash);
    const std::string leaf = slash == std::string::npos ? name : name.substr(slash + 1);
    if (leaf == ".wh..wh..opq") {
      remove_below(dir);
      continue;
    }
    if (leaf.starts_with(".wh.")) {
      const std::string gone = (dir.empty() ? "" : dir + "/") + leaf.substr(4);
      files.erase(gone);
      base.account_files.erase(gone);
      remove_below(gone);
      continue;
    }
    BaseEntry indexed;
    indexed.mode = static_cast<std::uint32_t>(archive_entry_perm(entry));
    indexed.uid = static_cast<std::uint32_t>(archive_entry_uid(entry));
    indexed.gid = static_cast<std::uint32_t>(archive_entry_gid(entry));
    switch (archive_entry_filetype(entry)) {
      case AE_IFDIR:
        indexed.kind = BaseEntry::Kind::kDirectory;
        break;
      case AE_IFLNK:
        indexed.kind = BaseEntry::Kind::kSymlink;
        if (const char* target = archive_entry_symlink(entry)) {
          indexed.link = target;
        } else {
          throw Error("a layer of " + what + " has a symbolic link without a target: " + name);
        }
        break;
      case AE_IFREG: {
        if (const char* hardlink = archive_entry_hardlink(entry)) {
          const auto target = files.find(clean_name(hardlink));
          if (target != files.end()) {
            indexed = target->second;
          }
          break;
        }
        indexed.kind = BaseEntry::Kind::kFile;
        const bool account = name == "etc/passwd" || name == "etc/group" || name == "etc/shadow";
        std::string content;
        net::Sha256 hash;
        std::array<char, 1 << 16> buffer{};
        for (auto got = archive_read_data(reader.get(), buffer.data(), buffer.size()); got > 0;
             got = archive_read_data(reader.get(), buffer.data(), buffer.size())) {
          hash.update({buffer.data(), static_cast<std::size_t>(got)});
          indexed.size += static_cast<std::uint64_t>(got);
          if (account && content.size() < (1U << 20)) {
            content.append(buffer.data(), static_cast<std::size_t>(got));
          }
        }
        if (account) {
          base.account_files[name] = content;
        }
        indexed.sha256 = hash.finish().hex();
        break;
      }
      default:
        break;
    }
    if (indexed.kind != BaseEntry::Kind::kDirectory) {
      remove_below(name);  // a file or link replaces a directory and what it held
    }
    files[name] = indexed;
  }
}

}  // namespace

std::string BaseImage::rerooted(const std::string& name) const {
  const auto slash = name.find('/');
  const std::string top = name.substr(0, slash);
  const auto found = files.find(top);
  if (found == files.end() || found->second.kind != BaseEntry::Kind::kSymlink) {
    return name;
  }
  const std::string target = clean_name(found->second.link);
  if (target.empty() || target.find("..") != std::string::npos) {
    return name;
  }
  if (slash == std::string::npos) {
    return "";
  }
  return target + name.substr(slash);
}

namespace {

nlohmann::json to_json(const BaseImage& base) {
  nlohmann::json files = nlohmann::json::object();
  for (const auto& [path, entry] : base.files) {
    files[path] = {static_cast<int>(entry.kind),
                   entry.mode,
                   entry.uid,
                   entry.gid,
                   entry.size,
                   entry.sha256,
                   entry.link};
  }
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& layer : base.layers) {
    layers.push_back({layer.descriptor.media_type, layer.descriptor.digest.str(),
                      layer.descriptor.size, layer.diff_id.str()});
  }
  return {
      {"layers", layers}, {"env", base.env}, {"files", files}, {"accounts", base.account_files}};
}

/// The base cached for `digest`, its blobs linked into `blobs_dir`; nullopt when the cache
/// does not hold it whole.
std::optional<BaseImage> cached_base(const fs::path& cache, const oci::Digest& digest,
                                     const fs::path& blobs_dir) {
  std::ifstream in(cache / (digest.hex() + ".json"));
  if (!in) {
    return std::nullopt;
  }
  try {
    const auto json = nlohmann::json::parse(in);
    BaseImage base;
    base.manifest_digest = digest;
    base.env = json.at("env").get<std::vector<std::string>>();
    base.account_files = json.at("accounts").get<std::map<std::string, std::string>>();
    for (const auto& [path, entry] : json.at("files").items()) {
      base.files[path] = {static_cast<BaseEntry::Kind>(entry.at(0).get<int>()),
                          entry.at(1).get<std::uint32_t>(),
                          entry.at(2).get<std::uint32_t>(),
                          entry.at(3).get<std::uint32_t>(),
                          entry.at(4).get<std::uint64_t>(),
                          entry.at(5).get<std::string>(),
                          entry.at(6).get<std::string>()};
    }
    for (const auto& layer : json.at("layers")) {
      oci::WrittenLayer written;
      written.descriptor.media_type = layer.at(0).get<std::string>();
      written.descriptor.digest = oci::Digest::parse(layer.at(1).get<std::string>());
      written.descriptor.size = layer.at(2).get<std::int64_t>();
      written.diff_id = oci::Digest::parse(layer.at(3).get<std::string>());
      const fs::path blob = cache / "blobs" / written.descriptor.digest.hex();
      std::error_code error;
      if (fs::file_size(blob, error) != static_cast<std::uintmax_t>(written.descriptor.size) ||
          error) {
        return std::nullopt;
      }
      fs::create_hard_link(blob, blobs_dir / written.descriptor.digest.hex(), error);
      if (error) {
        fs::remove(blobs_dir / written.descriptor.digest.hex(), error);
        sdk::copy_to_new_file(blob, blobs_dir / written.descriptor.digest.hex());
      }
      base.layers.push_back(written);
    }
    return base;
  } catch (const std::exception&) {
    return std::nullopt;  // a damaged entry is fetched again
  }
}

void remember_base(const fs::path& cache, const BaseImage& base, const fs::path& blobs_dir) {
  std::error_code error;
  fs::create_directories(cache / "blobs", error);
  for (const auto& layer : base.layers) {
    const fs::path kept = cache / "blobs" / layer.descriptor.digest.hex();
    if (!fs::exists(kept)) {
      fs::create_hard_link(blobs_dir / layer.descriptor.digest.hex(), kept, error);
      if (error) {
        return;
      }
    }
  }
  archive::write_file_atomically(cache / (base.manifest_digest.hex() + ".json"),
                                 to_json(base).dump(), archive::AtomicFile::Durability::kUnsynced);
}

}  // namespace

BaseImage fetch_base_image(const oci::ImageLocation& location,
                           const oci::RegistryClient::Options& options, const fs::path& blobs_dir,
                           const std::function<bool()>& cancelled, const fs::path& cache) {
  const auto source = oci::open_source(location, options);
  const std::string what = "the base image " + location.str();
  if (!cache.empty()) {
    if (auto cached = cached_base(cache, source->manifest_descriptor().digest, blobs_dir)) {
      return *cached;
    }
  }
  BaseImage base;
  base.manifest_digest = source->manifest_descriptor().digest;
  const auto& manifest = source->manifest();
  oci::VerifyingReader config_reader(source->open_blob(manifest.config), manifest.config, what, {},
                                     cancelled);
  nlohmann::json config;
  try {
    config = nlohmann::json::parse(oci::read_all(config_reader));
  } catch (const nlohmann::json::exception& error) {
    throw Error(what + " has a config that is not JSON: " + error.what(),
                "Use another base image.");
  }
  const auto diff_ids = config.value("rootfs", nlohmann::json::object())
                            .value("diff_ids", std::vector<std::string>{});
  if (diff_ids.size() != manifest.layers.size()) {
    throw Error(what + " lists " + std::to_string(manifest.layers.size()) + " layers but " +
                    std::to_string(diff_ids.size()) + " diff_ids",
                "The image is damaged: use another base image.");
  }
  if (config.contains("config") && config["config"].contains("Env") &&
      config["config"]["Env"].is_array()) {
    base.env = config["config"]["Env"].get<std::vector<std::string>>();
  }
  for (std::size_t i = 0; i < manifest.layers.size(); ++i) {
    if (cancelled && cancelled()) {
      throw Cancelled();
    }
    const auto& layer = manifest.layers[i];
    oci::VerifyingReader reader(source->open_blob(layer), layer, what, {}, cancelled);
    const fs::path blob = blobs_dir / layer.digest.hex();
    oci::save_blob(reader, blob);
    index_layer(blob, base, what);
    base.layers.push_back({layer, oci::Digest::parse(diff_ids[i])});
  }
  if (!cache.empty()) {
    remember_base(cache, base, blobs_dir);
  }
  return base;
}

}  // namespace gantry::rock_pack
