#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace gantry::deb {

/// The keys a repository must be signed with: keyring files (binary or ASCII-armored)
/// and, when a deb822 source gives one inline, an armored key block.
struct TrustedKeys {
  std::vector<std::filesystem::path> keyrings;
  std::string inline_key;
};

/// Checks a repository's signature with gpgv (no OpenPGP of our own) and returns the text
/// that the signature covers: for InRelease its signed content, for Release + Release.gpg
/// the Release file. Throws DebError naming `label` (the repository) when gpgv is missing,
/// no key is given, or the signature is bad or made by a key not in `keys`; throws
/// gantry::Cancelled, with gpgv stopped, once `cancelled` says so.
[[nodiscard]] std::string verify_inline_signed(const std::filesystem::path& in_release,
                                               const TrustedKeys& keys, const std::string& label,
                                               const std::function<bool()>& cancelled = {});
[[nodiscard]] std::string verify_detached(const std::filesystem::path& release,
                                          const std::filesystem::path& signature,
                                          const TrustedKeys& keys, const std::string& label,
                                          const std::function<bool()>& cancelled = {});

}  // namespace gantry::deb
