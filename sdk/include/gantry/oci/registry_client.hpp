#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "gantry/net/http_client.hpp"
#include "gantry/net/retry_policy.hpp"
#include "gantry/oci/blob_reader.hpp"
#include "gantry/oci/credentials.hpp"
#include "gantry/oci/digest.hpp"
#include "gantry/oci/manifest.hpp"

namespace gantry::oci {

class RegistryAuth;

/// A client of one registry (OCI distribution API v2) over the SDK's HTTP client. Safe to use from
/// several threads: uploads of different blobs run in parallel.
///
/// https is tried first; plain http only when TLS verification is off (as skopeo does).
/// Anonymous, Basic and Bearer-token authentication: the challenge is learned from the
/// first 401, tokens are requested for the repository's scope and renewed when they
/// expire; an identity token is exchanged for access tokens as docker does (OAuth2
/// refresh_token grant). Credentials go to the registry's own scheme, host and port only:
/// never to an upload Location or redirect elsewhere, nor to a token server over plain
/// http unless the registry itself is plain http on loopback. Transient failures (no
/// answer, 408, 429, 5xx) are retried with backoff under a deadline; every wait observes
/// cancellation. Errors are RegistryError naming the registry and repository, never the
/// secret.
class RegistryClient {
 public:
  struct Options {
    bool tls_verify = true;
    std::optional<Credentials> credentials;
    net::RetryPolicy retry{};
    /// Polled by every transfer and wait: the client stops within a second of it.
    std::function<bool()> cancelled{};
    /// Blobs up to this size go in one PUT; larger ones in PATCH chunks that resume
    /// after a dropped connection.
    std::uint64_t monolithic_limit = 128ULL << 20;
    std::uint64_t chunk_size = 64ULL << 20;
  };

  /// A manifest as the registry serves it.
  struct FetchedManifest {
    std::string bytes;
    std::string media_type;
    Digest digest;
  };

  RegistryClient(std::string host, Options options);
  ~RegistryClient();
  RegistryClient(const RegistryClient&) = delete;
  RegistryClient& operator=(const RegistryClient&) = delete;

  [[nodiscard]] const std::string& host() const { return host_; }

  /// GET /v2/: chooses the scheme and learns how to authenticate.
  void ping();
  /// HEAD the blob: true when the repository has it.
  [[nodiscard]] bool blob_exists(const std::string& repository, const Digest& digest);
  /// Mounts a blob from another repository of the same registry; false when the
  /// registry would rather have it uploaded (the session it opened is cancelled).
  [[nodiscard]] bool mount_blob(const std::string& repository, const std::string& from,
                                const Digest& digest);
  /// Uploads a blob: POST, then PUT ?digest= with the body; or, above monolithic_limit,
  /// PATCH chunks, each to the Location the previous answer gave, resuming from the
  /// offset the registry reports after a dropped connection. `open` makes a fresh reader
  /// for each attempt; the registry checks the digest too.
  void upload_blob(const std::string& repository, const Descriptor& blob,
                   const std::function<std::unique_ptr<BlobReader>()>& open);
  /// PUTs a manifest with its exact media type; returns the digest the registry reports,
  /// after checking it equals the digest of `bytes`.
  Digest put_manifest(const std::string& repository, const std::string& reference,
                      const std::string& bytes, const std::string& media_type);
  /// GETs a manifest or index by tag or digest (checking the digest when pinned). With
  /// `for_push`, asks for push access as well, so that a push's one token serves it.
  [[nodiscard]] FetchedManifest get_manifest(const std::string& repository,
                                             const std::string& reference, bool for_push = false);
  /// HEADs a manifest: its digest, or nullopt when the registry has no such tag.
  [[nodiscard]] std::optional<Digest> manifest_digest(const std::string& repository,
                                                      const std::string& reference,
                                                      bool for_push = false);
  /// Where a pulled blob's bytes go. `restart` is called before a retry, which sends the
  /// blob again from its start: what an earlier attempt wrote must be dropped.
  struct BlobSink {
    std::function<void(std::string_view)> write;
    std::function<void()> restart;
  };
  /// Streams a blob's bytes to `sink`, retrying transient failures from the start.
  void get_blob(const std::string& repository, const Digest& digest, const BlobSink& sink);

 private:
  /// Sends with credentials (renewing a refused token once) and retries transient
  /// failures under the retry policy, unless the request streams an upload.
  net::HttpResponse send(net::HttpRequest request, const std::string& repository, bool push);
  net::HttpResponse send_once(net::HttpRequest& request, const std::string& repository, bool push);
  /// One request, no retries; NetworkError becomes RegistryError (status 0).
  net::HttpResponse transport(const net::HttpRequest& request);
  /// The URL of `path` on this registry, once ping() has chosen the scheme.
  std::string url(const std::string& path);
  /// The absolute form of a Location header.
  std::string absolute(const std::string& location);
  void upload_monolithic(const std::string& repository, const Descriptor& blob,
                         const std::function<std::unique_ptr<BlobReader>()>& open);
  void upload_chunked(const std::string& repository, const Descriptor& blob,
                      const std::function<std::unique_ptr<BlobReader>()>& open);
  /// POST /blobs/uploads/: the new session's Location.
  std::string start_upload(const std::string& repository, const Descriptor& blob);
  void finish_upload(const std::string& repository, const Descriptor& blob, std::string location,
                     BlobReader* body, std::uint64_t size);
  /// Deletes an upload session (best effort: the registry also expires stale ones).
  void cancel_upload(const std::string& repository, const std::string& location);
  [[noreturn]] void fail(const net::HttpResponse& response, const std::string& what,
                         const std::string& repository) const;

  std::string host_;
  Options options_;
  std::unique_ptr<net::HttpClient> http_;
  std::unique_ptr<RegistryAuth> auth_;
  std::once_flag pinged_;
  std::string scheme_ = "https";
  std::optional<net::Origin> origin_;  ///< the only origin credentials are sent to
};

/// The offset an interrupted upload resumes from, read from the registry's `Range`
/// header ("0-N", N the last byte held; "0-0" taken as nothing held); nullopt when the
/// header is malformed.
[[nodiscard]] std::optional<std::uint64_t> upload_offset(const std::string& range);

}  // namespace gantry::oci
