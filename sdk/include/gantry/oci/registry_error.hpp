#pragma once

#include <string>

#include "gantry/oci/oci_error.hpp"

namespace gantry::oci {

/// What to do when a registry refuses the credentials it was given, or wants some.
inline constexpr const char* kCredentialsHint =
    "Give credentials with --creds USER:PASSWORD (skopeo's --dest-creds / --src-creds) or "
    "--authfile FILE, or log in so that REGISTRY_AUTH_FILE, "
    "${XDG_RUNTIME_DIR}/containers/auth.json or ~/.docker/config.json has them.";

/// A registry or daemon that refused a request, or could not be reached (status 0).
class RegistryError : public OciError {
 public:
  RegistryError(std::string message, std::string resolution, long status, std::string code = {})
      : OciError(std::move(message), std::move(resolution)),
        status_(status),
        code_(std::move(code)) {}

  /// The HTTP status, or 0 when no answer came.
  [[nodiscard]] long status() const { return status_; }
  /// The distribution error code (MANIFEST_INVALID, NAME_UNKNOWN, …), if the body had one.
  [[nodiscard]] const std::string& code() const { return code_; }
  /// The code of a TLS failure (a handshake or certificate problem): not worth retrying.
  static constexpr const char* kTlsFailure = "TLS_FAILURE";

  /// True for failures worth retrying: no answer, 408, 429 and 5xx.
  [[nodiscard]] bool transient() const {
    return (status_ == 0 && code_ != kTlsFailure) || status_ == 408 || status_ == 429 ||
           status_ >= 500;
  }

 private:
  long status_;
  std::string code_;
};

}  // namespace gantry::oci
