#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace gantry::oci {

/// A registry login. The secret is never logged or put in an error message.
struct Credentials {
  std::string username;
  std::string secret;
  /// True when `secret` is an identity (refresh) token rather than a password.
  bool identity_token = false;
};

/// Parses skopeo's `--creds USER:PASSWORD`. Throws OciError (without the secret) when the
/// user name or the colon is missing.
[[nodiscard]] Credentials parse_creds_option(std::string_view text);

/// The credentials stored for `registry` (host[:port]), looked up as skopeo and docker do:
/// $REGISTRY_AUTH_FILE, ${XDG_RUNTIME_DIR}/containers/auth.json,
/// ~/.config/containers/auth.json, then $DOCKER_CONFIG/config.json or
/// ~/.docker/config.json; in each, `credHelpers` and `credsStore` (through
/// `docker-credential-NAME get`) before `auths`. nullopt when nothing matches.
/// With `authfile` (skopeo's --authfile), that file alone is read, and must exist.
/// Throws OciError naming the file when a file or helper answer is malformed.
[[nodiscard]] std::optional<Credentials> find_credentials(
    const std::string& registry, const std::filesystem::path& authfile = {});

}  // namespace gantry::oci
