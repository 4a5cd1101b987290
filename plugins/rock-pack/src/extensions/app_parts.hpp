// What the framework extensions share (RC rockcraft/extensions/app_parts.py, gunicorn.py,
// fastapi.py, go.py): the logging and runtime parts, the Python of a build base, reading
// a project's Python requirements, and the install-app part's file lists.
#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace gantry::rock_pack::app_parts {

/// The uid and gid of `_daemon_`, who owns the application's files.
inline constexpr long long kDaemonId = 584792;

/// The `<framework>-framework/logging` part: promtail's folders (and `extra_dirs`) owned
/// by _daemon_.
YAML::Node logging_part(const std::vector<std::string>& extra_dirs = {});

/// `{path: PATH, owner: 584792, group: 584792}` (no path: every file of the part).
YAML::Node daemon_permission(std::string_view path = {});

/// "3.10" for ubuntu@22.04, "3.12" for ubuntu@24.04 (also with ':'); empty otherwise.
std::string python_for_base(std::string_view base);

/// The lower-cased names of the requirements in requirements.txt and pyproject.toml's
/// [project] dependencies, lines that are not requirements skipped (as packaging's
/// InvalidRequirement is).
std::set<std::string> requirement_names(const std::filesystem::path& project_root);

/// The top-level entries of the project directory, sorted, without node_modules, .git,
/// .yarn, *.rock and gantry's own build state (.gantry).
std::vector<std::string> project_entries(const std::filesystem::path& project_root);

/// The install-app part rockcraft generates: a dump of the project whose organize and
/// stage come from `prime` when it is in include mode (each entry taken from its path
/// relative to `app_dir`), else from every top-level project entry (put under `app_dir`).
YAML::Node install_app_dump(const std::vector<std::string>& prime,
                            const std::filesystem::path& project_root, const std::string& app_dir);

/// The user's `parts.<part>.<key>` list (prime or stage) after checking that every entry
/// starts with `dir` (rockcraft's regex `-? *<dir>`); else ExtensionError(`message`).
std::vector<std::string> user_entries_under(const YAML::Node& data, const std::string& part,
                                            const std::string& key, const std::string& dir,
                                            const std::string& message,
                                            const std::string& resolution);

/// `dir` + name for each of `names` the project has, in that order: the default list.
std::vector<std::string> existing_under(const std::filesystem::path& project_root,
                                        std::initializer_list<const char*> names,
                                        const std::string& dir);

/// rockcraft's list of problems: "- a\n- b".
std::string bullet_list(const std::vector<std::string>& problems);

/// os.path.relpath(path, start) for relative POSIX paths.
std::string relative_to(std::string_view path, std::string_view start);

/// The node at `keys` inside `data` (e.g. parts.X), undefined if absent; `data` is unchanged.
YAML::Node nested(const YAML::Node& data, std::initializer_list<std::string_view> keys);

/// A string field of a mapping inside `data` (e.g. services.flask.command), "" if absent.
std::string nested_text(const YAML::Node& data, std::initializer_list<std::string_view> keys);

/// A list of strings inside `data` (e.g. parts.X.prime), empty if absent.
std::vector<std::string> nested_texts(const YAML::Node& data,
                                      std::initializer_list<std::string_view> keys);

}  // namespace gantry::rock_pack::app_parts
