#include "gantry/sdk/context.hpp"

#include <algorithm>

#include "gantry/sdk/error.hpp"
#include "gantry/sdk/promised_outputs.hpp"
#include "gantry/sdk/value.hpp"

namespace gantry::sdk {
namespace {

/// Lines of a multi-line secret shorter than this (a blank, a `}`) are left visible.
constexpr std::size_t kShortestSecretLine = 6;

const v1::ParamSpec* find_param(const v1::StepDescription& description, std::string_view name) {
  for (const auto& spec : description.params()) {
    if (spec.name() == name) {
      return &spec;
    }
  }
  return nullptr;
}

}  // namespace

Context::Context(v1::RunRequest request, v1::StepDescription description, EventSink& sink)
    : request_(std::move(request)), description_(std::move(description)), sink_(sink) {
  working_dir_ = request_.working_directory().empty()
                     ? std::filesystem::current_path()
                     : std::filesystem::path(request_.working_directory());
  for (const auto& spec : description_.params()) {
    const auto found = request_.params().find(spec.name());
    if (!spec.secret() || found == request_.params().end()) {
      continue;
    }
    const v1::Value& value = found->second;
    add_secret(value.string_value());
    for (const auto& item : value.list_value().items()) {
      add_secret(item);
    }
    for (const auto& [key, item] : value.map_value().entries()) {
      add_secret(item);
    }
  }
}

void Context::mask(std::string value) {
  const std::lock_guard lock(secrets_mutex_);
  add_secret(std::move(value));
}

void Context::add_secret(std::string value) {
  if (value.empty() || std::find(secrets_.begin(), secrets_.end(), value) != secrets_.end()) {
    return;
  }
  // A multi-line secret (a PEM key, a kubeconfig) reaches logs a line at a time: each of
  // its lines is a secret too, but for lines too short to be one on their own.
  if (value.find('\n') != std::string::npos) {
    std::size_t start = 0;
    while (start < value.size()) {
      auto end = value.find('\n', start);
      end = end == std::string::npos ? value.size() : end;
      std::string line = value.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') {
        line.pop_back();
      }
      if (line.size() >= kShortestSecretLine &&
          std::find(secrets_.begin(), secrets_.end(), line) == secrets_.end()) {
        secrets_.push_back(std::move(line));
      }
      start = end + 1;
    }
  }
  secrets_.push_back(std::move(value));
  // Longest first, so that a secret containing another is masked whole.
  std::sort(secrets_.begin(), secrets_.end(),
            [](const auto& a, const auto& b) { return a.size() > b.size(); });
}

bool Context::has(std::string_view name) const {
  return request_.params().contains(std::string(name));
}

const v1::Value& Context::value_of(std::string_view name, v1::ParamType type) const {
  const auto* spec = find_param(description_, name);
  if (spec == nullptr) {
    throw Error("step '" + description_.name() + "' has no parameter '" + std::string(name) + "'",
                "This is a bug in the step: it reads a parameter its description does not "
                "declare.");
  }
  const auto found = request_.params().find(std::string(name));
  if (found == request_.params().end()) {
    throw Error("parameter '" + std::string(name) + "' was not given",
                "Set '" + std::string(name) + "' in the step's `with:`.");
  }
  const bool path_as_string = type == v1::PARAM_TYPE_STRING && spec->type() == v1::PARAM_TYPE_PATH;
  if (!value_matches(found->second, type) && !path_as_string) {
    throw Error("parameter '" + std::string(name) + "' is a " +
                std::string(type_name(spec->type())) + ", not a " + std::string(type_name(type)));
  }
  return found->second;
}

std::string Context::string(std::string_view name) const {
  return value_of(name, v1::PARAM_TYPE_STRING).string_value();
}

std::int64_t Context::integer(std::string_view name) const {
  return value_of(name, v1::PARAM_TYPE_INT).int_value();
}

bool Context::boolean(std::string_view name) const {
  return value_of(name, v1::PARAM_TYPE_BOOL).bool_value();
}

std::filesystem::path Context::path(std::string_view name) const {
  const std::filesystem::path given(value_of(name, v1::PARAM_TYPE_PATH).string_value());
  return given.is_absolute() ? given : working_dir_ / given;
}

std::vector<std::string> Context::list(std::string_view name) const {
  const auto& items = value_of(name, v1::PARAM_TYPE_LIST).list_value().items();
  return {items.begin(), items.end()};
}

std::map<std::string, std::string> Context::map(std::string_view name) const {
  const auto& entries = value_of(name, v1::PARAM_TYPE_MAP).map_value().entries();
  return {entries.begin(), entries.end()};
}

Secret Context::secret(std::string_view name) const {
  return Secret(value_of(name, v1::PARAM_TYPE_STRING).string_value());
}

void Context::emit(v1::RunEvent event) {
  event.set_time_unix_micros(now_unix_micros());
  sink_.emit(event);
}

void Context::log(v1::LogLevel level, std::string_view message, v1::LogStream stream) {
  v1::RunEvent event;
  auto* line = event.mutable_log();
  line->set_level(level);
  line->set_message(redact(std::string(message)));
  line->set_stream(stream);
  emit(std::move(event));
}

void Context::progress(std::string_view label, std::uint64_t current, std::uint64_t total,
                       std::string_view unit) {
  v1::RunEvent event;
  auto* progress = event.mutable_progress();
  progress->set_label(redact(std::string(label)));
  progress->set_current(current);
  progress->set_total(total);
  progress->set_unit(std::string(unit));
  emit(std::move(event));
}

void Context::artifact(v1::Artifact artifact) {
  v1::RunEvent event;
  *event.mutable_artifact() = std::move(artifact);
  emit(std::move(event));
}

void Context::diagnostic(v1::Diagnostic diagnostic) {
  diagnostic.set_summary(redact(diagnostic.summary()));
  diagnostic.set_detail(redact(diagnostic.detail()));
  v1::RunEvent event;
  *event.mutable_diagnostic() = std::move(diagnostic);
  emit(std::move(event));
}

void Context::output(std::string_view name, std::string value) {
  if (!promised_outputs(description_, request_.params()).contains(std::string(name))) {
    throw Error("step '" + description_.name() + "' set output '" + std::string(name) +
                    "', which its description does not promise",
                "Declare the output in describe(), or stop setting it.");
  }
  const std::lock_guard lock(outputs_mutex_);
  outputs_[std::string(name)] = redact(std::move(value));
}

void Context::throw_if_cancelled() const {
  if (cancelled()) {
    throw Cancelled();
  }
}

std::map<std::string, std::string> Context::outputs() const {
  const std::lock_guard lock(outputs_mutex_);
  return outputs_;
}

void Context::input(const std::filesystem::path& path) {
  const std::lock_guard lock(outputs_mutex_);
  inputs_.push_back((path.is_relative() ? working_dir_ / path : path).lexically_normal().string());
}

std::vector<std::string> Context::inputs() const {
  const std::lock_guard lock(outputs_mutex_);
  return inputs_;
}

void Context::report(std::string_view text) {
  const std::lock_guard lock(outputs_mutex_);
  report_ += redact(std::string(text));
}

std::string Context::report_text() const {
  const std::lock_guard lock(outputs_mutex_);
  return report_;
}

std::string Context::redact(std::string text) const {
  const std::lock_guard lock(secrets_mutex_);
  for (const auto& secret : secrets_) {
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 4)) {
      text.replace(at, secret.size(), "****");
    }
  }
  return text;
}

}  // namespace gantry::sdk
