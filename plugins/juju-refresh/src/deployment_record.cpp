#include "deployment_record.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "gantry/archive/atomic_file.hpp"
#include "gantry/sdk/error.hpp"

namespace gantry::juju {

DeploymentRecord::DeploymentRecord(std::filesystem::path file) : file_(std::move(file)) {
  std::ifstream in(file_);
  if (!in) {
    return;
  }
  std::stringstream text;
  text << in.rdbuf();
  try {
    const auto json = nlohmann::json::parse(text.str());
    for (const auto& [key, entry] : json.at("images").items()) {
      images_[key] = {entry.at("reference").get<std::string>(),
                      entry.at("digest").get<std::string>(),
                      entry.at("juju-revision").get<std::string>()};
    }
  } catch (const nlohmann::json::exception& error) {
    throw Error(file_.string() + " is not a gantry deployment record: " + error.what(),
                "Delete it; gantry writes it again at the next refresh.");
  }
}

std::optional<DeployedImage> DeploymentRecord::find(const std::string& key) const {
  const auto found = images_.find(key);
  return found == images_.end() ? std::nullopt : std::optional<DeployedImage>(found->second);
}

void DeploymentRecord::set(const std::string& key, DeployedImage image) {
  images_[key] = std::move(image);
}

void DeploymentRecord::save() const {
  nlohmann::json json = {{"images", nlohmann::json::object()}};
  for (const auto& [key, image] : images_) {
    json["images"][key] = {{"reference", image.reference},
                           {"digest", image.digest},
                           {"juju-revision", image.juju_revision}};
  }
  std::filesystem::create_directories(file_.parent_path());
  archive::write_file_atomically(file_, json.dump(2) + "\n");
}

std::string DeploymentRecord::key(const std::string& model, const std::string& application,
                                  const std::string& resource) {
  return (model.empty() ? "-" : model) + "/" + application + "/" + resource;
}

}  // namespace gantry::juju
