#include "gantry/net/digest.hpp"

#include <openssl/evp.h>

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
  EVP_MD_CTX* context = nullptr;
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  state_->context = EVP_MD_CTX_new();
  if (state_->context == nullptr ||
      EVP_DigestInit_ex(state_->context, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL could not start a SHA-256 hash");
  }
}

Sha256::~Sha256() {
  if (state_ && state_->context != nullptr) {
    EVP_MD_CTX_free(state_->context);
  }
}

Sha256::Sha256(Sha256&& other) noexcept = default;
Sha256& Sha256::operator=(Sha256&& other) noexcept = default;

void Sha256::update(std::string_view bytes) {
  EVP_DigestUpdate(state_->context, bytes.data(), bytes.size());
}

Digest Sha256::finish() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> raw{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(state_->context, raw.data(), &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[raw[i] >> 4]);
    hex.push_back(kHex[raw[i] & 0xF]);
  }
  return {"sha256", hex};
}

Digest sha256_of(std::string_view bytes) {
  Sha256 hash;
  hash.update(bytes);
  return hash.finish();
}

}  // namespace gantry::net
