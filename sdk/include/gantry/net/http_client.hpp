#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/net/body_reader.hpp"
#include "gantry/net/origin.hpp"

namespace gantry::net {

/// One HTTP request. Credentials go in `authorization`, not in `headers`: the client sends
/// them only to `credential_origin` (by default the origin of `url`), and so never to
/// another host, port or scheme a redirect leads to.
struct HttpRequest {
  std::string method = "GET";
  std::string url{};
  std::vector<std::string> headers{};  ///< "Name: value"
  std::string authorization{};         ///< the Authorization value ("Basic …", "Bearer …")
  std::optional<Origin> credential_origin{};
  std::string body{};            ///< a small body, sent when `upload` is null
  BodyReader* upload = nullptr;  ///< a streamed body of `upload_size` bytes
  std::uint64_t upload_size = 0;
  /// Receives the body of a 2xx answer as it arrives, instead of HttpResponse::body. The
  /// body of any other answer (an error page, a redirect) never reaches it.
  std::function<void(std::string_view)> on_body{};
  bool follow_redirects = false;  ///< at most 5, http and https only
  /// Ask with If-Modified-Since: the answer is 304 when nothing changed since.
  std::optional<std::int64_t> if_modified_since{};
  /// The most a body kept in memory (no `on_body`) may hold; a longer answer aborts the
  /// transfer with gantry::Error (a registry or token server that never stops talking).
  std::uint64_t max_body = 8ULL << 20;
  /// Sent even while the client is cancelled, for at most `timeout` (cleanup requests).
  bool uncancellable = false;
  /// The whole transfer's limit; 0 for none (the stall timeout still applies).
  std::chrono::seconds timeout{0};
};

struct HttpResponse {
  long status = 0;
  /// Lower-case names; a repeated header keeps every value, joined by "\n".
  std::map<std::string, std::string> headers;
  /// The body, when the request had no `on_body` or the answer was not 2xx (the first
  /// 64 KiB of an error body: enough for a message).
  std::string body;
  std::string url;  ///< where the answer came from, after redirects
  /// Last-Modified as a Unix time, or nullopt.
  std::optional<std::int64_t> modified;

  [[nodiscard]] std::string header(const std::string& lower_name) const;
};

/// The SDK's one HTTP client (libcurl), used by the registry client, the Debian
/// downloader and the steps to come. A pool of easy handles (each keeps its
/// connections); safe to use from several threads. http and https only; connect and
/// stall timeouts; redirects followed by the client itself, so that credentials stay with
/// their origin; every transfer aborted within a second of `cancelled` turning true.
///
/// Throws NetworkError when no answer comes, gantry::Cancelled when cancelled, and
/// rethrows what an upload reader or a body sink threw (carried past libcurl's C frames,
/// never thrown through them). An HTTP error status is an answer, not an exception.
class HttpClient {
 public:
  struct Options {
    bool verify_tls = true;
    std::string unix_socket{};  ///< talk HTTP over this socket instead of TCP
    std::chrono::seconds connect_timeout{30};
    /// Abort a transfer that moves less than 1 byte/s for this long (a dead peer).
    std::chrono::seconds stall_timeout{60};
    std::function<bool()> cancelled{};
    std::string user_agent = "gantry/0.1";
  };

  explicit HttpClient(Options options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse send(const HttpRequest& request);

  [[nodiscard]] const Options& options() const { return options_; }

 private:
  struct Pool;
  HttpResponse send_once(const HttpRequest& request, const std::string& url, bool with_credentials);

  Options options_;
  std::unique_ptr<Pool> pool_;
};

}  // namespace gantry::net
