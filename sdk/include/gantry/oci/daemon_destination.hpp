#pragma once

#include <memory>
#include <optional>
#include <string>

#include "gantry/net/http_client.hpp"
#include "gantry/oci/image_destination.hpp"
#include "gantry/oci/image_reference.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::oci {

/// A Docker Engine's image store (`docker-daemon:NAME:TAG`), through the Engine API on
/// its unix socket ($DOCKER_HOST, else /var/run/docker.sock; tcp:// hosts too). The API
/// version is negotiated with GET /_ping; the image is loaded with POST /images/load as
/// a docker-archive ("docker save") stream, and the response stream is read for errors.
class DaemonDestination final : public ImageDestination {
 public:
  /// `docker_host` as DOCKER_HOST spells it; empty for the environment or the default.
  DaemonDestination(ImageReference reference, std::string docker_host = {},
                    std::function<bool()> cancelled = {});
  ~DaemonDestination() override;

  [[nodiscard]] std::string description() const override;
  void prepare() override;
  [[nodiscard]] bool has_blob(const Descriptor& blob) override;
  void put_blob(const Descriptor& blob, const BlobOpener& open) override;
  Digest put_manifest(const std::string& bytes, const Descriptor& manifest) override;
  void commit() override;
  [[nodiscard]] std::string reference() const override { return repo_tag_; }
  [[nodiscard]] std::string pinned(const Digest& manifest) const override;

 private:
  std::string load(const std::filesystem::path& archive);

  ImageReference reference_;
  std::string repo_tag_;  ///< the name Docker shows: "myapp:0.2", "host:5000/app:0.2"
  std::string base_url_;
  std::string socket_;
  std::string api_version_;
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<sdk::TemporaryDirectory> staging_;
  std::optional<ImageManifest> manifest_;
};

}  // namespace gantry::oci
