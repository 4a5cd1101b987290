#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/oci/blob_reader.hpp"

namespace gantry::oci {

struct HttpRequest {
  std::string method = "GET";
  std::string url{};
  std::vector<std::string> headers{};  ///< "Name: value"
  std::string body{};                  ///< a small body, sent when `upload` is null
  BlobReader* upload = nullptr;        ///< a streamed body of `upload_size` bytes
  std::uint64_t upload_size = 0;
  /// Receives the response body as it arrives, instead of HttpResponse::body.
  std::function<void(std::string_view)> on_body{};
  bool follow_redirects = false;
};

struct HttpResponse {
  long status = 0;
  /// Lower-case names; a repeated header keeps every value, joined by "\n".
  std::map<std::string, std::string> headers;
  std::string body;

  [[nodiscard]] std::string header(const std::string& lower_name) const;
};

/// A small libcurl client: a pool of easy handles (each keeps its connections), safe to
/// use from several threads. Throws RegistryError (status 0) when no answer comes, and
/// rethrows what an upload reader threw (a digest mismatch, a cancellation).
class HttpClient {
 public:
  struct Options {
    bool verify_tls = true;
    std::string unix_socket{};  ///< talk HTTP over this socket instead of TCP
    long connect_timeout_seconds = 30;
    /// Abort a transfer slower than 1 byte/s for this long (a dead peer).
    long stall_timeout_seconds = 60;
  };

  explicit HttpClient(Options options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse send(const HttpRequest& request);

 private:
  void* acquire();
  void release(void* handle);

  Options options_;
  std::mutex mutex_;
  std::vector<void*> idle_;
};

/// `text` with every byte outside unreserved characters percent-encoded.
[[nodiscard]] std::string url_encode(std::string_view text);
/// Standard base64 with padding.
[[nodiscard]] std::string base64(std::string_view bytes);
[[nodiscard]] std::string base64_decode(std::string_view text);

}  // namespace gantry::oci
