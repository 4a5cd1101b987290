#include "gantry/oci/layout_source.hpp"

#include <sys/utsname.h>

#include "gantry/oci/media_types.hpp"
#include "gantry/oci/oci_error.hpp"
#include "gantry/oci/tar_index.hpp"

namespace gantry::oci {
namespace {

std::string blob_path(const Digest& digest) {
  return "blobs/" + digest.algorithm() + "/" + digest.hex();
}

class DirectoryFiles final : public LayoutSource::Files {
 public:
  explicit DirectoryFiles(std::filesystem::path dir) : dir_(std::move(dir)) {
    if (!std::filesystem::is_directory(dir_)) {
      throw OciError(dir_.string() + " is not a directory",
                     "Give the directory of an OCI image layout (it holds index.json).");
    }
  }
  [[nodiscard]] std::unique_ptr<BlobReader> open(const std::string& name) const override {
    const auto path = dir_ / name;
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error)) {
      return nullptr;
    }
    auto file = std::make_shared<const SharedFile>(path);
    const auto size = file->size();
    return std::make_unique<FileSliceReader>(std::move(file), 0, size);
  }
  [[nodiscard]] std::string description() const override { return "oci:" + dir_.string(); }

 private:
  std::filesystem::path dir_;
};

class ArchiveFiles final : public LayoutSource::Files {
 public:
  explicit ArchiveFiles(const std::filesystem::path& archive)
      : index_(TarIndex::scan(archive)), file_(std::make_shared<const SharedFile>(archive)) {}
  [[nodiscard]] std::unique_ptr<BlobReader> open(const std::string& name) const override {
    const auto member = index_.find(name);
    if (!member) {
      return nullptr;
    }
    return std::make_unique<FileSliceReader>(file_, member->offset, member->size);
  }
  [[nodiscard]] std::string description() const override {
    return "oci-archive:" + file_->path().string();
  }

 private:
  TarIndex index_;
  // Shared with every reader handed out, which may outlive a copy on another thread.
  std::shared_ptr<const SharedFile> file_;
};

std::string ref_names(const std::vector<Descriptor>& manifests) {
  std::string names;
  for (const auto& descriptor : manifests) {
    const auto found = descriptor.annotations.find(std::string(kRefNameAnnotation));
    const std::string name = found == descriptor.annotations.end() ? "(unnamed)" : found->second;
    names += names.empty() ? name : ", " + name;
  }
  return names.empty() ? "none" : names;
}

}  // namespace

ImageSource::~ImageSource() = default;
LayoutSource::Files::~Files() = default;

Platform host_platform() {
  utsname system{};
  ::uname(&system);
  const std::string machine = system.machine;
  if (machine == "x86_64") {
    return {"linux", "amd64", ""};
  }
  if (machine == "aarch64") {
    return {"linux", "arm64", ""};
  }
  if (machine == "ppc64le" || machine == "s390x" || machine == "riscv64") {
    return {"linux", machine, ""};
  }
  return {"linux", machine, ""};
}

std::unique_ptr<LayoutSource> LayoutSource::open_archive(const std::filesystem::path& archive,
                                                         const std::string& tag) {
  if (!std::filesystem::exists(archive)) {
    throw OciError("archive " + archive.string() + " does not exist",
                   "Check the path; build it with `gantry rock-pack` or `rockcraft pack`.");
  }
  return std::make_unique<LayoutSource>(std::make_unique<ArchiveFiles>(archive), tag);
}

std::unique_ptr<LayoutSource> LayoutSource::open_directory(const std::filesystem::path& dir,
                                                           const std::string& tag) {
  return std::make_unique<LayoutSource>(std::make_unique<DirectoryFiles>(dir), tag);
}

LayoutSource::LayoutSource(std::unique_ptr<Files> files, const std::string& tag)
    : files_(std::move(files)), tag_(tag) {
  const std::string where = files_->description();
  (void)read_file("oci-layout", "It has no oci-layout file: it is not an OCI image layout.");
  const auto index =
      parse_index(read_file("index.json", "It has no index.json: it is not an OCI image layout."),
                  where + " index.json");

  std::vector<Descriptor> candidates;
  for (const auto& descriptor : index.manifests) {
    if (!media_type::is_manifest(descriptor.media_type) &&
        !media_type::is_index(descriptor.media_type)) {
      continue;  // other artifacts are tolerated, as the layout spec asks
    }
    const auto name = descriptor.annotations.find(std::string(kRefNameAnnotation));
    if (tag.empty() || (name != descriptor.annotations.end() && name->second == tag)) {
      candidates.push_back(descriptor);
    }
  }
  if (candidates.empty()) {
    throw OciError(
        tag.empty() ? where + " holds no image" : where + " has no image tagged '" + tag + "'",
        "Images in it: " + ref_names(index.manifests) + ".");
  }
  if (candidates.size() > 1) {
    throw OciError(where + " holds " + std::to_string(candidates.size()) + " images" +
                       (tag.empty() ? "" : " tagged '" + tag + "'"),
                   "Name one: " + where + ":TAG, with TAG one of " + ref_names(candidates) + ".");
  }
  descriptor_ = candidates.front();
  manifest_bytes_ = read_blob(descriptor_);
  if (media_type::is_index(descriptor_.media_type)) {
    const auto platform = host_platform();
    const auto nested = parse_index(manifest_bytes_, where + " image index");
    const Descriptor* chosen = nullptr;
    for (const auto& entry : nested.manifests) {
      if (entry.platform && entry.platform->os == platform.os &&
          entry.platform->architecture == platform.architecture) {
        chosen = &entry;
        break;
      }
    }
    if (chosen == nullptr) {
      throw OciError(where + " has no image for " + platform.os + "/" + platform.architecture,
                     "Build the image for this platform.");
    }
    descriptor_ = *chosen;
    manifest_bytes_ = read_blob(descriptor_);
  }
  if (descriptor_.media_type.empty()) {
    descriptor_.media_type = media_type_of(manifest_bytes_, where + " manifest");
  }
  manifest_ = parse_manifest(manifest_bytes_, where + " manifest " + descriptor_.digest.str());
}

std::string LayoutSource::description() const {
  return files_->description() + (tag_.empty() ? "" : ":" + tag_);
}

std::string LayoutSource::read_file(const std::string& name, const char* missing_hint) const {
  auto reader = files_->open(name);
  if (!reader) {
    throw OciError(files_->description() + " has no " + name, missing_hint);
  }
  return read_all(*reader);
}

std::string LayoutSource::read_blob(const Descriptor& blob) const {
  VerifyingReader reader(open_blob(blob), blob,
                         files_->description() + " blob " + blob.digest.str());
  return read_all(reader);
}

std::unique_ptr<BlobReader> LayoutSource::open_blob(const Descriptor& blob) const {
  auto reader = files_->open(blob_path(blob.digest));
  if (!reader) {
    throw OciError(files_->description() + " is missing blob " + blob.digest.str(),
                   "The image is incomplete: rebuild or re-pull it.");
  }
  return reader;
}

}  // namespace gantry::oci
