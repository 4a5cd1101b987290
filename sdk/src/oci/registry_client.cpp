#include "gantry/oci/registry_client.hpp"

#include <array>
#include <nlohmann/json.hpp>
#include <span>
#include <thread>

#include "auth_challenge.hpp"
#include "gantry/oci/media_types.hpp"
#include "gantry/oci/oci_error.hpp"
#include "gantry/oci/registry_error.hpp"
#include "http_client.hpp"

namespace gantry::oci {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kCredentialsHint =
    "Give credentials with --creds USER:PASSWORD (skopeo's --dest-creds / --src-creds), or log "
    "in so that REGISTRY_AUTH_FILE, ${XDG_RUNTIME_DIR}/containers/auth.json or "
    "~/.docker/config.json has them.";

/// The first error of a distribution error body: code and message.
std::pair<std::string, std::string> error_of(const std::string& body) {
  try {
    const auto json = nlohmann::json::parse(body);
    const auto& first = json.at("errors").at(0);
    return {first.value("code", ""), first.value("message", "")};
  } catch (const nlohmann::json::exception&) {
    std::string text = body.substr(0, 200);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
      text.pop_back();
    }
    return {"", text};
  }
}

std::string content_type(const HttpResponse& response) {
  std::string type = response.header("content-type");
  if (const auto semicolon = type.find(';'); semicolon != std::string::npos) {
    type.erase(semicolon);
  }
  return type;
}

std::optional<std::chrono::milliseconds> retry_after(const HttpResponse& response) {
  const std::string value = response.header("retry-after");
  if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::chrono::seconds(std::min(60L, std::stol(value)));
}

}  // namespace

struct RegistryClient::Auth {
  struct Token {
    std::string value;
    Clock::time_point expires;
  };
  std::mutex mutex;
  std::optional<AuthChallenge> challenge;
  std::map<std::string, Token> tokens;  // by scope
};

RegistryClient::RegistryClient(std::string host, Options options)
    : host_(std::move(host)),
      options_(std::move(options)),
      http_(std::make_unique<HttpClient>(HttpClient::Options{options_.tls_verify})),
      auth_(std::make_unique<Auth>()) {}

RegistryClient::~RegistryClient() = default;

std::string RegistryClient::url(const std::string& path) {
  ping();
  return scheme_ + "://" + host_ + path;
}

void RegistryClient::ping() {
  std::call_once(pinged_, [this] {
    HttpResponse response;
    try {
      HttpRequest request{.url = "https://" + host_ + "/v2/"};
      response = http_->send(request);
      scheme_ = "https";
    } catch (const RegistryError& error) {
      if (options_.tls_verify) {
        throw RegistryError("cannot reach registry " + host_ + " over https: " + error.what(),
                            "Check that it runs. For a plain-http registry (such as "
                            "localhost:32000) turn TLS verification off: --dest-tls-verify=false "
                            "or `tls-verify: false`.",
                            0);
      }
      try {
        HttpRequest request{.url = "http://" + host_ + "/v2/"};
        response = http_->send(request);
        scheme_ = "http";
      } catch (const RegistryError& plain) {
        throw RegistryError("cannot reach registry " + host_ + " (https or http): " + plain.what(),
                            "Check that the registry runs and that the host and port are right.",
                            0);
      }
    }
    if (response.status == 401) {
      const auto challenges = parse_www_authenticate(response.header("www-authenticate"));
      const std::lock_guard lock(auth_->mutex);
      for (const auto& challenge : challenges) {
        if (challenge.scheme == "bearer" || challenge.scheme == "basic") {
          auth_->challenge = challenge;
          break;
        }
      }
      if (!auth_->challenge) {
        throw RegistryError("registry " + host_ +
                                " asks for an authentication scheme gantry "
                                "does not speak",
                            "gantry supports Basic and Bearer token authentication.", 401);
      }
    } else if (response.status != 200) {
      throw RegistryError("registry " + host_ + " answered " + std::to_string(response.status) +
                              " to GET /v2/: it does not look like an OCI registry",
                          "Check the host and port.", response.status);
    }
  });
}

std::string RegistryClient::authorization(const std::string& repository, bool push,
                                          const std::string& refused) {
  const std::lock_guard lock(auth_->mutex);
  if (!auth_->challenge) {
    return {};
  }
  const auto& credentials = options_.credentials;
  if (auth_->challenge->scheme == "basic") {
    return credentials ? "Basic " + base64(credentials->username + ":" + credentials->secret) : "";
  }
  const std::string scope = "repository:" + repository + (push ? ":pull,push" : ":pull");
  const auto cached = auth_->tokens.find(scope);
  if (cached != auth_->tokens.end() && Clock::now() < cached->second.expires &&
      "Bearer " + cached->second.value != refused) {
    return "Bearer " + cached->second.value;
  }
  const auto& params = auth_->challenge->params;
  const auto realm = params.find("realm");
  if (realm == params.end()) {
    throw RegistryError("registry " + host_ + " asks for a token but names no token server",
                        "Check the registry's auth configuration.", 401);
  }
  std::string token_url = realm->second;
  token_url += token_url.find('?') == std::string::npos ? "?" : "&";
  if (const auto service = params.find("service"); service != params.end()) {
    token_url += "service=" + url_encode(service->second) + "&";
  }
  token_url += "scope=" + url_encode(scope);
  HttpRequest request{.url = token_url};
  if (credentials) {
    token_url += "&account=" + url_encode(credentials->username);
    request.url = token_url;
    request.headers.push_back("Authorization: Basic " +
                              base64(credentials->username + ":" + credentials->secret));
  }
  const HttpResponse response = http_->send(request);
  if (response.status == 401 || response.status == 403) {
    throw RegistryError("the token server of " + host_ + " refused " +
                            (credentials ? "the credentials of user '" + credentials->username + "'"
                                         : std::string("anonymous access")) +
                            " for " + repository,
                        kCredentialsHint, response.status, "UNAUTHORIZED");
  }
  if (response.status != 200) {
    throw RegistryError(
        "the token server of " + host_ + " answered " + std::to_string(response.status),
        "Check that the token server runs.", response.status);
  }
  std::string token;
  long lifetime = 60;
  try {
    const auto json = nlohmann::json::parse(response.body);
    token = json.value("token", json.value("access_token", ""));
    lifetime = std::max(60L, json.value("expires_in", 60L));
  } catch (const nlohmann::json::exception&) {
  }
  if (token.empty()) {
    throw RegistryError("the token server of " + host_ + " answered without a token",
                        "Check the token server.", response.status);
  }
  // Renew a little early, so that a token does not expire during a request.
  auth_->tokens[scope] = {token, Clock::now() + std::chrono::seconds(lifetime - 10)};
  return "Bearer " + token;
}

HttpResponse RegistryClient::send_once(HttpRequest& request, const std::string& repository,
                                       bool push) {
  const auto base_headers = request.headers;
  std::string refused;
  for (const bool renewed : {false, true}) {
    request.headers = base_headers;
    const auto header = authorization(repository, push, refused);
    if (!header.empty()) {
      request.headers.push_back("Authorization: " + header);
    }
    HttpResponse response = http_->send(request);
    if (response.status != 401 || renewed) {
      return response;
    }
    refused = header.empty() ? std::string("(none)") : header;
    // A 401 with a challenge we had not seen yet (the registry may only challenge here).
    const auto challenges = parse_www_authenticate(response.header("www-authenticate"));
    const std::lock_guard lock(auth_->mutex);
    if (!challenges.empty()) {
      auth_->challenge = challenges.front();
    }
    if (!auth_->challenge) {
      return response;
    }
  }
  return {};
}

HttpResponse RegistryClient::send(HttpRequest request, const std::string& repository, bool push) {
  ping();
  for (int attempt = 1;; ++attempt) {
    std::optional<std::chrono::milliseconds> wait;
    try {
      HttpResponse response = send_once(request, repository, push);
      const bool transient =
          response.status == 408 || response.status == 429 || response.status >= 500;
      if (!transient || attempt >= options_.attempts || request.upload != nullptr) {
        return response;
      }
      wait = retry_after(response);
    } catch (const RegistryError& error) {
      if (!error.transient() || attempt >= options_.attempts || request.upload != nullptr) {
        throw;
      }
    }
    std::this_thread::sleep_for(wait.value_or(options_.backoff * (1 << (attempt - 1))));
  }
}

void RegistryClient::fail(const HttpResponse& response, const std::string& what,
                          const std::string& repository) const {
  const auto [code, message] = error_of(response.body);
  const std::string detail = message.empty() ? "" : ": " + message;
  const std::string where = host_ + "/" + repository;
  switch (response.status) {
    case 401:
      throw RegistryError("registry " + host_ + " refused access to " + repository +
                              " (401 Unauthorized" + (code.empty() ? "" : ", " + code) + ")",
                          kCredentialsHint, 401, code);
    case 403:
      throw RegistryError("registry " + host_ + " denied " + what + " for " + repository +
                              " (403 Forbidden)" + detail,
                          "Check that the user may push to this repository.", 403, code);
    case 404:
      if (code == "NAME_UNKNOWN") {
        throw RegistryError("repository " + where + " does not exist", "Check the repository name.",
                            404, code);
      }
      throw RegistryError(what + " on " + where + ": not found" + detail, "Check the name and tag.",
                          404, code);
    default:
      throw RegistryError("registry " + host_ + " answered " + std::to_string(response.status) +
                              " to " + what + " for " + repository +
                              (code.empty() ? "" : " (" + code + ")") + detail,
                          response.status >= 500 ? "The registry failed; try again later." : "",
                          response.status, code);
  }
}

bool RegistryClient::blob_exists(const std::string& repository, const Digest& digest) {
  const auto response =
      send({.method = "HEAD", .url = url("/v2/" + repository + "/blobs/" + digest.str())},
           repository, true);
  if (response.status == 200) {
    return true;
  }
  if (response.status == 404) {
    return false;
  }
  fail(response, "checking blob " + digest.str(), repository);
}

bool RegistryClient::mount_blob(const std::string& repository, const std::string& from,
                                const Digest& digest) {
  const auto response =
      send({.method = "POST",
            .url = url("/v2/" + repository + "/blobs/uploads/?mount=" + url_encode(digest.str()) +
                       "&from=" + url_encode(from))},
           repository, true);
  if (response.status == 201) {
    return true;
  }
  if (response.status == 202) {
    // The registry opened an upload session instead; close it rather than leave it.
    const std::string location = response.header("location");
    if (!location.empty()) {
      try {
        (void)send(
            {.method = "DELETE", .url = location.starts_with("http") ? location : url(location)},
            repository, true);
      } catch (const RegistryError&) {
        // Cancelling is best effort: the registry expires stale sessions itself.
      }
    }
    return false;
  }
  fail(response, "mounting blob " + digest.str() + " from " + from, repository);
}

std::string RegistryClient::absolute(const std::string& location) {
  return location.starts_with("http://") || location.starts_with("https://") ? location
                                                                             : url(location);
}

std::string RegistryClient::start_upload(const std::string& repository, const Descriptor& blob) {
  const auto started = send({.method = "POST", .url = url("/v2/" + repository + "/blobs/uploads/")},
                            repository, true);
  if (started.status != 202) {
    fail(started, "starting the upload of " + blob.digest.str(), repository);
  }
  const std::string location = started.header("location");
  if (location.empty()) {
    throw RegistryError("registry " + host_ + " started an upload without a Location",
                        "The registry does not follow the distribution API.", 202);
  }
  return absolute(location);
}

void RegistryClient::finish_upload(const std::string& repository, const Descriptor& blob,
                                   std::string location, BlobReader* body, std::uint64_t size) {
  location += (location.find('?') == std::string::npos ? "?" : "&");
  location += "digest=" + url_encode(blob.digest.str());
  const auto finished = send({.method = "PUT",
                              .url = location,
                              .headers = {"Content-Type: application/octet-stream"},
                              .upload = body,
                              .upload_size = size},
                             repository, true);
  if (finished.status != 201 && finished.status != 204) {
    fail(finished, "uploading blob " + blob.digest.str(), repository);
  }
}

void RegistryClient::upload_blob(const std::string& repository, const Descriptor& blob,
                                 const std::function<std::unique_ptr<BlobReader>()>& open) {
  if (static_cast<std::uint64_t>(blob.size) > options_.monolithic_limit) {
    upload_chunked(repository, blob, open);
  } else {
    upload_monolithic(repository, blob, open);
  }
}

void RegistryClient::upload_monolithic(const std::string& repository, const Descriptor& blob,
                                       const std::function<std::unique_ptr<BlobReader>()>& open) {
  for (int attempt = 1;; ++attempt) {
    try {
      const std::string location = start_upload(repository, blob);
      auto reader = open();
      finish_upload(repository, blob, location, reader.get(),
                    static_cast<std::uint64_t>(blob.size));
      return;
    } catch (const RegistryError& error) {
      if (!error.transient() || attempt >= options_.attempts) {
        throw;
      }
      std::this_thread::sleep_for(options_.backoff * (1 << (attempt - 1)));
    }
  }
}

namespace {

/// At most `limit` bytes of another reader: one chunk of a blob.
class ChunkReader final : public BlobReader {
 public:
  ChunkReader(BlobReader& inner, std::uint64_t limit) : inner_(inner), remaining_(limit) {}
  std::size_t read(std::span<char> buffer) override {
    const auto wanted =
        static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), remaining_));
    if (wanted == 0) {
      return 0;
    }
    const std::size_t got = inner_.read(buffer.first(wanted));
    remaining_ -= got;
    return got;
  }

 private:
  BlobReader& inner_;
  std::uint64_t remaining_;
};

/// Reads and drops `count` bytes (a resumed upload re-reads, and so re-verifies, what
/// the registry already holds).
void skip(BlobReader& reader, std::uint64_t count) {
  std::array<char, 1 << 16> buffer{};
  while (count > 0) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), count));
    const std::size_t got = reader.read(std::span<char>(buffer.data(), want));
    if (got == 0) {
      throw OciError("a blob ended before the offset an upload resumes from");
    }
    count -= got;
  }
}

/// The offset after the last byte a `Range: 0-N` header says the registry holds.
std::optional<std::uint64_t> held_bytes(const std::string& range) {
  const auto dash = range.find('-');
  if (dash == std::string::npos) {
    return std::nullopt;
  }
  try {
    return std::stoull(range.substr(dash + 1)) + 1;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

void RegistryClient::upload_chunked(const std::string& repository, const Descriptor& blob,
                                    const std::function<std::unique_ptr<BlobReader>()>& open) {
  const auto size = static_cast<std::uint64_t>(blob.size);
  for (int session = 1;; ++session) {
    std::string location;
    try {
      location = start_upload(repository, blob);
      auto reader = open();
      std::uint64_t offset = 0;
      int failures = 0;
      while (offset < size) {
        const std::uint64_t chunk = std::min(options_.chunk_size, size - offset);
        try {
          ChunkReader body(*reader, chunk);
          const auto sent = send({.method = "PATCH",
                                  .url = location,
                                  .headers = {"Content-Type: application/octet-stream",
                                              "Content-Range: " + std::to_string(offset) + "-" +
                                                  std::to_string(offset + chunk - 1)},
                                  .upload = &body,
                                  .upload_size = chunk},
                                 repository, true);
          if (sent.status != 202) {
            fail(sent, "uploading a chunk of " + blob.digest.str(), repository);
          }
          // Always the newest Location: distribution signs the offset into it.
          if (const auto next = sent.header("location"); !next.empty()) {
            location = absolute(next);
          }
          offset += chunk;
        } catch (const RegistryError& error) {
          if (!error.transient() || ++failures >= options_.attempts) {
            throw;
          }
          std::this_thread::sleep_for(options_.backoff * (1 << (failures - 1)));
          // Ask how much arrived, and go on from there with a fresh reader. (distribution
          // 2.8 instead invalidates a session that received part of a chunk; the 404 it
          // answers here starts a new session below.)
          const auto status = send({.url = location}, repository, true);
          const auto held = held_bytes(status.header("range"));
          if (status.status != 204 || !held || *held > size) {
            fail(status, "resuming the upload of " + blob.digest.str(), repository);
          }
          if (const auto next = status.header("location"); !next.empty()) {
            location = absolute(next);
          }
          offset = *held;
          reader = open();
          skip(*reader, offset);
        }
      }
      // Let the verifying reader see the end, then close the session with the digest.
      std::array<char, 1> end{};
      (void)reader->read(end);
      finish_upload(repository, blob, location, nullptr, 0);
      return;
    } catch (const RegistryError& error) {
      if (!error.transient() && error.code() != "BLOB_UPLOAD_UNKNOWN" && error.status() != 404) {
        throw;
      }
      if (session >= options_.attempts) {
        throw;
      }
      std::this_thread::sleep_for(options_.backoff * (1 << (session - 1)));
    }
  }
}

Digest RegistryClient::put_manifest(const std::string& repository, const std::string& reference,
                                    const std::string& bytes, const std::string& media_type) {
  const auto response = send({.method = "PUT",
                              .url = url("/v2/" + repository + "/manifests/" + reference),
                              .headers = {"Content-Type: " + media_type},
                              .body = bytes},
                             repository, true);
  if (response.status != 201 && response.status != 200) {
    fail(response, "pushing the manifest", repository);
  }
  const Digest expected = sha256_of(bytes);
  const std::string reported = response.header("docker-content-digest");
  if (!reported.empty() && reported != expected.str()) {
    throw RegistryError("registry " + host_ + " stored the manifest of " + repository +
                            " under digest " + reported + ", but its bytes have digest " +
                            expected.str(),
                        "The registry changed the manifest; push to another registry.", 201);
  }
  return expected;
}

RegistryClient::FetchedManifest RegistryClient::get_manifest(const std::string& repository,
                                                             const std::string& reference) {
  const auto response = send({.url = url("/v2/" + repository + "/manifests/" + reference),
                              .headers = {"Accept: " + std::string(media_type::kAcceptManifests)}},
                             repository, false);
  if (response.status != 200) {
    fail(response, "fetching manifest " + reference, repository);
  }
  FetchedManifest manifest{response.body, content_type(response), sha256_of(response.body)};
  if (reference.starts_with("sha256:") && manifest.digest.str() != reference) {
    throw RegistryError("registry " + host_ + " served a manifest for " + repository + "@" +
                            reference + " whose digest is " + manifest.digest.str(),
                        "The registry is serving damaged content.", 200);
  }
  if (manifest.media_type.empty()) {
    manifest.media_type = media_type_of(manifest.bytes, "manifest of " + repository);
  }
  return manifest;
}

std::optional<Digest> RegistryClient::manifest_digest(const std::string& repository,
                                                      const std::string& reference) {
  const auto response = send({.method = "HEAD",
                              .url = url("/v2/" + repository + "/manifests/" + reference),
                              .headers = {"Accept: " + std::string(media_type::kAcceptManifests)}},
                             repository, false);
  if (response.status == 404) {
    return std::nullopt;
  }
  if (response.status != 200) {
    fail(response, "checking manifest " + reference, repository);
  }
  const std::string reported = response.header("docker-content-digest");
  if (!reported.empty()) {
    return Digest::parse(reported);
  }
  return get_manifest(repository, reference).digest;
}

void RegistryClient::get_blob(const std::string& repository, const Digest& digest,
                              const std::function<void(std::string_view)>& sink) {
  const auto response = send({.url = url("/v2/" + repository + "/blobs/" + digest.str()),
                              .on_body = sink,
                              .follow_redirects = true},
                             repository, false);
  if (response.status != 200) {
    fail(response, "fetching blob " + digest.str(), repository);
  }
}

}  // namespace gantry::oci
