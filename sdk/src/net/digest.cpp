#include "gantry/net/digest.hpp"

// SHA256_Init and its kin are deprecated in OpenSSL 3 in favour of EVP, which fetches the
// digest from a provider: that machinery would pull all of libcrypto into the static link
// (sdk/CMakeLists.txt) and read openssl.cnf on first use. The one-shot functions are the
// same assembly (SHA-NI where the CPU has it) with none of that.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <algorithm>

#include "gantry/sdk/error.hpp"

namespace gantry::net {
namespace {

bool is_lower_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

Digest Digest::parse(std::string_view text) {
  // A digest names files (blobs/sha256/HEX, spools, daemon archives): nothing but a
  // well-formed sha256 gets through, before anything is written.
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) {
    throw Error("'" + std::string(text) + "' is not a digest",
                "A digest looks like sha256:<64 hexadecimal digits>.");
  }
  const std::string algorithm(text.substr(0, colon));
  const std::string hex(text.substr(colon + 1));
  if (algorithm != "sha256") {
    throw Error("digest algorithm '" + algorithm.substr(0, 32) + "' is not supported",
                "gantry verifies sha256 digests only; ask for the image by a sha256 digest "
                "or by tag.");
  }
  if (hex.size() != 64 || !is_lower_hex(hex)) {
    throw Error("'" + std::string(text.substr(0, 80)) + "' is not a valid sha256 digest",
                "A sha256 digest has 64 lower-case hexadecimal digits.");
  }
  return {algorithm, hex};
}

struct Sha256::State {
  SHA256_CTX context{};
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  if (SHA256_Init(&state_->context) != 1) {
    throw std::runtime_error("OpenSSL could not start a SHA-256 hash");
  }
}

Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&& other) noexcept = default;
Sha256& Sha256::operator=(Sha256&& other) noexcept = default;

void Sha256::update(std::string_view bytes) {
  SHA256_Update(&state_->context, bytes.data(), bytes.size());
}

Digest Sha256::finish() {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> raw{};
  SHA256_Final(raw.data(), &state_->context);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(raw.size() * 2);
  for (const unsigned char byte : raw) {
    hex.push_back(kHex[byte >> 4]);
    hex.push_back(kHex[byte & 0xF]);
  }
  return {"sha256", hex};
}

Digest sha256_of(std::string_view bytes) {
  Sha256 hash;
  hash.update(bytes);
  return hash.finish();
}

}  // namespace gantry::net
