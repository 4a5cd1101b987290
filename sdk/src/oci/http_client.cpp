#include "http_client.hpp"

#include <curl/curl.h>

#include <cctype>
#include <exception>

#include "gantry/oci/registry_error.hpp"

namespace gantry::oci {
namespace {

std::once_flag curl_initialized;

struct Transfer {
  const HttpRequest* request = nullptr;
  HttpResponse* response = nullptr;
  std::exception_ptr failure;
  std::size_t body_sent = 0;
};

std::size_t on_write(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  const std::string_view bytes(data, size * count);
  try {
    if (transfer.request->on_body) {
      transfer.request->on_body(bytes);
    } else {
      transfer.response->body.append(bytes);
    }
  } catch (...) {
    transfer.failure = std::current_exception();
    return 0;  // aborts the transfer
  }
  return bytes.size();
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& transfer = *static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    transfer.response->headers.clear();  // a new response (after 100 Continue or a redirect)
    return line.size();
  }
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    for (auto& c : name) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
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
  return size * count;
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

}  // namespace

std::string HttpResponse::header(const std::string& lower_name) const {
  const auto found = headers.find(lower_name);
  return found == headers.end() ? std::string() : found->second;
}

HttpClient::HttpClient(Options options) : options_(std::move(options)) {
  std::call_once(curl_initialized, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpClient::~HttpClient() {
  for (void* handle : idle_) {
    curl_easy_cleanup(static_cast<CURL*>(handle));
  }
}

void* HttpClient::acquire() {
  {
    const std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      void* handle = idle_.back();
      idle_.pop_back();
      return handle;
    }
  }
  return curl_easy_init();
}

void HttpClient::release(void* handle) {
  const std::lock_guard lock(mutex_);
  idle_.push_back(handle);
}

HttpResponse HttpClient::send(const HttpRequest& request) {
  CURL* curl = static_cast<CURL*>(acquire());
  if (curl == nullptr) {
    throw RegistryError("libcurl could not make a handle", "", 0);
  }
  curl_easy_reset(curl);  // keeps the handle's open connections
  HttpResponse response;
  Transfer transfer{&request, &response, nullptr, 0};

  curl_slist* headers = nullptr;
  for (const auto& header : request.headers) {
    headers = curl_slist_append(headers, header.c_str());
  }
  // No "Expect: 100-continue" round trip before bodies.
  headers = curl_slist_append(headers, "Expect:");

  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "gantry/0.1");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, options_.connect_timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, options_.stall_timeout_seconds);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, request.follow_redirects ? 1L : 0L);
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
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  curl_slist_free_all(headers);
  if (result != CURLE_OK) {
    // A failed handle may hold a broken connection: do not reuse it.
    curl_easy_cleanup(curl);
  } else {
    release(curl);
  }
  if (transfer.failure) {
    std::rethrow_exception(transfer.failure);
  }
  if (result != CURLE_OK) {
    const bool tls = result == CURLE_SSL_CONNECT_ERROR ||
                     result == CURLE_PEER_FAILED_VERIFICATION || result == CURLE_SSL_CERTPROBLEM ||
                     result == CURLE_SSL_CIPHER || result == CURLE_SSL_CACERT_BADFILE;
    throw RegistryError(
        request.method + " " + request.url + " failed: " + curl_easy_strerror(result),
        "Check that the registry is running and reachable.", 0,
        tls ? RegistryError::kTlsFailure : "");
  }
  return response;
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (const unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[c >> 4]);
      encoded.push_back(kHex[c & 0xF]);
    }
  }
  return encoded;
}

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                   (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                   static_cast<unsigned char>(bytes[i + 2]);
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63],
            kAlphabet[n & 63]};
  }
  if (i + 1 == bytes.size()) {
    const auto n = static_cast<unsigned char>(bytes[i]) << 16;
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    const auto n = (static_cast<unsigned char>(bytes[i]) << 16) |
                   (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63], kAlphabet[(n >> 6) & 63], '='};
  }
  return out;
}

std::string base64_decode(std::string_view text) {
  std::string out;
  unsigned value = 0;
  int bits = -8;
  for (const char c : text) {
    int digit = -1;
    if (c >= 'A' && c <= 'Z') {
      digit = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      digit = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      digit = c - '0' + 52;
    } else if (c == '+' || c == '-') {
      digit = 62;
    } else if (c == '/' || c == '_') {
      digit = 63;
    } else {
      continue;  // padding and whitespace
    }
    value = (value << 6) | static_cast<unsigned>(digit);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((value >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

}  // namespace gantry::oci
