#include "gantry/oci/manifest.hpp"

#include <nlohmann/json.hpp>

#include "gantry/oci/media_types.hpp"
#include "gantry/oci/oci_error.hpp"

namespace gantry::oci {
namespace {

using Json = nlohmann::json;

Json parse_json(std::string_view text, std::string_view what) {
  try {
    return Json::parse(text);
  } catch (const Json::exception& error) {
    throw OciError(std::string(what) + " is not valid JSON: " + error.what(),
                   "The image is damaged: rebuild or re-pull it.");
  }
}

Descriptor parse_descriptor(const Json& json, std::string_view what) {
  try {
    Descriptor descriptor;
    descriptor.media_type = json.value("mediaType", "");
    descriptor.digest = Digest::parse(json.at("digest").get<std::string>());
    descriptor.size = json.at("size").get<std::int64_t>();
    if (descriptor.size < 0) {
      throw OciError("negative size");
    }
    if (json.contains("annotations")) {
      descriptor.annotations = json.at("annotations").get<std::map<std::string, std::string>>();
    }
    if (json.contains("platform")) {
      const auto& platform = json.at("platform");
      descriptor.platform = Platform{platform.value("os", ""), platform.value("architecture", ""),
                                     platform.value("variant", "")};
    }
    return descriptor;
  } catch (const Json::exception& error) {
    throw OciError(std::string(what) + " has an invalid descriptor: " + error.what(),
                   "The image is damaged: rebuild or re-pull it.");
  } catch (const Error& error) {
    throw OciError(std::string(what) + " has an invalid descriptor: " + error.what(),
                   "The image is damaged: rebuild or re-pull it.");
  }
}

}  // namespace

ImageManifest parse_manifest(std::string_view json_text, std::string_view what) {
  const Json json = parse_json(json_text, what);
  if (!json.is_object() || !json.contains("config") || !json.contains("layers") ||
      !json.at("layers").is_array()) {
    throw OciError(std::string(what) + " is not an image manifest (no config and layers)",
                   "Give an image, not an index or another artifact.");
  }
  ImageManifest manifest;
  manifest.media_type = json.value("mediaType", std::string(media_type::kOciManifest));
  manifest.config = parse_descriptor(json.at("config"), what);
  for (const auto& layer : json.at("layers")) {
    manifest.layers.push_back(parse_descriptor(layer, what));
  }
  return manifest;
}

ImageIndex parse_index(std::string_view json_text, std::string_view what) {
  const Json json = parse_json(json_text, what);
  if (!json.is_object() || !json.contains("manifests") || !json.at("manifests").is_array()) {
    throw OciError(std::string(what) + " is not an image index (no manifests list)",
                   "The image is damaged: rebuild or re-pull it.");
  }
  ImageIndex index;
  index.media_type = json.value("mediaType", std::string(media_type::kOciIndex));
  for (const auto& manifest : json.at("manifests")) {
    index.manifests.push_back(parse_descriptor(manifest, what));
  }
  return index;
}

std::string media_type_of(std::string_view json_text, std::string_view what) {
  const Json json = parse_json(json_text, what);
  return json.is_object() ? json.value("mediaType", "") : "";
}

std::string serialize_index(const std::vector<Descriptor>& manifests) {
  Json index = {{"schemaVersion", 2}, {"mediaType", media_type::kOciIndex}};
  index["manifests"] = Json::array();
  for (const auto& descriptor : manifests) {
    Json entry = {{"mediaType", descriptor.media_type},
                  {"digest", descriptor.digest.str()},
                  {"size", descriptor.size}};
    if (!descriptor.annotations.empty()) {
      entry["annotations"] = descriptor.annotations;
    }
    index["manifests"].push_back(entry);
  }
  return index.dump();
}

}  // namespace gantry::oci
