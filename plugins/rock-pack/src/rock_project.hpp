#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gantry/sdk/error.hpp"

namespace gantry::rock_pack {

/// One entry of `platforms:`, shorthand expanded (`amd64:` means build-on and build-for amd64).
struct Platform {
  std::string label;                  ///< the key; it names the .rock file
  std::vector<std::string> build_on;  ///< Debian architectures, at least one, unique
  std::string build_for;              ///< one Debian architecture
  SourcePosition position;            ///< of the label
};

/// One entry of a part's `permissions:` (craft-parts' Permissions).
struct Permission {
  std::string path = "*";  ///< an fnmatch pattern relative to the prime directory
  std::optional<std::uint32_t> owner, group;  ///< both or neither
  std::optional<std::uint32_t> mode;          ///< from an octal string: "755", "0755", "0o755"
};

/// One entry of `parts:` (craft-parts' PartSpec plus the plugin's own keys), with
/// craft-parts' defaults filled in: `stage` and `prime` are ["*"] unless given, and a
/// `python` part's `python-packages` is ["pip", "setuptools", "wheel"] unless given.
struct PartSpec {
  std::string name;
  std::string plugin;  ///< "nil", "dump", "make", "python" or "go"
  std::string source, source_type, source_subdir, source_branch, source_tag, source_commit;
  std::vector<std::string> after, stage_packages, build_packages, stage, prime, python_packages,
      python_requirements;
  std::vector<std::pair<std::string, std::string>> organize;  ///< in file order
  std::vector<std::pair<std::string, std::string>> build_environment;
  std::optional<std::string> override_pull, override_build, override_stage, override_prime;
  std::vector<Permission> permissions;
  SourcePosition position;  ///< of the part's key, for messages

  // Keys rockcraft accepts that the lifecycle may support or refuse; kept so that it can.
  std::vector<std::string> python_constraints, make_parameters, go_buildtags, go_generate;
  std::string source_checksum;
  std::int64_t source_depth = 0;
  std::optional<std::vector<std::string>> source_submodules;
  bool disable_parallel = false;
  std::vector<std::string> build_attributes, build_snaps, stage_snaps;
  std::vector<std::string> overlay_packages, overlay_files{"*"};
  std::optional<std::string> overlay_script, override_overlay;
  std::vector<std::string> keys_given;  ///< the part's keys as written, in file order
};

/// A validated rockcraft.yaml. Defaults are applied as rockcraft applies them: `title`
/// is `name` when empty, `build_base` is `base` when not given, `ubuntu:22.04` is
/// `ubuntu@22.04`, a license id is spelled as SPDX spells it.
struct RockProject {
  std::filesystem::path file;  ///< rockcraft.yaml
  std::string name, title, summary, description, version, adopt_info, license, base, build_base,
      run_user;
  std::vector<Platform> platforms;                               ///< in file order
  std::vector<std::pair<std::string, std::string>> environment;  ///< in file order
  YAML::Node services, checks;  ///< validated against Pebble's schema, kept as given (order
                                ///< kept) for the Pebble layer; null when absent
  std::string entrypoint_service, entrypoint_command;
  YAML::Node package_repositories;      ///< a list of mappings, or null
  std::vector<std::string> extensions;  ///< as listed; already applied to the rest
  /// rockcraft.yaml as validated: the document with its extensions expanded.
  YAML::Node document;
  std::vector<PartSpec> parts;  ///< in file order
  std::vector<std::string> contact, issues;
  std::string source_code;
};

/// A Pebble command as rockcraft reads it: shell words, then an optional final `[ ... ]`
/// group of default arguments (which becomes the OCI Cmd).
struct ParsedCommand {
  std::vector<std::string> command;
  std::optional<std::vector<std::string>> default_args;  ///< nullopt without a `[ ... ]` group
};

/// Splits `text` as rockcraft's `parse_command` does (shlex words; a group left open keeps
/// what follows `[` as default args). Throws gantry::Error with rockcraft's message for
/// unbalanced quotes, a nested group, arguments after the group, or a stray `]`.
[[nodiscard]] ParsedCommand parse_command(const std::string& text);

/// Whether `version` is one rockcraft accepts (at most 32 characters, craft-application's
/// pattern): checked again for a version a part sets with `craftctl set version=`.
[[nodiscard]] bool is_valid_version(std::string_view version);

/// Parses and validates rockcraft.yaml text. Throws gantry::ConfigError at the first
/// problem, with file:line:column of the offending node, rockcraft's own message (as
/// craft-application prints it, e.g. "invalid name: Names can only use ASCII lowercase
/// letters, ...") and a resolution. `warn` receives warnings (a deprecated `ubuntu:22.04`,
/// an atypical entrypoint, a development build base).
[[nodiscard]] RockProject parse_rock_project(const std::string& text,
                                             const std::filesystem::path& file,
                                             const std::function<void(const std::string&)>& warn);

/// Reads `file` and parses it. Throws gantry::Error when it cannot be read.
[[nodiscard]] RockProject load_rock_project(const std::filesystem::path& file,
                                            const std::function<void(const std::string&)>& warn);

}  // namespace gantry::rock_pack
