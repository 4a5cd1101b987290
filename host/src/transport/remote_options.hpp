#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace gantry::host {

/// `gantry serve`: where a runner listens and what it accepts.
struct ServeOptions {
  /// `unix:/path` or `HOST:PORT`.
  std::string listen;
  /// The server's certificate chain and key (PEM); both or neither.
  std::filesystem::path tls_certificate{};
  std::filesystem::path tls_key{};
  /// The CA that client certificates must chain to (mTLS); empty: none asked for.
  std::filesystem::path tls_client_ca{};
  /// The bearer token every call must carry; empty: none (loopback and unix only).
  std::string token;
  /// Where runs keep their project directories.
  std::filesystem::path workdir;
  /// The largest project upload, in bytes.
  std::uint64_t max_upload = 512ULL << 20;
  /// How many runs at once; a submission beyond is refused with RESOURCE_EXHAUSTED.
  std::size_t max_runs = 2;
};

/// How a client reaches a runner (`gantry run --remote`, `runs-on:`).
struct RemoteOptions {
  /// `unix:/path` or `HOST:PORT`.
  std::string address;
  /// TLS: the CA that the runner's certificate must chain to. Empty: plain text.
  std::filesystem::path tls_ca{};
  /// mTLS: the client's certificate chain and key.
  std::filesystem::path tls_certificate{};
  std::filesystem::path tls_key{};
  std::string token;
};

/// A pipeline to run on a runner.
struct RemoteRun {
  RemoteOptions remote;
  /// The local pipeline file; its directory is the project sent along.
  std::filesystem::path pipeline_file;
  /// When not empty: the pipeline itself, sent as `pipeline_file` (which need not exist).
  std::string pipeline_text{};
  std::size_t jobs = 0;
  bool keep_going = false;
  bool isolate = false;
  /// Called with the runner's id for the run once it accepted it (`gantry cancel` takes it).
  std::function<void(const std::string& run_id)> accepted{};
};

/// Whether `address` (`unix:…` or `HOST:PORT`) stays on this machine.
[[nodiscard]] bool is_local_address(const std::string& address);

}  // namespace gantry::host
