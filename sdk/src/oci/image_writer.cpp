#include "gantry/oci/image_writer.hpp"

#include <nlohmann/json.hpp>

#include "gantry/archive/atomic_file.hpp"
#include "gantry/oci/media_types.hpp"
#include "gantry/oci/oci_error.hpp"

namespace gantry::oci {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

/// Stores `bytes` as a blob; its descriptor.
Descriptor put_blob(const fs::path& blobs, const std::string& bytes, std::string_view media_type) {
  const Digest digest = sha256_of(bytes);
  archive::write_file_atomically(blobs / digest.hex(), bytes,
                                 archive::AtomicFile::Durability::kUnsynced);
  return {std::string(media_type), digest, static_cast<std::int64_t>(bytes.size()), {}, {}};
}

Json descriptor_json(const Descriptor& descriptor) {
  Json json{{"mediaType", descriptor.media_type},
            {"digest", descriptor.digest.str()},
            {"size", descriptor.size}};
  if (!descriptor.annotations.empty()) {
    json["annotations"] = descriptor.annotations;
  }
  return json;
}

}  // namespace

ImageWriter::ImageWriter(fs::path dir) : dir_(std::move(dir)) {
  std::error_code error;
  if (fs::exists(dir_, error) && !fs::is_empty(dir_, error)) {
    throw OciError("cannot build an image in " + dir_.string() + ": it is not empty");
  }
  fs::create_directories(blobs_dir(), error);
  if (error) {
    throw OciError("cannot make " + blobs_dir().string() + ": " + error.message(),
                   "Check that the directory is writable.");
  }
  archive::write_file_atomically(dir_ / "oci-layout", R"({"imageLayoutVersion":"1.0.0"})",
                                 archive::AtomicFile::Durability::kUnsynced);
}

void ImageWriter::add_layer(const WrittenLayer& layer, const std::string& comment) {
  layers_.push_back(layer);
  comments_.push_back(comment);
}

Descriptor ImageWriter::finish(const ImageConfig& config,
                               const std::map<std::string, std::string>& annotations,
                               const std::string& tag) {
  Json container = Json::object();
  if (!config.env.empty()) {
    container["Env"] = config.env;
  }
  if (!config.entrypoint.empty()) {
    container["Entrypoint"] = config.entrypoint;
  }
  if (!config.cmd.empty()) {
    container["Cmd"] = config.cmd;
  }
  if (!config.user.empty()) {
    container["User"] = config.user;
  }
  if (!config.working_dir.empty()) {
    container["WorkingDir"] = config.working_dir;
  }
  if (!config.labels.empty()) {
    container["Labels"] = config.labels;
  }
  Json diff_ids = Json::array();
  Json history = Json::array();
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    diff_ids.push_back(layers_[i].diff_id.str());
    Json entry{{"created_by", "gantry rock-pack"}, {"comment", comments_[i]}};
    if (!config.created.empty()) {
      entry["created"] = config.created;
    }
    history.push_back(entry);
  }
  Json image{{"architecture", config.architecture},
             {"os", config.os},
             {"config", container},
             {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}},
             {"history", history}};
  if (!config.variant.empty()) {
    image["variant"] = config.variant;
  }
  if (!config.created.empty()) {
    image["created"] = config.created;
  }
  const Descriptor config_blob = put_blob(blobs_dir(), image.dump(), media_type::kOciConfig);
  Json layers = Json::array();
  for (const auto& layer : layers_) {
    layers.push_back(descriptor_json(layer.descriptor));
  }
  Json manifest{{"schemaVersion", 2},
                {"mediaType", std::string(media_type::kOciManifest)},
                {"config", descriptor_json(config_blob)},
                {"layers", layers}};
  if (!annotations.empty()) {
    manifest["annotations"] = annotations;
  }
  Descriptor manifest_blob = put_blob(blobs_dir(), manifest.dump(), media_type::kOciManifest);
  Descriptor tagged = manifest_blob;
  if (!tag.empty()) {
    tagged.annotations[std::string(kRefNameAnnotation)] = tag;
  }
  archive::write_file_atomically(dir_ / "index.json", serialize_index({tagged}),
                                 archive::AtomicFile::Durability::kUnsynced);
  return manifest_blob;
}

}  // namespace gantry::oci
