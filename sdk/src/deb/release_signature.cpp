#include "gantry/deb/release_signature.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "file_text.hpp"
#include "gantry/archive/atomic_file.hpp"
#include "gantry/deb/deb_error.hpp"
#include "gantry/sdk/child_process.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::deb {
namespace {

namespace fs = std::filesystem;

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a' + 26;
  }
  if (c >= '0' && c <= '9') {
    return c - '0' + 52;
  }
  if (c == '+') {
    return 62;
  }
  if (c == '/') {
    return 63;
  }
  return -1;
}

// The binary packets of every ASCII-armored block in `text` (RFC 4880 section 6), which
// is what gpgv reads as a keyring. The checksum line is left to gpgv's own parsing of the
// packets it gets.
std::string dearmor(const std::string& text, const std::string& label) {
  std::string binary;
  std::istringstream lines(text);
  std::string line;
  enum class State { kOutside, kHeaders, kBody } state = State::kOutside;
  std::uint32_t accumulator = 0;
  int bits = 0;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.starts_with("-----BEGIN PGP PUBLIC KEY BLOCK")) {
      state = State::kHeaders;
    } else if (line.starts_with("-----END PGP PUBLIC KEY BLOCK")) {
      state = State::kOutside;
      accumulator = 0;
      bits = 0;
    } else if (state == State::kHeaders && line.empty()) {
      state = State::kBody;
    } else if (state == State::kBody && !line.starts_with("=")) {
      for (const char c : line) {
        const int value = base64_value(c);
        if (value < 0) {
          continue;
        }
        accumulator = (accumulator << 6U) | static_cast<std::uint32_t>(value);
        bits += 6;
        if (bits >= 8) {
          bits -= 8;
          binary += static_cast<char>((accumulator >> static_cast<unsigned>(bits)) & 0xFFU);
        }
      }
    }
  }
  if (binary.empty()) {
    throw DebError("the key for " + label + " is not an ASCII-armored public key",
                   "Give a keyring made by 'gpg --export' (binary) or 'gpg --export --armor'.");
  }
  return binary;
}

bool is_armored(const std::string& bytes) {
  return bytes.find("-----BEGIN PGP PUBLIC KEY BLOCK") != std::string::npos;
}

std::vector<fs::path> keyring_files(const TrustedKeys& keys, const fs::path& scratch,
                                    const std::string& label) {
  std::vector<fs::path> files;
  int index = 0;
  const auto write_binary = [&](const std::string& armored) {
    const fs::path file = scratch / ("key-" + std::to_string(index++) + ".gpg");
    std::ofstream(file, std::ios::binary) << dearmor(armored, label);
    files.push_back(file);
  };
  for (const auto& keyring : keys.keyrings) {
    if (!fs::exists(keyring)) {
      throw DebError("the keyring " + keyring.string() + " for " + label + " does not exist",
                     "Install the repository's keyring package, or fix Signed-By.");
    }
    const std::string bytes = file_text(keyring);
    if (is_armored(bytes)) {
      write_binary(bytes);
    } else {
      files.push_back(fs::absolute(keyring));
    }
  }
  if (!keys.inline_key.empty()) {
    write_binary(keys.inline_key);
  }
  if (files.empty()) {
    throw DebError("no key to check the signature of " + label,
                   "Give the repository's key with Signed-By, or mark a repository you trust "
                   "without a signature with [trusted=yes].");
  }
  return files;
}

std::string run_gpgv(const TrustedKeys& keys, const std::vector<std::string>& files,
                     const std::string& label, bool want_content,
                     const std::function<bool()>& cancelled) {
  const auto environment = sdk::environment_map();
  const auto path = environment.contains("PATH") ? environment.at("PATH") : "/usr/bin:/bin";
  fs::path gpgv;
  try {
    gpgv = sdk::resolve_executable("gpgv", path, fs::current_path());
  } catch (const Error&) {
    throw DebError("gpgv is not installed, so the signature of " + label + " cannot be checked",
                   "Install it: sudo apt-get install gpgv");
  }
  sdk::TemporaryDirectory scratch("gantry-gpgv-");
  std::vector<std::string> argv{"gpgv", "--homedir", scratch.path().string(), "--status-fd", "1"};
  for (const auto& keyring : keyring_files(keys, scratch.path(), label)) {
    argv.push_back("--keyring");
    argv.push_back(keyring.string());
  }
  const fs::path content = scratch.path() / "content";
  if (want_content) {
    argv.push_back("--output");
    argv.push_back(content.string());
  }
  argv.insert(argv.end(), files.begin(), files.end());
  auto run_environment = environment;
  run_environment["LC_ALL"] = "C";
  const auto stop = [&] { return cancelled && cancelled(); };
  const auto run = sdk::run_captured(
      {gpgv, argv, sdk::environment_strings(run_environment), scratch.path()}, stop);
  if (run.status.stopped || stop()) {
    throw Cancelled();
  }
  const bool valid = run.out.find("[GNUPG:] VALIDSIG") != std::string::npos &&
                     run.out.find("[GNUPG:] GOODSIG") != std::string::npos;
  if (run.status.exit_code != 0 || !valid) {
    std::string why = run.out.find("NO_PUBKEY") != std::string::npos
                          ? "it is signed by a key that is not in its keyring"
                      : run.out.find("BADSIG") != std::string::npos
                          ? "the signature does not match the content (tampered or corrupt)"
                          : "gpgv did not accept it";
    throw DebError("the signature of " + label + " is not valid: " + why,
                   "Check Signed-By names the repository's key; if you built the repository "
                   "yourself, sign it again. Only mark it [trusted=yes] if you trust every "
                   "byte served from it.");
  }
  return want_content ? file_text(content) : std::string();
}

}  // namespace

std::string verify_inline_signed(const fs::path& in_release, const TrustedKeys& keys,
                                 const std::string& label, const std::function<bool()>& cancelled) {
  auto text = run_gpgv(keys, {in_release.string()}, label, true, cancelled);
  if (text.empty()) {
    throw DebError("the InRelease of " + label + " signs nothing",
                   "Regenerate and sign the repository's Release file.");
  }
  return text;
}

std::string verify_detached(const fs::path& release, const fs::path& signature,
                            const TrustedKeys& keys, const std::string& label,
                            const std::function<bool()>& cancelled) {
  run_gpgv(keys, {signature.string(), release.string()}, label, false, cancelled);
  return file_text(release);
}

}  // namespace gantry::deb
