#include "project_files.hpp"

#include <utility>

#include "gantry/sdk/error.hpp"
#include "gantry/yaml/scalar.hpp"

namespace gantry::charm_pack {
namespace {

namespace fs = std::filesystem;

/// metadata.yaml keys that charmcraft.yaml also has (charmcraft/const.py METADATA keys).
constexpr std::string_view kMetadataKeys[] = {
    "name",      "summary",        "description", "assumes",  "containers",
    "devices",   "extra-bindings", "peers",       "provides", "requires",
    "resources", "storage",        "subordinate", "terms",    "charm-user"};

YAML::Node key_of(const YAML::Node& map, const std::string& key) {
  for (const auto& item : map) {
    if (item.first.Scalar() == key) {
      return item.first;
    }
  }
  return YAML::Node();
}

}  // namespace

const yaml::Reader& ProjectFiles::reader(const std::string& key) const {
  const auto found = origin.find(key);
  const std::string file = found == origin.end() ? "charmcraft.yaml" : found->second;
  return *readers.at(file);
}

ProjectFiles read_project_files(const fs::path& dir, const yaml::Reader::Warn& warn) {
  ProjectFiles files;
  const fs::path main = dir / "charmcraft.yaml";
  if (!fs::exists(main)) {
    throw Error("charmcraft.yaml not found in " + dir.string(),
                "Run gantry charm-pack in the charm's directory (a 12-factor project keeps it "
                "in charm/), pass --project, or create it with `charmcraft init`.");
  }
  for (const char* name : {"charmcraft.yaml", "metadata.yaml", "config.yaml", "actions.yaml"}) {
    files.readers[name] = std::make_shared<yaml::Reader>(dir / name, kCharmcraftReference, warn);
  }
  files.document = files.readers["charmcraft.yaml"]->load().value;
  if (!files.document.IsMap()) {
    const yaml::Reader& reader = *files.readers["charmcraft.yaml"];
    reader.fail(reader.at(files.document), "charmcraft.yaml is not a mapping",
                "Write the project as YAML keys (type, name, summary, ...).");
  }
  const yaml::Reader& main_reader = *files.readers["charmcraft.yaml"];

  if (fs::exists(dir / "metadata.yaml")) {
    files.split_files.emplace_back("metadata.yaml");
    const yaml::Reader& reader = *files.readers["metadata.yaml"];
    const YAML::Node metadata = reader.load().value;
    if (!metadata.IsMap()) {
      reader.fail(reader.at(metadata), "metadata.yaml is not a mapping",
                  "Write the charm's metadata as YAML keys.");
    }
    for (const auto& item : metadata) {
      std::string key = item.first.Scalar();
      if (key == "display-name") {
        key = "title";
      }
      bool known = key == "title";
      for (const auto candidate : kMetadataKeys) {
        known = known || candidate == key;
      }
      if (!known) {
        continue;  // maintainers, docs, series...: Juju's, carried in metadata.yaml as is
      }
      if (std::as_const(files.document)[key]) {
        main_reader.fail(main_reader.at(key_of(files.document, key)),
                         "Cannot specify " + yaml::py_repr(key) +
                             " in charmcraft.yaml when 'metadata.yaml' exists",
                         "Keep it in one file: remove it from charmcraft.yaml, or move all of "
                         "metadata.yaml into charmcraft.yaml and delete metadata.yaml.");
      }
      files.document[key] = item.second;
      files.origin[key] = "metadata.yaml";
    }
  }
  for (const auto& [file, key] : {std::pair<std::string, std::string>{"config.yaml", "config"},
                                  {"actions.yaml", "actions"}}) {
    if (!fs::exists(dir / file)) {
      continue;
    }
    files.split_files.push_back(file);
    const yaml::Reader& reader = *files.readers[file];
    const YAML::Node content = reader.load().value;
    if (std::as_const(files.document)[key]) {
      main_reader.fail(
          main_reader.at(key_of(files.document, key)),
          "Cannot specify " + yaml::py_repr(key) + " in charmcraft.yaml when " +
              yaml::py_repr(file) + " exists",
          "Keep it in one file: remove '" + key + "' from charmcraft.yaml or delete " + file + ".");
    }
    if (content.IsDefined() && !content.IsNull()) {
      files.document[key] = content;
      files.origin[key] = file;
    }
  }
  return files;
}

}  // namespace gantry::charm_pack
