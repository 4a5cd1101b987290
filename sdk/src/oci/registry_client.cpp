#include "gantry/oci/registry_client.hpp"

#include <nlohmann/json.hpp>

#include "gantry/net/encoding.hpp"
#include "gantry/net/network_error.hpp"
#include "gantry/oci/media_types.hpp"
#include "gantry/oci/oci_error.hpp"
#include "gantry/oci/registry_error.hpp"
#include "registry_auth.hpp"

namespace gantry::oci {
namespace {

/// The first error of a distribution error body: code and message.
std::pair<std::string, std::string> error_of(const std::string& body) {
  try {
    const auto json = nlohmann::json::parse(body);
    const auto& first = json.at("errors").at(0);
    return {net::printable(first.value("code", ""), 64),
            net::printable(first.value("message", ""))};
  } catch (const nlohmann::json::exception&) {
    std::string text = body.substr(0, 200);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
      text.pop_back();
    }
    return {"", net::printable(text)};
  }
}

std::string content_type(const net::HttpResponse& response) {
  std::string type = response.header("content-type");
  if (const auto semicolon = type.find(';'); semicolon != std::string::npos) {
    type.erase(semicolon);
  }
  return type;
}

std::optional<std::chrono::milliseconds> retry_after(const net::HttpResponse& response) {
  const std::string value = response.header("retry-after");
  if (value.empty() || value.size() > 6 ||
      value.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::chrono::seconds(std::min(60L, std::stol(value)));
}

bool transient_status(long status) { return status == 408 || status == 429 || status >= 500; }

}  // namespace

RegistryClient::RegistryClient(std::string host, Options options)
    : host_(std::move(host)),
      options_(std::move(options)),
      http_(std::make_unique<net::HttpClient>(net::HttpClient::Options{
          .verify_tls = options_.tls_verify, .cancelled = options_.cancelled})) {}

RegistryClient::~RegistryClient() = default;

std::string RegistryClient::url(const std::string& path) {
  ping();
  return scheme_ + "://" + host_ + path;
}

net::HttpResponse RegistryClient::transport(const net::HttpRequest& request) {
  try {
    return http_->send(request);
  } catch (const net::NetworkError& error) {
    throw RegistryError(error.what(), "Check that the registry is running and reachable.", 0,
                        error.tls() ? RegistryError::kTlsFailure : "");
  }
}

void RegistryClient::ping() {
  std::call_once(pinged_, [this] {
    net::HttpResponse response;
    try {
      response = transport({.url = "https://" + host_ + "/v2/"});
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
        response = transport({.url = "http://" + host_ + "/v2/"});
        scheme_ = "http";
      } catch (const RegistryError& plain) {
        throw RegistryError("cannot reach registry " + host_ + " (https or http): " + plain.what(),
                            "Check that the registry runs and that the host and port are right.",
                            0);
      }
    }
    origin_ = net::Origin::of(scheme_ + "://" + host_ + "/");
    if (!origin_) {
      throw RegistryError("'" + host_ + "' is not a registry host", "Write HOST[:PORT].", 0);
    }
    auth_ = std::make_unique<RegistryAuth>(host_, *origin_, options_.credentials);
    if (response.status == 401) {
      if (!auth_->learn(response.header("www-authenticate"))) {
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

net::HttpResponse RegistryClient::send_once(net::HttpRequest& request,
                                            const std::string& repository, bool push) {
  // Credentials belong to the registry's origin: an upload Location or a redirect to
  // another host, port or scheme gets none (the HTTP client enforces it).
  request.credential_origin = origin_;
  std::string refused;
  for (const bool renewed : {false, true}) {
    request.authorization = auth_->authorization(*http_, repository, push, refused);
    net::HttpResponse response = transport(request);
    // A streamed body cannot be sent twice: its caller starts over instead.
    if (response.status != 401 || renewed || request.upload != nullptr) {
      return response;
    }
    // Only the registry itself may say how to log in to it: a 401 from a redirect target
    // or an upload Location elsewhere must not send the login to a realm it names.
    if (net::Origin::of(response.url) != origin_) {
      return response;
    }
    refused = request.authorization.empty() ? std::string("(none)") : request.authorization;
    // A 401 with a challenge we had not seen yet (the registry may only challenge here).
    if (!auth_->learn(response.header("www-authenticate")) && !auth_->challenged()) {
      return response;
    }
  }
  return {};
}

net::HttpResponse RegistryClient::send(net::HttpRequest request, const std::string& repository,
                                       bool push) {
  ping();
  net::RetryPolicy::Run retry(options_.retry, options_.cancelled);
  for (int attempt = 1;; ++attempt) {
    std::optional<std::chrono::milliseconds> wait;
    try {
      net::HttpResponse response = send_once(request, repository, push);
      if (!transient_status(response.status) || request.upload != nullptr) {
        return response;
      }
      wait = retry_after(response);
      if (!retry.wait_before_retry(attempt, wait)) {
        return response;
      }
    } catch (const RegistryError& error) {
      if (!error.transient() || request.upload != nullptr ||
          !retry.wait_before_retry(attempt, wait)) {
        throw;
      }
    }
  }
}

void RegistryClient::fail(const net::HttpResponse& response, const std::string& what,
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
  const auto response = send(
      {.method = "POST",
       .url = url("/v2/" + repository + "/blobs/uploads/?mount=" + net::url_encode(digest.str()) +
                  "&from=" + net::url_encode(from))},
      repository, true);
  if (response.status == 201) {
    return true;
  }
  if (response.status == 202) {
    // The registry opened an upload session instead; close it rather than leave it.
    cancel_upload(repository, response.header("location"));
    return false;
  }
  fail(response, "mounting blob " + digest.str() + " from " + from, repository);
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
                                                             const std::string& reference,
                                                             bool for_push) {
  const auto response = send({.url = url("/v2/" + repository + "/manifests/" + reference),
                              .headers = {"Accept: " + std::string(media_type::kAcceptManifests)}},
                             repository, for_push);
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
                                                      const std::string& reference, bool for_push) {
  const auto response = send({.method = "HEAD",
                              .url = url("/v2/" + repository + "/manifests/" + reference),
                              .headers = {"Accept: " + std::string(media_type::kAcceptManifests)}},
                             repository, for_push);
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
  return get_manifest(repository, reference, for_push).digest;
}

void RegistryClient::get_blob(const std::string& repository, const Digest& digest,
                              const BlobSink& sink) {
  ping();
  net::RetryPolicy::Run retry(options_.retry, options_.cancelled);
  for (int attempt = 1;; ++attempt) {
    if (attempt > 1) {
      sink.restart();  // the blob comes again from its first byte
    }
    net::HttpResponse response;
    try {
      net::HttpRequest request{.url = url("/v2/" + repository + "/blobs/" + digest.str()),
                               .on_body = sink.write,
                               .follow_redirects = true};
      response = send_once(request, repository, false);
    } catch (const RegistryError& error) {
      if (!error.transient() || !retry.wait_before_retry(attempt)) {
        throw;
      }
      continue;
    }
    if (response.status == 200) {
      return;
    }
    if (!transient_status(response.status) ||
        !retry.wait_before_retry(attempt, retry_after(response))) {
      fail(response, "fetching blob " + digest.str(), repository);
    }
  }
}

void RegistryClient::cancel_upload(const std::string& repository, const std::string& location) {
  if (location.empty()) {
    return;
  }
  try {
    // Sent even after Ctrl-C, briefly: a session left open holds storage on the registry.
    net::HttpRequest request{.method = "DELETE", .url = absolute(location)};
    request.uncancellable = true;
    request.timeout = std::chrono::seconds(5);
    (void)send_once(request, repository, true);
  } catch (const Error&) {
    // Best effort: the registry expires stale sessions itself.
  }
}

}  // namespace gantry::oci
