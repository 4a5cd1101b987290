#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "gantry/v1/step.pb.h"

namespace gantry::host {

/// `gantry copy SRC DEST`: skopeo's command line (`--dest-tls-verify=false`,
/// `--src-tls-verify`, `--dest-creds`, `--src-creds`), run through the `oci-push` step,
/// so that a skopeo command works with `skopeo` replaced by `gantry`.
class CopyCommand {
 public:
  explicit CopyCommand(CLI::App& app);

  [[nodiscard]] CLI::App* subcommand() const { return subcommand_; }
  /// The oci-push parameters the command line gives.
  [[nodiscard]] google::protobuf::Map<std::string, v1::Value> params() const;

  /// The step that does the work.
  static constexpr const char* kStep = "oci-push";

 private:
  CLI::App* subcommand_ = nullptr;
  std::string source_;
  std::string destination_;
  bool src_tls_verify_ = true;
  bool dest_tls_verify_ = true;
  std::string src_creds_;
  std::string dest_creds_;
  std::string authfile_;
  std::string src_authfile_;
  std::string dest_authfile_;
  int jobs_ = 4;
};

}  // namespace gantry::host
