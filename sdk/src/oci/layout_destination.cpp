#include "gantry/oci/layout_destination.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>

#include "gantry/archive/atomic_file.hpp"
#include "gantry/archive/tar_writer.hpp"
#include "gantry/oci/oci_error.hpp"

namespace gantry::oci {
namespace {

constexpr std::string_view kLayoutFile = R"({"imageLayoutVersion":"1.0.0"})";

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

LayoutDestination::LayoutDestination(std::filesystem::path dir, std::string tag)
    : target_(std::move(dir)), dir_(target_), tag_(std::move(tag)) {}

std::string LayoutDestination::description() const {
  return "oci:" + target_.string() + (tag_.empty() ? "" : ":" + tag_);
}

std::string LayoutDestination::pinned(const Digest& manifest) const {
  return "oci:" + target_.string() + "@" + manifest.str();
}

std::filesystem::path LayoutDestination::blob_file(const Digest& digest) const {
  return dir_ / "blobs" / digest.algorithm() / digest.hex();
}

void LayoutDestination::prepare() {
  std::error_code error;
  const bool empty_dir =
      std::filesystem::is_directory(target_, error) && std::filesystem::is_empty(target_, error);
  if (empty_dir || !std::filesystem::exists(std::filesystem::symlink_status(target_, error))) {
    const auto parent = std::filesystem::absolute(target_).parent_path();
    std::filesystem::create_directories(parent, error);
    try {
      staging_ = std::make_unique<sdk::TemporaryDirectory>(".gantry-oci-layout-", parent);
    } catch (const Error& failure) {
      throw OciError("cannot make the OCI layout " + target_.string() + ": " + failure.what(),
                     "Check that the parent directory is writable.");
    }
    dir_ = staging_->path();
  }
  std::filesystem::create_directories(dir_ / "blobs" / "sha256", error);
  if (error) {
    throw OciError("cannot make the OCI layout " + dir_.string() + ": " + error.message(),
                   "Check that the parent directory is writable.");
  }
  if (!std::filesystem::exists(dir_ / "oci-layout")) {
    archive::write_file_atomically(dir_ / "oci-layout", kLayoutFile);
  }
  if (std::filesystem::exists(dir_ / "index.json")) {
    for (auto& descriptor :
         parse_index(read_text(dir_ / "index.json"), dir_.string() + "/index.json").manifests) {
      const auto name = descriptor.annotations.find(std::string(kRefNameAnnotation));
      const bool same_tag = name != descriptor.annotations.end() && name->second == tag_;
      if (!same_tag || tag_.empty()) {
        kept_.push_back(std::move(descriptor));
      }
    }
  }
}

bool LayoutDestination::has_blob(const Descriptor& blob) {
  std::error_code error;
  return std::filesystem::file_size(blob_file(blob.digest), error) ==
             static_cast<std::uintmax_t>(blob.size) &&
         !error;
}

void LayoutDestination::put_blob(const Descriptor& blob, const BlobOpener& open) {
  save_blob(*open(), blob_file(blob.digest));
}

Digest LayoutDestination::put_manifest(const std::string& bytes, const Descriptor& manifest) {
  const Digest digest = sha256_of(bytes);
  archive::write_file_atomically(blob_file(digest), bytes);
  Descriptor entry{manifest.media_type, digest, static_cast<std::int64_t>(bytes.size()), {}, {}};
  if (!tag_.empty()) {
    entry.annotations[std::string(kRefNameAnnotation)] = tag_;
  }
  manifest_ = entry;
  return digest;
}

void LayoutDestination::commit() {
  auto manifests = kept_;
  if (manifest_) {
    manifests.push_back(*manifest_);
  }
  archive::write_file_atomically(dir_ / "index.json", serialize_index(manifests));
  if (staging_) {
    std::filesystem::permissions(dir_, std::filesystem::perms(0755));
    std::error_code error;
    std::filesystem::remove(target_, error);  // an empty directory the user made, if any
    std::filesystem::rename(dir_, target_, error);
    if (error) {
      throw OciError(
          "cannot move the new OCI layout to " + target_.string() + ": " + error.message(),
          "Check that nothing else created " + target_.string() + " meanwhile.");
    }
    dir_ = target_;
    staging_.reset();
  }
}

ArchiveDestination::ArchiveDestination(std::filesystem::path archive, std::string tag)
    : archive_(std::move(archive)), tag_(std::move(tag)) {}

std::string ArchiveDestination::description() const {
  return "oci-archive:" + archive_.string() + (tag_.empty() ? "" : ":" + tag_);
}

std::string ArchiveDestination::pinned(const Digest& manifest) const {
  return "oci-archive:" + archive_.string() + "@" + manifest.str();
}

void ArchiveDestination::prepare() {
  const auto parent = std::filesystem::absolute(archive_).parent_path();
  if (!std::filesystem::is_directory(parent)) {
    throw OciError(
        "cannot write " + archive_.string() + ": " + parent.string() + " is not a directory",
        "Create the directory first.");
  }
  // Staged beside the archive: same filesystem, and not a small tmpfs.
  staging_ = std::make_unique<sdk::TemporaryDirectory>(".gantry-oci-archive-", parent);
  layout_ = std::make_unique<LayoutDestination>(staging_->path(), tag_);
  layout_->prepare();
}

void ArchiveDestination::commit() {
  layout_->commit();
  write_layout_archive(layout_->dir(), archive_);
}

void write_layout_archive(const std::filesystem::path& dir, const std::filesystem::path& archive,
                          const std::function<bool()>& cancelled) {
  const auto check = [&] {
    if (cancelled && cancelled()) {
      throw Cancelled();
    }
  };
  std::vector<std::string> blobs;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "blobs" / "sha256")) {
    if (!entry.path().filename().string().starts_with(".")) {
      blobs.push_back(entry.path().filename().string());
    }
  }
  std::sort(blobs.begin(), blobs.end());
  archive::AtomicFile file(archive);
  archive::TarWriter tar(file, archive::reproducible_mtime());
  const auto add = [&](const std::string& name) { tar.add_file_from_disk(name, dir / name); };
  tar.add_directory("blobs");
  tar.add_directory("blobs/sha256");
  for (const auto& blob : blobs) {
    check();
    add("blobs/sha256/" + blob);
  }
  add("index.json");
  add("oci-layout");
  tar.finish();
  check();  // the last moment the previous archive can be kept
  file.commit();
}

}  // namespace gantry::oci
