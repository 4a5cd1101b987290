#include "gantry/net/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <mutex>

#include "gantry/net/network_error.hpp"
#include "gantry/sdk/error.hpp"

namespace gantry::net {
namespace {

std::once_flag curl_initialized;

// An error page is read for its message only: this much of it is kept.
constexpr std::size_t kErrorBodyLimit = 64 * 1024;

struct Transfer {
  const HttpRequest* request = nullptr;
  HttpResponse* response = nullptr;
  CURL* curl = nullptr;
  const std::function<bool()>* cancelled = nullptr;
  // What a callback threw, rethrown after curl_easy_perform returns: an exception must
  // not unwind through libcurl's C frames.
  std::exception_ptr failure;
  std::size_t body_sent = 0;
};

long status_of(CURL* curl) {
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

std::size_t on_write(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::string_view bytes(data, size * count);
  const long status = status_of(transfer.curl);
  try {
    if (transfer.request->on_body && status >= 200 && status < 300) {
      transfer.request->on_body(bytes);
    } else if (transfer.request->on_body) {
      auto& body = transfer.response->body;
      body.append(bytes.substr(0, kErrorBodyLimit - std::min(kErrorBodyLimit, body.size())));
    } else {
      if (transfer.response->body.size() + bytes.size() > transfer.request->max_body) {
        throw Error(transfer.request->method + " " + without_credentials(transfer.response->url) +
                        " answered more than " + std::to_string(transfer.request->max_body >> 10) +
                        " KiB",
                    "The server is misbehaving or hostile; nothing of its answer was used.");
      }
      transfer.response->body.append(bytes);
    }
  } catch (...) {
    transfer.failure = std::current_exception();
    return 0;  // aborts the transfer
  }
  return bytes.size();
}

std::size_t read_header(Transfer& transfer, std::string_view line);

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  auto& transfer = *static_cast<Transfer*>(user);
  try {
    return read_header(transfer, std::string_view(data, size * count));
  } catch (...) {
    transfer.failure = std::current_exception();
    return 0;  // aborts the transfer
  }
}

std::size_t read_header(Transfer& transfer, std::string_view line) {
  if (line.starts_with("HTTP/")) {
    transfer.response->headers.clear();  // a new response (after 100 Continue)
    return line.size();
  }
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
      value.remove_prefix(1);
    }
    while (!value.empty() &&
           (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    auto& slot = transfer.response->headers[name];
    slot += slot.empty() ? std::string(value) : "\n" + std::string(value);
  }
  return line.size();
}

std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  try {
    if (transfer.request->upload != nullptr) {
      return transfer.request->upload->read({buffer, size * count});
    }
    const auto& body = transfer.request->body;
    const std::size_t n = std::min(size * count, body.size() - transfer.body_sent);
    std::copy_n(body.data() + transfer.body_sent, n, buffer);
    transfer.body_sent += n;
    return n;
  } catch (...) {
    transfer.failure = std::current_exception();
    return CURL_READFUNC_ABORT;
  }
}

// libcurl calls this at least once a second, even while the peer sends nothing.
int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto& transfer = *static_cast<Transfer*>(user);
  return (!transfer.request->uncancellable && *transfer.cancelled && (*transfer.cancelled)()) ? 1
                                                                                              : 0;
}

bool is_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool is_tls_failure(CURLcode code) {
  return code == CURLE_SSL_CONNECT_ERROR || code == CURLE_PEER_FAILED_VERIFICATION ||
         code == CURLE_SSL_CERTPROBLEM || code == CURLE_SSL_CIPHER ||
         code == CURLE_SSL_CACERT_BADFILE;
}

}  // namespace

struct HttpClient::Pool {
  std::mutex mutex;
  std::vector<CURL*> idle;

  CURL* acquire() {
    {
      const std::lock_guard lock(mutex);
      if (!idle.empty()) {
        CURL* handle = idle.back();
        idle.pop_back();
        return handle;
      }
    }
    return curl_easy_init();
  }
  void release(CURL* handle) {
    const std::lock_guard lock(mutex);
    idle.push_back(handle);
  }
  ~Pool() {
    for (CURL* handle : idle) {
      curl_easy_cleanup(handle);
    }
  }
};

std::string HttpResponse::header(const std::string& lower_name) const {
  const auto found = headers.find(lower_name);
  return found == headers.end() ? std::string() : found->second;
}

HttpClient::HttpClient(Options options)
    : options_(std::move(options)), pool_(std::make_unique<Pool>()) {
  std::call_once(curl_initialized, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::send(const HttpRequest& request) {
  const auto credential_origin =
      request.credential_origin ? request.credential_origin : Origin::of(request.url);
  std::string url = request.url;
  for (int hop = 0;; ++hop) {
    const auto origin = Origin::of(url);
    if (!origin) {
      throw NetworkError(request.method + " " + without_credentials(url) +
                             ": only http and https URLs are followed",
                         "Check the URL (and where its server redirects).",
                         NetworkError::Kind::kTls);
    }
    const bool with_credentials =
        !request.authorization.empty() && credential_origin && *origin == *credential_origin;
    HttpResponse response = send_once(request, url, with_credentials);
    const std::string location = response.header("location");
    if (!request.follow_redirects || !is_redirect(response.status) || location.empty()) {
      return response;
    }
    if (hop == 5) {
      throw NetworkError(
          request.method + " " + without_credentials(request.url) + ": more than 5 redirects",
          "Check the server's configuration.", NetworkError::Kind::kTls);
    }
    url = resolve_url(url, location);
  }
}

HttpResponse HttpClient::send_once(const HttpRequest& request, const std::string& url,
                                   bool with_credentials) {
  if (!request.uncancellable && options_.cancelled && options_.cancelled()) {
    throw Cancelled();
  }
  CURL* curl = pool_->acquire();
  if (curl == nullptr) {
    throw NetworkError("libcurl could not make a handle", "", NetworkError::Kind::kTransient);
  }
  curl_easy_reset(curl);  // keeps the handle's open connections
  HttpResponse response;
  response.url = url;
  Transfer transfer{&request, &response, curl, &options_.cancelled, nullptr, 0};

  curl_slist* headers = nullptr;
  for (const auto& header : request.headers) {
    headers = curl_slist_append(headers, header.c_str());
  }
  const std::string authorization = "Authorization: " + request.authorization;
  if (with_credentials) {
    headers = curl_slist_append(headers, authorization.c_str());
  }
  // No "Expect: 100-continue" round trip before bodies.
  headers = curl_slist_append(headers, "Expect:");

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options_.stall_timeout.count()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &on_progress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_FILETIME, 1L);
  if (request.timeout.count() > 0) {
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(request.timeout.count()));
  }
  if (request.if_modified_since) {
    curl_easy_setopt(curl, CURLOPT_TIMECONDITION, static_cast<long>(CURL_TIMECOND_IFMODSINCE));
    curl_easy_setopt(curl, CURLOPT_TIMEVALUE_LARGE,
                     static_cast<curl_off_t>(*request.if_modified_since));
  }
  if (!options_.verify_tls) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!options_.unix_socket.empty()) {
    curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, options_.unix_socket.c_str());
  }
  const bool has_body = request.upload != nullptr || !request.body.empty();
  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else if (has_body || request.method == "PUT" || request.method == "POST" ||
             request.method == "PATCH") {
    const auto size = request.upload != nullptr ? request.upload_size : request.body.size();
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, &on_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(size));
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  } else {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  const CURLcode result = curl_easy_perform(curl);
  response.status = status_of(curl);
  curl_off_t modified = -1;
  if (curl_easy_getinfo(curl, CURLINFO_FILETIME_T, &modified) == CURLE_OK && modified > 0) {
    response.modified = static_cast<std::int64_t>(modified);
  }
  curl_slist_free_all(headers);
  if (result != CURLE_OK) {
    // A failed handle may hold a broken connection: do not reuse it.
    curl_easy_cleanup(curl);
  } else {
    pool_->release(curl);
  }
  if (transfer.failure) {
    std::rethrow_exception(transfer.failure);
  }
  if (result == CURLE_ABORTED_BY_CALLBACK) {
    throw Cancelled();
  }
  if (result != CURLE_OK) {
    throw NetworkError(
        request.method + " " + without_credentials(url) + " failed: " + curl_easy_strerror(result),
        "Check that the server is running and reachable.",
        is_tls_failure(result) ? NetworkError::Kind::kTls : NetworkError::Kind::kTransient);
  }
  return response;
}

}  // namespace gantry::net
