#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gantry/net/http_client.hpp"
#include "gantry/net/retry_policy.hpp"

namespace gantry::deb {

/// One file to fetch from an http://, https:// or file: URL.
struct Download {
  std::string url;
  std::filesystem::path target;  ///< written to a temporary name, renamed when verified
  std::string sha256;            ///< expected lower-case hex; "" when not known
  std::optional<std::uint64_t> size;
  bool optional = false;    ///< a missing file (404) is not an error: found = false
  bool revalidate = false;  ///< `target` may be a cached copy: ask with If-Modified-Since
};

struct DownloadResult {
  bool found = true;
  bool transferred = false;  ///< false when the cached copy was still current
};

/// Fetches files in parallel over the SDK's HTTP client: at most `jobs` transfers at a
/// time, connections reused, redirects followed (http and https only), transient failures
/// (connection errors, 5xx, 429) retried under the retry policy, each attempt into a fresh
/// temporary file, every file checked against its size and SHA256 before it is renamed
/// into place. Throws DebError naming the URL (a wrong hash, a 404, a refused connection)
/// and gantry::Cancelled within a second of `cancelled` turning true, even when the
/// server stalls.
class Downloader {
 public:
  struct Options {
    int jobs = 8;
    net::RetryPolicy retry{};
    /// Called with (bytes done, bytes expected) as transfers progress.
    std::function<void(std::uint64_t, std::uint64_t)> on_progress{};
    std::function<bool()> cancelled{};
  };

  explicit Downloader(Options options);
  ~Downloader();
  Downloader(const Downloader&) = delete;
  Downloader& operator=(const Downloader&) = delete;

  std::vector<DownloadResult> fetch(const std::vector<Download>& downloads);

  /// The cancellation predicate fetches observe (empty when there is none).
  [[nodiscard]] const std::function<bool()>& cancelled() const { return options_.cancelled; }

 private:
  DownloadResult fetch_remote(const Download& download, std::atomic<std::uint64_t>& done);

  Options options_;
  std::unique_ptr<net::HttpClient> http_;
};

/// The local path of a file: URL ("file:/a", "file:///a", "file://localhost/a").
[[nodiscard]] std::filesystem::path file_url_path(const std::string& url);

}  // namespace gantry::deb
