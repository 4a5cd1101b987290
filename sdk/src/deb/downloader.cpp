#include "gantry/deb/downloader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <fstream>
#include <memory>
#include <mutex>
#include <thread>

#include "gantry/archive/atomic_file.hpp"
#include "gantry/deb/deb_error.hpp"
#include "gantry/net/digest.hpp"
#include "gantry/net/network_error.hpp"
#include "gantry/net/origin.hpp"
#include "gantry/sdk/error.hpp"

namespace gantry::deb {
namespace {

namespace fs = std::filesystem;

void check_content(const Download& download, std::uint64_t size, const std::string& sha256) {
  const std::string where = net::without_credentials(download.url);
  if (download.size && *download.size != size) {
    throw DebError(where + " does not match its index: " + std::to_string(size) +
                       " bytes, expected " + std::to_string(*download.size),
                   "The file was corrupted or tampered with, or the repository is being "
                   "updated; nothing from it was used. Try again later, or check the "
                   "repository.");
  }
  if (!download.sha256.empty() && download.sha256 != sha256) {
    throw DebError(
        where + " does not match its index: SHA256 " + sha256 + ", expected " + download.sha256,
        "The file was corrupted or tampered with; nothing from it was used. Try "
        "again, or check the repository.");
  }
}

DownloadResult copy_local(const Download& download) {
  const fs::path source = file_url_path(download.url);
  std::ifstream in(source, std::ios::binary);
  if (!in) {
    if (download.optional && !fs::exists(source)) {
      return {false, false};
    }
    throw DebError("cannot read " + source.string() + " (from " + download.url + ")",
                   "Check that the repository path exists and is readable.");
  }
  archive::AtomicFile file(download.target, archive::AtomicFile::Durability::kUnsynced);
  net::Sha256 hash;
  std::uint64_t size = 0;
  std::array<char, 1 << 16> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got > 0) {
      hash.update({buffer.data(), got});
      file.write({buffer.data(), got});
      size += got;
    }
  }
  check_content(download, size, hash.finish().hex());
  file.commit();
  return {true, true};
}

}  // namespace

fs::path file_url_path(const std::string& url) {
  std::string path = url.substr(std::string("file:").size());
  if (path.starts_with("//localhost/")) {
    path = path.substr(std::string("//localhost").size());
  } else if (path.starts_with("///")) {
    path = path.substr(2);
  } else if (path.starts_with("//")) {
    throw DebError("the URL " + url + " names a remote host",
                   "Use file:/path or file:///path for a local repository.");
  }
  return path;
}

Downloader::Downloader(Options options)
    : options_(std::move(options)),
      http_(std::make_unique<net::HttpClient>(net::HttpClient::Options{
          .cancelled = options_.cancelled, .user_agent = "gantry-deb-stage"})) {}

Downloader::~Downloader() = default;

DownloadResult Downloader::fetch_remote(const Download& download,
                                        std::atomic<std::uint64_t>& done) {
  const std::string where = net::without_credentials(download.url);
  net::RetryPolicy::Run retry(options_.retry, options_.cancelled);
  // A body longer than the index says is refused as it arrives; one the index does not
  // size is bounded as apt bounds it (Acquire::MaxReleaseFileSize for Release files).
  const bool release_file = download.url.ends_with("Release") || download.url.ends_with(".gpg");
  const std::uint64_t limit = download.size  ? *download.size
                              : release_file ? (10ULL << 20)
                                             : (1ULL << 30);
  for (int attempt = 1;; ++attempt) {
    // Each attempt writes a fresh temporary file: nothing of a failed one is kept.
    archive::AtomicFile file(download.target, archive::AtomicFile::Durability::kUnsynced);
    net::Sha256 hash;
    std::uint64_t received = 0;
    net::HttpRequest request{
        .url = download.url,
        .on_body =
            [&](std::string_view bytes) {
              if (received + bytes.size() > limit) {
                throw DebError(where + " is larger than " + std::to_string(limit) + " bytes" +
                                   (download.size ? ", its size in the index" : ""),
                               "The repository is broken or hostile; "
                               "nothing from it was used.");
              }
              file.write(bytes);
              hash.update(bytes);
              received += bytes.size();
              done += bytes.size();
            },
        .follow_redirects = true};
    std::error_code error;
    if (download.revalidate && fs::exists(download.target, error)) {
      struct stat status {};
      if (::stat(download.target.c_str(), &status) == 0) {
        request.if_modified_since = status.st_mtime;
      }
    }
    net::HttpResponse response;
    try {
      response = http_->send(request);
    } catch (const net::NetworkError& failure) {
      done -= received;
      if (!failure.transient() || !retry.wait_before_retry(attempt)) {
        throw DebError("cannot download " + where + ": " + failure.what() + " (after " +
                           std::to_string(attempt) + " attempts)",
                       "Check the network and that the repository is reachable.");
      }
      continue;
    }
    const long status = response.status;
    if (status >= 500 || status == 429 || status == 408) {
      done -= received;
      if (retry.wait_before_retry(attempt)) {
        continue;
      }
      throw DebError("cannot download " + where + ": HTTP " + std::to_string(status) + " (after " +
                         std::to_string(attempt) + " attempts)",
                     "The repository's server is failing; try again later.");
    }
    if (status == 304) {
      done += download.size.value_or(0);
      return {true, false};
    }
    if (status == 404 && download.optional) {
      return {false, false};
    }
    if (status != 200) {
      throw DebError("cannot download " + where + ": HTTP " + std::to_string(status),
                     status == 404 ? "The file is not in the repository: its indexes may "
                                     "be stale, or the URI, suite or component is wrong."
                                   : "Check the repository's URI and your access to it.");
    }
    check_content(download, received, hash.finish().hex());
    file.commit();
    if (response.modified) {
      std::error_code ignored;
      fs::last_write_time(
          download.target,
          fs::file_time_type::clock::from_sys(
              std::chrono::system_clock::from_time_t(static_cast<std::time_t>(*response.modified))),
          ignored);
    }
    return {true, true};
  }
}

std::vector<DownloadResult> Downloader::fetch(const std::vector<Download>& downloads) {
  std::vector<DownloadResult> results(downloads.size());
  std::vector<std::size_t> remote;
  std::uint64_t expected = 0;
  std::atomic<std::uint64_t> done{0};
  for (std::size_t i = 0; i < downloads.size(); ++i) {
    expected += downloads[i].size.value_or(0);
    if (downloads[i].url.starts_with("file:")) {
      results[i] = copy_local(downloads[i]);
      done += downloads[i].size.value_or(0);
    } else {
      remote.push_back(i);
    }
  }
  // `jobs` workers take the next file; the first failure stops the others. This thread
  // reports progress until they are done.
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::condition_variable worker_done;
  std::size_t running = std::min<std::size_t>(remote.size(), std::max(1, options_.jobs));
  std::exception_ptr failure;
  const auto work = [&] {
    std::exception_ptr error;
    for (std::size_t slot = next++; slot < remote.size(); slot = next++) {
      try {
        results[remote[slot]] = fetch_remote(downloads[remote[slot]], done);
      } catch (...) {
        error = std::current_exception();
        next = remote.size();  // the others take nothing more
        break;
      }
    }
    const std::lock_guard lock(mutex);
    if (error && !failure) {
      failure = error;
    }
    --running;
    worker_done.notify_one();
  };
  std::vector<std::jthread> workers;
  for (std::size_t i = running; i > 0; --i) {
    workers.emplace_back(work);
  }
  {
    std::unique_lock lock(mutex);
    while (running > 0) {
      worker_done.wait_for(lock, std::chrono::milliseconds(200));
      if (options_.on_progress && running > 0) {
        lock.unlock();
        options_.on_progress(done.load(), expected);
        lock.lock();
      }
    }
  }
  workers.clear();  // joins
  if (failure) {
    std::rethrow_exception(failure);
  }
  if (options_.on_progress) {
    options_.on_progress(expected, expected);
  }
  return results;
}

}  // namespace gantry::deb
