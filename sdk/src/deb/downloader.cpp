#include "gantry/deb/downloader.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <deque>
#include <fstream>
#include <memory>
#include <thread>

#include "gantry/archive/atomic_file.hpp"
#include "gantry/deb/deb_error.hpp"
#include "gantry/oci/digest.hpp"
#include "gantry/sdk/error.hpp"

namespace gantry::deb {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string strip_credentials(const std::string& url) {
  // Never print "user:password@" from a URL.
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (scheme == std::string::npos || at == std::string::npos || at > slash) {
    return url;
  }
  return url.substr(0, scheme + 3) + url.substr(at + 1);
}

void check_content(const Download& download, std::uint64_t size, const std::string& sha256) {
  const std::string where = strip_credentials(download.url);
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
  oci::Sha256 hash;
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

// One transfer in flight.
struct Transfer {
  std::size_t index = 0;
  int attempt = 0;
  CURL* handle = nullptr;
  std::unique_ptr<archive::AtomicFile> file;
  oci::Sha256 hash;
  std::uint64_t received = 0;
  std::uint64_t* total_done = nullptr;
  std::array<char, CURL_ERROR_SIZE> error{};
};

std::size_t on_write(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  long status = 0;
  curl_easy_getinfo(transfer->handle, CURLINFO_RESPONSE_CODE, &status);
  const std::size_t bytes = size * count;
  if (status != 200) {
    return bytes;  // an error page: dropped
  }
  transfer->file->write({data, bytes});
  transfer->hash.update({data, bytes});
  transfer->received += bytes;
  *transfer->total_done += bytes;
  return bytes;
}

struct Pending {
  std::size_t index;
  int attempt;
  Clock::time_point not_before;
};

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

Downloader::Downloader(Options options) : options_(std::move(options)) {
  static const bool initialised = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == 0; }();
  (void)initialised;
}

std::vector<DownloadResult> Downloader::fetch(const std::vector<Download>& downloads) {
  std::vector<DownloadResult> results(downloads.size());
  std::deque<Pending> pending;
  std::uint64_t expected = 0;
  std::uint64_t done = 0;
  for (std::size_t i = 0; i < downloads.size(); ++i) {
    expected += downloads[i].size.value_or(0);
    if (downloads[i].url.starts_with("file:")) {
      results[i] = copy_local(downloads[i]);
      done += downloads[i].size.value_or(0);
    } else {
      pending.push_back({i, 0, Clock::now()});
    }
  }
  std::unique_ptr<CURLM, decltype(&curl_multi_cleanup)> multi(curl_multi_init(),
                                                              &curl_multi_cleanup);
  std::unique_ptr<CURLSH, decltype(&curl_share_cleanup)> share(curl_share_init(),
                                                               &curl_share_cleanup);
  curl_share_setopt(share.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_multi_setopt(multi.get(), CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(options_.jobs));
  std::vector<std::unique_ptr<Transfer>> running;
  std::vector<CURL*> idle_handles;
  const auto cleanup = [&] {
    for (auto& transfer : running) {
      curl_multi_remove_handle(multi.get(), transfer->handle);
      curl_easy_cleanup(transfer->handle);
    }
    for (auto* handle : idle_handles) {
      curl_easy_cleanup(handle);
    }
  };
  auto last_report = Clock::now();
  try {
    while (!pending.empty() || !running.empty()) {
      if (options_.cancelled && options_.cancelled()) {
        throw Cancelled();
      }
      // Start what may start.
      while (!pending.empty() && running.size() < static_cast<std::size_t>(options_.jobs) &&
             pending.front().not_before <= Clock::now()) {
        const Pending next = pending.front();
        pending.pop_front();
        const Download& download = downloads[next.index];
        auto transfer = std::make_unique<Transfer>();
        transfer->index = next.index;
        transfer->attempt = next.attempt;
        transfer->total_done = &done;
        transfer->file = std::make_unique<archive::AtomicFile>(
            download.target, archive::AtomicFile::Durability::kUnsynced);
        CURL* handle = nullptr;
        if (idle_handles.empty()) {
          handle = curl_easy_init();
        } else {
          handle = idle_handles.back();
          idle_handles.pop_back();
          curl_easy_reset(handle);
        }
        transfer->handle = handle;
        curl_easy_setopt(handle, CURLOPT_URL, download.url.c_str());
        curl_easy_setopt(handle, CURLOPT_SHARE, share.get());
        curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(handle, CURLOPT_MAXREDIRS, 5L);
        curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, 30L);
        curl_easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(handle, CURLOPT_LOW_SPEED_TIME, 60L);
        curl_easy_setopt(handle, CURLOPT_FILETIME, 1L);
        curl_easy_setopt(handle, CURLOPT_USERAGENT, "gantry-deb-stage");
        curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, transfer->error.data());
        curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &on_write);
        curl_easy_setopt(handle, CURLOPT_WRITEDATA, transfer.get());
        curl_easy_setopt(handle, CURLOPT_PRIVATE, transfer.get());
        std::error_code error;
        if (download.revalidate && fs::exists(download.target, error)) {
          struct stat status {};
          if (::stat(download.target.c_str(), &status) == 0) {
            curl_easy_setopt(handle, CURLOPT_TIMECONDITION,
                             static_cast<long>(CURL_TIMECOND_IFMODSINCE));
            curl_easy_setopt(handle, CURLOPT_TIMEVALUE_LARGE,
                             static_cast<curl_off_t>(status.st_mtime));
          }
        }
        curl_multi_add_handle(multi.get(), handle);
        running.push_back(std::move(transfer));
      }
      int still_running = 0;
      curl_multi_perform(multi.get(), &still_running);
      int queued = 0;
      while (CURLMsg* message = curl_multi_info_read(multi.get(), &queued)) {
        if (message->msg != CURLMSG_DONE) {
          continue;
        }
        Transfer* transfer = nullptr;
        curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &transfer);
        const Download& download = downloads[transfer->index];
        const CURLcode code = message->data.result;
        long status = 0;
        curl_easy_getinfo(transfer->handle, CURLINFO_RESPONSE_CODE, &status);
        curl_multi_remove_handle(multi.get(), transfer->handle);
        idle_handles.push_back(transfer->handle);
        const auto owned = std::find_if(running.begin(), running.end(),
                                        [&](const auto& p) { return p.get() == transfer; });
        std::unique_ptr<Transfer> finished = std::move(*owned);
        running.erase(owned);
        const std::string where = strip_credentials(download.url);
        const bool transient = code != CURLE_OK || status >= 500 || status == 429;
        if (transient) {
          done -= finished->received;
          if (finished->attempt + 1 < options_.attempts) {
            const auto delay = std::chrono::milliseconds(250 << finished->attempt);
            pending.push_back({finished->index, finished->attempt + 1, Clock::now() + delay});
            continue;
          }
          throw DebError("cannot download " + where + ": " +
                             (code != CURLE_OK ? std::string(finished->error.data()[0] != 0
                                                                 ? finished->error.data()
                                                                 : curl_easy_strerror(code))
                                               : "HTTP " + std::to_string(status)) +
                             " (after " + std::to_string(options_.attempts) + " attempts)",
                         "Check the network and that the repository is reachable.");
        }
        if (status == 304) {
          results[finished->index] = {true, false};
          done += download.size.value_or(0);
          continue;
        }
        if (status == 404 && download.optional) {
          results[finished->index] = {false, false};
          continue;
        }
        if (status != 200) {
          throw DebError("cannot download " + where + ": HTTP " + std::to_string(status),
                         status == 404 ? "The file is not in the repository: its indexes may "
                                         "be stale, or the URI, suite or component is wrong."
                                       : "Check the repository's URI and your access to it.");
        }
        check_content(download, finished->received, finished->hash.finish().hex());
        finished->file->commit();
        curl_off_t filetime = -1;
        curl_easy_getinfo(finished->handle, CURLINFO_FILETIME_T, &filetime);
        if (filetime > 0) {
          std::error_code ignored;
          fs::last_write_time(
              download.target,
              fs::file_time_type::clock::from_sys(
                  std::chrono::system_clock::from_time_t(static_cast<std::time_t>(filetime))),
              ignored);
        }
        results[finished->index] = {true, true};
      }
      if (options_.on_progress && Clock::now() - last_report > std::chrono::milliseconds(200)) {
        options_.on_progress(done, expected);
        last_report = Clock::now();
      }
      if (!running.empty()) {
        curl_multi_poll(multi.get(), nullptr, 0, 100, nullptr);
      } else if (!pending.empty()) {
        std::this_thread::sleep_until(pending.front().not_before);
      }
    }
  } catch (...) {
    cleanup();
    throw;
  }
  cleanup();
  if (options_.on_progress) {
    options_.on_progress(expected, expected);
  }
  return results;
}

}  // namespace gantry::deb
