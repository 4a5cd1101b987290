#include "charm_archive.hpp"

#include <yaml-cpp/yaml.h>

#include "gantry/archive/zip_reader.hpp"
#include "gantry/sdk/error.hpp"

namespace gantry::juju {
namespace {

YAML::Node parse(const std::filesystem::path& path, const std::string& name,
                 const std::string& text) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& error) {
    throw Error(name + " in " + path.string() + " is not valid YAML: " + error.what(),
                "Pack the charm again (gantry charm-pack or charmcraft pack).");
  }
}

}  // namespace

std::string base_track(const std::string& channel) {
  const auto slash = channel.find('/');
  return slash == std::string::npos ? channel : channel.substr(0, slash);
}

CharmArchive read_charm_archive(const std::filesystem::path& path) {
  std::optional<archive::ZipReader> zip;
  try {
    zip.emplace(path);
  } catch (const Error& error) {
    throw Error("--path " + path.string() + " is not a charm: " + error.what(),
                "Pass the .charm file that gantry charm-pack (or charmcraft pack) wrote.");
  }
  const auto metadata_text = zip->read("metadata.yaml", 4U << 20U);
  if (!metadata_text) {
    throw Error("--path " + path.string() + " is not a charm: it has no metadata.yaml",
                "Pass the .charm file that gantry charm-pack (or charmcraft pack) wrote.");
  }
  CharmArchive charm;
  const YAML::Node metadata = parse(path, "metadata.yaml", *metadata_text);
  if (metadata["name"] && metadata["name"].IsScalar()) {
    charm.name = metadata["name"].Scalar();
  }
  if (metadata["resources"] && metadata["resources"].IsMap()) {
    for (const auto& resource : metadata["resources"]) {
      const YAML::Node type = resource.second["type"];
      charm.resources[resource.first.Scalar()] = type && type.IsScalar() ? type.Scalar() : "file";
    }
  }
  if (const auto manifest_text = zip->read("manifest.yaml", 4U << 20U)) {
    const YAML::Node manifest = parse(path, "manifest.yaml", *manifest_text);
    if (manifest["bases"] && manifest["bases"].IsSequence()) {
      for (const auto& base : manifest["bases"]) {
        if (base["name"] && base["channel"]) {
          charm.bases.push_back(base["name"].as<std::string>() + "@" +
                                base_track(base["channel"].as<std::string>()));
        }
      }
    }
  }
  return charm;
}

}  // namespace gantry::juju
