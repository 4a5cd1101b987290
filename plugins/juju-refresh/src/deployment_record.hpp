#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace gantry::juju {

/// What gantry deployed as one image resource: the reference it passed, the digest that
/// reference named then, and the resource revision juju gave it. The charm file is kept
/// the same way under the name `(charm)`: its path, sha256 and the charm revision.
struct DeployedImage {
  std::string reference;
  std::string digest;
  std::string juju_revision;
};

/// The images gantry has deployed, per model, application and resource, kept in
/// `.gantry/deployments.json` of the project. Juju does not say which image an
/// oci-image resource holds, so this is how gantry knows what runs; an entry counts only
/// while juju's resource revision still equals the one recorded (nobody deployed since).
class DeploymentRecord {
 public:
  /// Reads `file` (missing: empty). Throws gantry::Error naming a malformed file.
  explicit DeploymentRecord(std::filesystem::path file);

  [[nodiscard]] std::optional<DeployedImage> find(const std::string& key) const;
  void set(const std::string& key, DeployedImage image);
  /// Writes the file atomically.
  void save() const;

  /// "model/application/resource" ("-" for juju's current model).
  [[nodiscard]] static std::string key(const std::string& model, const std::string& application,
                                       const std::string& resource);

 private:
  std::filesystem::path file_;
  std::map<std::string, DeployedImage> images_;
};

}  // namespace gantry::juju
