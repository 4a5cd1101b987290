#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

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

/// Fetches files in parallel over libcurl's multi interface: at most `jobs` transfers at
/// a time, connections reused, transient failures (connection errors, 5xx, 429) retried
/// with backoff, every file checked against its size and SHA256 before it is renamed into
/// place. Throws DebError naming the URL (a wrong hash, a 404, a refused connection) and
/// gantry::Cancelled when `cancelled` turns true.
class Downloader {
 public:
  struct Options {
    int jobs = 8;
    int attempts = 4;
    /// Called with (bytes done, bytes expected) as transfers progress.
    std::function<void(std::uint64_t, std::uint64_t)> on_progress{};
    std::function<bool()> cancelled{};
  };

  explicit Downloader(Options options);

  std::vector<DownloadResult> fetch(const std::vector<Download>& downloads);

 private:
  Options options_;
};

/// The local path of a file: URL ("file:/a", "file:///a", "file://localhost/a").
[[nodiscard]] std::filesystem::path file_url_path(const std::string& url);

}  // namespace gantry::deb
