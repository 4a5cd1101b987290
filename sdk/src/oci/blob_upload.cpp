// RegistryClient's blob uploads: monolithic (POST + PUT) and chunked (PATCH) with resume.
#include <array>
#include <charconv>
#include <cstdint>
#include <span>

#include "gantry/net/encoding.hpp"
#include "gantry/oci/oci_error.hpp"
#include "gantry/oci/registry_client.hpp"
#include "gantry/oci/registry_error.hpp"

namespace gantry::oci {
namespace {

/// At most `limit` bytes of another reader: one chunk of a blob.
class ChunkReader final : public BlobReader {
 public:
  ChunkReader(BlobReader& inner, std::uint64_t limit) : inner_(inner), remaining_(limit) {}
  std::size_t read(std::span<char> buffer) override {
    const auto wanted =
        static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), remaining_));
    if (wanted == 0) {
      return 0;
    }
    const std::size_t got = inner_.read(buffer.first(wanted));
    remaining_ -= got;
    return got;
  }

 private:
  BlobReader& inner_;
  std::uint64_t remaining_;
};

/// Reads and drops `count` bytes (a resumed upload re-reads, and so re-verifies, what
/// the registry already holds).
void skip(BlobReader& reader, std::uint64_t count) {
  std::array<char, 1 << 16> buffer{};
  while (count > 0) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), count));
    const std::size_t got = reader.read(std::span<char>(buffer.data(), want));
    if (got == 0) {
      throw OciError("a blob ended before the offset an upload resumes from");
    }
    count -= got;
  }
}

}  // namespace

std::optional<std::uint64_t> upload_offset(const std::string& range) {
  // distribution answers "0-N" (N the last byte held), and "0-0" for an empty session as
  // well as for one byte: resending that one byte is harmless, skipping it is not.
  std::string_view text = range;
  if (text.starts_with("bytes=")) {
    text.remove_prefix(6);
  }
  if (!text.starts_with("0-") || text.size() > 22 ||
      text.substr(2).find_first_not_of("0123456789") != std::string_view::npos ||
      text.size() == 2) {
    return std::nullopt;
  }
  std::uint64_t last = 0;
  const auto digits = text.substr(2);
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), last);
  if (error != std::errc() || end != digits.data() + digits.size() || last == UINT64_MAX) {
    return std::nullopt;
  }
  return last == 0 ? 0 : last + 1;
}

std::string RegistryClient::absolute(const std::string& location) {
  return net::resolve_url(url("/"), location);
}

std::string RegistryClient::start_upload(const std::string& repository, const Descriptor& blob) {
  const auto started = send({.method = "POST", .url = url("/v2/" + repository + "/blobs/uploads/")},
                            repository, true);
  if (started.status != 202) {
    fail(started, "starting the upload of " + blob.digest.str(), repository);
  }
  const std::string location = started.header("location");
  if (location.empty()) {
    throw RegistryError("registry " + host_ + " started an upload without a Location",
                        "The registry does not follow the distribution API.", 202);
  }
  return absolute(location);
}

void RegistryClient::finish_upload(const std::string& repository, const Descriptor& blob,
                                   std::string location, BlobReader* body, std::uint64_t size) {
  location += (location.find('?') == std::string::npos ? "?" : "&");
  location += "digest=" + net::url_encode(blob.digest.str());
  const auto finished = send({.method = "PUT",
                              .url = location,
                              .headers = {"Content-Type: application/octet-stream"},
                              .upload = body,
                              .upload_size = size},
                             repository, true);
  if (finished.status != 201 && finished.status != 204) {
    fail(finished, "uploading blob " + blob.digest.str(), repository);
  }
}

void RegistryClient::upload_blob(const std::string& repository, const Descriptor& blob,
                                 const std::function<std::unique_ptr<BlobReader>()>& open) {
  if (static_cast<std::uint64_t>(blob.size) > options_.monolithic_limit) {
    upload_chunked(repository, blob, open);
  } else {
    upload_monolithic(repository, blob, open);
  }
}

void RegistryClient::upload_monolithic(const std::string& repository, const Descriptor& blob,
                                       const std::function<std::unique_ptr<BlobReader>()>& open) {
  net::RetryPolicy::Run retry(options_.retry, options_.cancelled);
  for (int attempt = 1;; ++attempt) {
    std::string location;
    try {
      location = start_upload(repository, blob);
      auto reader = open();
      finish_upload(repository, blob, location, reader.get(),
                    static_cast<std::uint64_t>(blob.size));
      return;
    } catch (const Error& error) {
      // A refused or failed push leaves no session behind.
      cancel_upload(repository, location);
      const auto* registry_error = dynamic_cast<const RegistryError*>(&error);
      if (registry_error == nullptr || !registry_error->transient() ||
          !retry.wait_before_retry(attempt)) {
        throw;
      }
    }
  }
}

void RegistryClient::upload_chunked(const std::string& repository, const Descriptor& blob,
                                    const std::function<std::unique_ptr<BlobReader>()>& open) {
  const auto size = static_cast<std::uint64_t>(blob.size);
  net::RetryPolicy::Run sessions(options_.retry, options_.cancelled);
  for (int session = 1;; ++session) {
    std::string location;
    try {
      location = start_upload(repository, blob);
      auto reader = open();
      std::uint64_t offset = 0;
      int failures = 0;
      net::RetryPolicy::Run chunks(options_.retry, options_.cancelled);
      while (offset < size) {
        const std::uint64_t chunk = std::min(options_.chunk_size, size - offset);
        try {
          ChunkReader body(*reader, chunk);
          const auto sent = send({.method = "PATCH",
                                  .url = location,
                                  .headers = {"Content-Type: application/octet-stream",
                                              "Content-Range: " + std::to_string(offset) + "-" +
                                                  std::to_string(offset + chunk - 1)},
                                  .upload = &body,
                                  .upload_size = chunk},
                                 repository, true);
          if (sent.status != 202) {
            fail(sent, "uploading a chunk of " + blob.digest.str(), repository);
          }
          // Always the newest Location: distribution signs the offset into it.
          if (const auto next = sent.header("location"); !next.empty()) {
            location = absolute(next);
          }
          offset += chunk;
        } catch (const RegistryError& error) {
          if (!error.transient() || !chunks.wait_before_retry(++failures)) {
            throw;
          }
          // Ask how much arrived, and go on from there with a fresh reader. (distribution
          // 2.8 instead invalidates a session that received part of a chunk; the 404 it
          // answers here starts a new session below.)
          const auto status = send({.url = location}, repository, true);
          const auto held = upload_offset(status.header("range"));
          if (status.status != 204 || !held || *held > size) {
            fail(status, "resuming the upload of " + blob.digest.str(), repository);
          }
          if (const auto next = status.header("location"); !next.empty()) {
            location = absolute(next);
          }
          offset = *held;
          reader = open();
          skip(*reader, offset);
        }
      }
      // Let the verifying reader see the end, then close the session with the digest.
      std::array<char, 1> end{};
      (void)reader->read(end);
      finish_upload(repository, blob, location, nullptr, 0);
      return;
    } catch (const Error& error) {
      cancel_upload(repository, location);
      const auto* registry_error = dynamic_cast<const RegistryError*>(&error);
      const bool session_lost =
          registry_error != nullptr &&
          (registry_error->transient() || registry_error->code() == "BLOB_UPLOAD_UNKNOWN" ||
           registry_error->status() == 404);
      if (!session_lost || !sessions.wait_before_retry(session)) {
        throw;
      }
    }
  }
}

}  // namespace gantry::oci
