#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "gantry/sdk/event_sink.hpp"
#include "gantry/sdk/secret.hpp"
#include "gantry/v1/step.pb.h"

namespace gantry::sdk {

/// What a step sees while it runs: its parameters, its working directory, and the
/// channel back to the host for logs, progress, artifacts, diagnostics and outputs.
///
/// Parameter accessors throw gantry::Error when a parameter is absent or of another
/// type; the host has applied defaults and checked types before run() is called, so
/// that only happens for optional parameters without a default (check has() first).
/// Every text a step sends through the Context has secret parameter values masked.
/// Thread-safe: a step may log and report from several threads.
class Context {
 public:
  /// Borrows `sink` for the Context's lifetime.
  Context(v1::RunRequest request, v1::StepDescription description, EventSink& sink);

  [[nodiscard]] bool has(std::string_view name) const;
  [[nodiscard]] std::string string(std::string_view name) const;
  [[nodiscard]] std::int64_t integer(std::string_view name) const;
  [[nodiscard]] bool boolean(std::string_view name) const;
  /// A path parameter, resolved against the working directory.
  [[nodiscard]] std::filesystem::path path(std::string_view name) const;
  [[nodiscard]] std::vector<std::string> list(std::string_view name) const;
  [[nodiscard]] std::map<std::string, std::string> map(std::string_view name) const;
  [[nodiscard]] Secret secret(std::string_view name) const;

  [[nodiscard]] const std::filesystem::path& working_directory() const { return working_dir_; }
  [[nodiscard]] const std::string& run_id() const { return request_.run_id(); }
  [[nodiscard]] const std::string& step_id() const { return request_.step_id(); }

  /// Sends a log line.
  void log(v1::LogLevel level, std::string_view message,
           v1::LogStream stream = v1::LOG_STREAM_UNSPECIFIED);
  void info(std::string_view message) { log(v1::LOG_LEVEL_INFO, message); }
  void warn(std::string_view message) { log(v1::LOG_LEVEL_WARNING, message); }
  void debug(std::string_view message) { log(v1::LOG_LEVEL_DEBUG, message); }

  /// Reports progress; `total` is 0 when unknown.
  void progress(std::string_view label, std::uint64_t current, std::uint64_t total,
                std::string_view unit);
  /// Announces an artifact the step produced.
  void artifact(v1::Artifact artifact);
  /// Reports a problem with the input.
  void diagnostic(v1::Diagnostic diagnostic);
  /// Sets an output value. Throws gantry::Error for a name the description does not promise.
  void output(std::string_view name, std::string value);
  /// Appends to the step's report: a document for the user to read or save (e.g. an
  /// expanded project file), printed verbatim by a command that runs this step alone.
  void report(std::string_view text);

  /// True once the host wants the run to stop: long loops poll this.
  [[nodiscard]] bool cancelled() const { return sink_.cancelled(); }
  /// Throws gantry::Cancelled when cancelled() is true.
  void throw_if_cancelled() const;

  /// Says the step found its work already done, checked against the real thing (an image
  /// already in its registry), and did none: the host shows it as cached.
  void mark_up_to_date() { up_to_date_ = true; }
  [[nodiscard]] bool up_to_date() const { return up_to_date_; }

  /// The outputs set so far.
  [[nodiscard]] std::map<std::string, std::string> outputs() const;
  /// Declares a file or directory the step reads besides its path parameters, so that
  /// the host's step cache notices when it changes (relative paths: the working dir's).
  void input(const std::filesystem::path& path);
  /// The inputs declared so far.
  [[nodiscard]] std::vector<std::string> inputs() const;
  /// The report written so far.
  [[nodiscard]] std::string report_text() const;
  /// `text` with every secret replaced by "****": the values of secret parameters (a
  /// secret list's items, a secret map's values) and those given to mask().
  [[nodiscard]] std::string redact(std::string text) const;
  /// Makes `value` a secret from now on: a value the step learns at run time (a token it
  /// reads, an environment variable the user marked secret) is masked as a parameter is.
  void mask(std::string value);

 private:
  [[nodiscard]] const v1::Value& value_of(std::string_view name, v1::ParamType type) const;
  void emit(v1::RunEvent event);
  void add_secret(std::string value);  ///< the caller holds secrets_mutex_ (or constructs)

  v1::RunRequest request_;
  v1::StepDescription description_;
  EventSink& sink_;
  std::filesystem::path working_dir_;
  mutable std::mutex secrets_mutex_;
  std::vector<std::string> secrets_;
  mutable std::mutex outputs_mutex_;
  std::map<std::string, std::string> outputs_;
  std::string report_;
  std::vector<std::string> inputs_;
  std::atomic<bool> up_to_date_{false};
};

}  // namespace gantry::sdk
