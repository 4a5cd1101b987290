#include "base_image.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <array>
#include <nlohmann/json.hpp>
#include <string_view>

#include "gantry/net/digest.hpp"
#include "gantry/oci/blob_reader.hpp"
#include "gantry/oci/image_source.hpp"
#include "gantry/oci/image_transports.hpp"
#include "gantry/sdk/error.hpp"

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
    throw Error("cannot read a layer of " + what + ": " + archive_error_string(reader.get()));
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
        std::string_view(archive_error_string(reader.get())).starts_with("Truncated input file")) {
      break;
    }
    if (status < ARCHIVE_WARN) {
      throw Error("a layer of " + what + " is damaged: " + archive_error_string(reader.get()));
    }
    const std::string name = clean_name(archive_entry_pathname(entry));
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
        indexed.link = archive_entry_symlink(entry);
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

BaseImage fetch_base_image(const oci::ImageLocation& location,
                           const oci::RegistryClient::Options& options, const fs::path& blobs_dir,
                           const std::function<bool()>& cancelled) {
  const auto source = oci::open_source(location, options);
  const std::string what = "the base image " + location.str();
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
  return base;
}

}  // namespace gantry::rock_pack
