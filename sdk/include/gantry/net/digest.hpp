#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

namespace gantry::net {

/// A content digest, `sha256:<64 lower-case hex>`: the only algorithm gantry writes and
/// verifies, and so the only one it accepts (a digest becomes a file name).
class Digest {
 public:
  Digest() = default;
  /// Parses `sha256:hex`. Throws gantry::Error saying what is wrong (another algorithm, a
  /// wrong length, upper-case or non-hex digits).
  static Digest parse(std::string_view text);

  [[nodiscard]] const std::string& algorithm() const { return algorithm_; }
  [[nodiscard]] const std::string& hex() const { return hex_; }
  [[nodiscard]] std::string str() const { return algorithm_ + ":" + hex_; }
  [[nodiscard]] bool empty() const { return hex_.empty(); }

  friend bool operator==(const Digest&, const Digest&) = default;
  friend auto operator<=>(const Digest& a, const Digest& b) { return a.str() <=> b.str(); }

 private:
  Digest(std::string algorithm, std::string hex)
      : algorithm_(std::move(algorithm)), hex_(std::move(hex)) {}
  friend class Sha256;
  std::string algorithm_;
  std::string hex_;
};

/// Incremental SHA-256 (OpenSSL). Move-only.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&& other) noexcept;
  Sha256& operator=(Sha256&& other) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);
  /// The digest of everything given; the hasher cannot be used afterwards.
  [[nodiscard]] Digest finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// The sha256 digest of `bytes`.
[[nodiscard]] Digest sha256_of(std::string_view bytes);

}  // namespace gantry::net
