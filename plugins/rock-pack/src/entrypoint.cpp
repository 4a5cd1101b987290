// The entrypoint keys, and Pebble commands as rockcraft splits them (canonical/rockcraft
// rockcraft/utils.py parse_command).
#include "entrypoint.hpp"

#include <cstddef>
#include <optional>
#include <vector>

#include "rock_project.hpp"

namespace gantry::rock_pack {
namespace detail {
namespace {

constexpr std::string_view kAtypicalEntrypoint =
    "This operation will result in a rock with an atypical OCI Entrypoint. While that might be "
    "acceptable for testing and personal use, it shall require prior approval before submitting "
    "to a Canonical registry namespace.";

/// parse_command's errors, as the field validator that calls it reports them.
ParsedCommand command_at(const Reader& reader, const Field& where, const std::string& path,
                         const std::string& text) {
  try {
    return parse_command(text);
  } catch (const Error& error) {
    reader.invalid(Field{where.key, where.value, path}, error.what(),
                   "Check the command's quotes, and put its default arguments last, in one "
                   "'[ ... ]' group, e.g. '/bin/app --serve [ --port 8080 ]'.");
  }
}

}  // namespace

std::string parse_entrypoint_service(const Reader& reader, const Field& field,
                                     const YAML::Node& services) {
  const std::string entrypoint_service = reader.string(field);
  reader.warn("Warning: 'entrypoint-service' is defined. " + std::string(kAtypicalEntrypoint));
  const YAML::Node service = services.IsMap() ? services[entrypoint_service] : YAML::Node();
  if (!service.IsDefined() || service.IsNull()) {
    reader.invalid(field,
                   "The provided entrypoint-service " + py_repr(entrypoint_service) +
                       " is not a valid Pebble service.",
                   "Name one of the services defined under 'services'.");
  }
  const Field command{YAML::Node(), service["command"], "entrypoint-service"};
  const auto parsed = command_at(reader, command, "entrypoint-service", command.value.Scalar());
  if (!parsed.default_args) {
    std::string words;
    for (const auto& word : parsed.command) {
      words += (words.empty() ? "" : " ") + word;
    }
    reader.invalid(Field{field.key, field.value, "entrypoint-service"},
                   "The Pebble service " + py_repr(entrypoint_service) + " has a command " + words +
                       " without default arguments and thus cannot be used as the "
                       "entrypoint-service.",
                   "End the service's command with its default arguments in '[ ... ]', "
                   "e.g. '/bin/app [ --port 8080 ]'.");
  }
  return entrypoint_service;
}

std::string parse_entrypoint_command(const Reader& reader, const Field& field,
                                     std::string_view entrypoint_service) {
  if (!entrypoint_service.empty()) {
    reader.invalid(field,
                   "The option 'entrypoint-command' cannot be used along "
                   "'entrypoint-service'.",
                   "Keep one of 'entrypoint-command' and 'entrypoint-service'.");
  }
  std::string entrypoint_command = reader.string(field);
  reader.warn("Warning: 'entrypoint-command' is defined. " + std::string(kAtypicalEntrypoint));
  (void)command_at(reader, field, field.path, entrypoint_command);
  return entrypoint_command;
}

}  // namespace detail

ParsedCommand parse_command(const std::string& text) {
  // shlex.split in POSIX mode: quotes, backslash escapes, no comments.
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\'' || c == '"') {
      in_word = true;
      const auto close = [&]() -> bool {
        for (++i; i < text.size(); ++i) {
          if (text[i] == c) {
            return true;
          }
          if (c == '"' && text[i] == '\\' && i + 1 < text.size() &&
              (text[i + 1] == '"' || text[i + 1] == '\\')) {
            ++i;
          }
          word += text[i];
        }
        return false;
      };
      if (!close()) {
        throw Error("No closing quotation");
      }
    } else if (c == '\\') {
      if (i + 1 >= text.size()) {
        throw Error("No escaped character");
      }
      word += text[++i];
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) {
        words.push_back(std::move(word));
        word.clear();
        in_word = false;
      }
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) {
    words.push_back(std::move(word));
  }
  // rockcraft/utils.py parse_command.
  ParsedCommand parsed;
  bool in_brackets = false;
  bool got_brackets = false;
  for (auto& arg : words) {
    if (in_brackets) {
      if (!parsed.default_args) {
        parsed.default_args.emplace();
      }
      if (arg == "[") {
        throw Error("Cannot nest [ ... ] groups.");
      }
      if (arg == "]") {
        in_brackets = false;
        continue;
      }
      parsed.default_args->push_back(std::move(arg));
      continue;
    }
    if (got_brackets) {
      throw Error("Cannot have any arguments after [ ... ] group.");
    }
    if (arg == "[") {
      in_brackets = true;
      got_brackets = true;
    } else if (arg == "]") {
      throw Error("Bad syntax for the command's additional args.");
    } else {
      parsed.command.push_back(std::move(arg));
    }
  }
  return parsed;
}

}  // namespace gantry::rock_pack
