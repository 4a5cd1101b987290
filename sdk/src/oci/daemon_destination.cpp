#include "gantry/oci/daemon_destination.hpp"

#include <array>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "gantry/archive/atomic_file.hpp"
#include "gantry/archive/tar_writer.hpp"
#include "gantry/net/http_client.hpp"
#include "gantry/net/network_error.hpp"
#include "gantry/oci/media_types.hpp"
#include "gantry/oci/registry_error.hpp"

namespace gantry::oci {
namespace {

constexpr const char* kDaemonHint =
    "Start the Docker daemon (or `podman system service`), or point DOCKER_HOST at its socket, "
    "e.g. unix:///run/podman/podman.sock.";

std::string docker_name(const ImageReference& reference) {
  std::string name = reference.name();
  if (name.starts_with("docker.io/library/")) {
    name.erase(0, std::string("docker.io/library/").size());
  } else if (name.starts_with("docker.io/")) {
    name.erase(0, std::string("docker.io/").size());
  }
  return name + ":" + reference.tag;
}

}  // namespace

DaemonDestination::DaemonDestination(ImageReference reference, std::string docker_host,
                                     std::function<bool()> cancelled)
    : reference_(std::move(reference)), repo_tag_(docker_name(reference_)) {
  if (docker_host.empty()) {
    const char* from_env = std::getenv("DOCKER_HOST");
    docker_host =
        from_env != nullptr && *from_env != '\0' ? from_env : "unix:///var/run/docker.sock";
  }
  if (docker_host.starts_with("unix://")) {
    socket_ = docker_host.substr(7);
    base_url_ = "http://docker";
  } else if (docker_host.starts_with("tcp://")) {
    base_url_ = "http://" + docker_host.substr(6);
  } else {
    throw OciError("DOCKER_HOST '" + docker_host + "' is neither unix:// nor tcp://",
                   "Set DOCKER_HOST to unix:///path/to/docker.sock or tcp://HOST:PORT.");
  }
  http_ = std::make_unique<net::HttpClient>(
      net::HttpClient::Options{.unix_socket = socket_, .cancelled = std::move(cancelled)});
}

DaemonDestination::~DaemonDestination() = default;

std::string DaemonDestination::description() const { return "docker-daemon:" + repo_tag_; }

std::string DaemonDestination::pinned(const Digest& manifest) const {
  return "docker-daemon:" + repo_tag_ + "@" + manifest.str();
}

void DaemonDestination::prepare() {
  const std::string where = socket_.empty() ? base_url_ : "unix://" + socket_;
  net::HttpResponse pong;
  try {
    pong = http_->send({.url = base_url_ + "/_ping"});
  } catch (const net::NetworkError& error) {
    throw RegistryError("cannot reach the Docker daemon at " + where + ": " + error.what(),
                        kDaemonHint, 0);
  }
  if (pong.status != 200) {
    throw RegistryError("the Docker daemon at " + where + " answered " +
                            std::to_string(pong.status) + " to GET /_ping",
                        kDaemonHint, pong.status);
  }
  // Talk the daemon's own version: a fixed old one is refused by Docker 25 and later.
  api_version_ = pong.header("api-version");
  staging_ = std::make_unique<sdk::TemporaryDirectory>("gantry-docker-load-");
}

bool DaemonDestination::has_blob(const Descriptor& /*blob*/) { return false; }

void DaemonDestination::put_blob(const Descriptor& blob, const BlobOpener& open) {
  if (blob.media_type == media_type::kOciLayerZstd) {
    throw OciError(
        "layer " + blob.digest.str() + " is zstd-compressed, which docker load cannot read",
        "Push this image to a registry instead, or rebuild it with gzip layers.");
  }
  save_blob(*open(), staging_->path() / blob.digest.hex());
}

Digest DaemonDestination::put_manifest(const std::string& bytes, const Descriptor& /*manifest*/) {
  manifest_ = parse_manifest(bytes, "manifest for " + repo_tag_);
  return sha256_of(bytes);
}

void DaemonDestination::commit() {
  // A docker-archive: config as <hex>.json, layers as <hex>.tar (compressed as they are;
  // docker load decompresses), and manifest.json naming the image.
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& layer : manifest_->layers) {
    layers.push_back(layer.digest.hex() + ".tar");
  }
  const nlohmann::json load_manifest =
      nlohmann::json::array({{{"Config", manifest_->config.digest.hex() + ".json"},
                              {"RepoTags", {repo_tag_}},
                              {"Layers", layers}}});
  const std::string manifest_json = load_manifest.dump();
  const auto archive_path = staging_->path() / "image.tar";
  {
    archive::AtomicFile file(archive_path);
    archive::TarWriter tar(file, 0);
    const auto add_blob = [&](const Descriptor& blob, const std::string& name) {
      tar.add_file_from_disk(name, staging_->path() / blob.digest.hex());
    };
    add_blob(manifest_->config, manifest_->config.digest.hex() + ".json");
    for (const auto& layer : manifest_->layers) {
      add_blob(layer, layer.digest.hex() + ".tar");
    }
    tar.add_file("manifest.json", manifest_json.size(),
                 [&](const auto& write) { write(manifest_json); });
    tar.finish();
    file.commit();
  }
  (void)load(archive_path);
}

std::string DaemonDestination::load(const std::filesystem::path& archive) {
  const auto file = std::make_shared<const SharedFile>(archive);
  FileSliceReader body(file, 0, file->size());
  const std::string version = api_version_.empty() ? "" : "/v" + api_version_;
  const auto response = http_->send({.method = "POST",
                                     .url = base_url_ + version + "/images/load?quiet=1",
                                     .headers = {"Content-Type: application/x-tar"},
                                     .upload = &body,
                                     .upload_size = file->size()});
  if (response.status != 200) {
    std::string message = response.body;
    try {
      message = nlohmann::json::parse(response.body).value("message", response.body);
    } catch (const nlohmann::json::exception&) {
    }
    throw RegistryError("the Docker daemon refused to load " + repo_tag_ + " (" +
                            std::to_string(response.status) + "): " + message,
                        "", response.status);
  }
  // Errors can arrive inside a 200 response, one JSON object per line.
  std::istringstream lines(response.body);
  std::string loaded;
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) {
      continue;
    }
    try {
      const auto json = nlohmann::json::parse(line);
      if (json.contains("error")) {
        throw RegistryError("the Docker daemon could not load " + repo_tag_ + ": " +
                                json["error"].get<std::string>(),
                            "", 200, "LOAD_FAILED");
      }
      loaded += json.value("stream", "");
    } catch (const nlohmann::json::exception&) {
      // Not JSON: older daemons print plain text; keep it for the caller.
      loaded += line;
    }
  }
  return loaded;
}

}  // namespace gantry::oci
