#include "extensions/app_parts.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <regex>
#include <sstream>

#include "extensions/extension.hpp"
#include "extensions/snippet_nodes.hpp"

namespace gantry::rock_pack::app_parts {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// packaging's Requirement(line).name, lower-cased; empty for what it would refuse.
std::string requirement_name(std::string_view line) {
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front())) != 0) {
    line.remove_prefix(1);
  }
  if (line.empty() || std::isalnum(static_cast<unsigned char>(line.front())) == 0) {
    return {};
  }
  std::string name;
  for (const char c : line) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '_' && c != '.') {
      break;
    }
    name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const std::string_view rest = line.substr(name.size());
  const auto next = rest.find_first_not_of(" \t");
  if (next != std::string_view::npos &&
      std::string_view("[<>=!~;@(").find(rest[next]) == std::string_view::npos) {
    return {};  // e.g. "-r other.txt", "git+https://...", "flask flask"
  }
  return name;
}

/// The strings of `dependencies = [...]` in pyproject.toml's [project] table.
std::vector<std::string> pyproject_dependencies(const std::string& toml) {
  std::vector<std::string> found;
  std::istringstream lines(toml);
  std::string line;
  bool in_project = false;
  bool in_list = false;
  while (std::getline(lines, line)) {
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') {
      continue;
    }
    if (!in_list && line[first] == '[') {
      in_project = line.compare(first, 9, "[project]") == 0;
      continue;
    }
    if (!in_project) {
      continue;
    }
    std::string_view rest(line);
    if (!in_list) {
      if (line.compare(first, 12, "dependencies") != 0) {
        continue;
      }
      const auto open = rest.find('[');
      if (open == std::string_view::npos) {
        continue;
      }
      rest = rest.substr(open + 1);
      in_list = true;
    }
    for (std::size_t i = 0; i < rest.size(); ++i) {
      if (rest[i] == ']') {
        in_list = false;
        break;
      }
      if (rest[i] == '"' || rest[i] == '\'') {
        const auto close = rest.find(rest[i], i + 1);
        if (close == std::string_view::npos) {
          break;
        }
        found.emplace_back(rest.substr(i + 1, close - i - 1));
        i = close;
      } else if (rest[i] == '#') {
        break;
      }
    }
  }
  return found;
}

}  // namespace

YAML::Node daemon_permission(std::string_view path) {
  YAML::Node permission = snippet::map();
  if (!path.empty()) {
    permission["path"] = snippet::text(path);
  }
  permission["owner"] = snippet::number(kDaemonId);
  permission["group"] = snippet::number(kDaemonId);
  return permission;
}

YAML::Node logging_part(const std::vector<std::string>& extra_dirs) {
  std::string script =
      "craftctl default\nmkdir -p $CRAFT_PART_INSTALL/opt/promtail\n"
      "mkdir -p $CRAFT_PART_INSTALL/etc/promtail";
  YAML::Node permissions =
      snippet::list({daemon_permission("opt/promtail"), daemon_permission("etc/promtail")});
  for (const auto& dir : extra_dirs) {
    script += "\nmkdir -p $CRAFT_PART_INSTALL/" + dir;
    permissions.push_back(daemon_permission(dir));
  }
  YAML::Node part = snippet::map();
  part["plugin"] = snippet::text("nil");
  part["override-build"] = snippet::text(script);
  part["permissions"] = permissions;
  return part;
}

std::string python_for_base(std::string_view base) {
  if (base == "ubuntu@22.04" || base == "ubuntu:22.04") {
    return "3.10";
  }
  if (base == "ubuntu@24.04" || base == "ubuntu:24.04") {
    return "3.12";
  }
  return {};
}

std::set<std::string> requirement_names(const fs::path& project_root) {
  std::set<std::string> names;
  const auto add = [&](std::string_view line) {
    if (auto name = requirement_name(line); !name.empty()) {
      names.insert(std::move(name));
    }
  };
  if (fs::exists(project_root / "requirements.txt")) {
    std::istringstream lines(read_text(project_root / "requirements.txt"));
    for (std::string line; std::getline(lines, line);) {
      add(line);
    }
  }
  if (fs::exists(project_root / "pyproject.toml")) {
    for (const auto& dependency :
         pyproject_dependencies(read_text(project_root / "pyproject.toml"))) {
      add(dependency);
    }
  }
  return names;
}

std::vector<std::string> project_entries(const fs::path& project_root) {
  std::vector<std::string> entries;
  for (const auto& entry : fs::directory_iterator(project_root)) {
    const std::string name = entry.path().filename().string();
    if (name == "node_modules" || name == ".git" || name == ".yarn" || name == ".gantry" ||
        (name.size() >= 5 && name.ends_with(".rock"))) {
      continue;
    }
    entries.push_back(name);
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

YAML::Node install_app_dump(const std::vector<std::string>& prime, const fs::path& project_root,
                            const std::string& app_dir) {
  YAML::Node organize = snippet::map();
  YAML::Node stage(YAML::NodeType::Sequence);
  if (!prime.empty() && !prime.front().empty() && prime.front().front() != '-') {
    for (const auto& entry : prime) {
      organize[relative_to(entry, app_dir)] = snippet::text(entry);
      stage.push_back(snippet::text(entry));
    }
  } else {
    for (const auto& entry : project_entries(project_root)) {
      organize[entry] = snippet::text(app_dir + "/" + entry);
      stage.push_back(snippet::text(app_dir + "/" + entry));
    }
  }
  YAML::Node part = snippet::map();
  part["plugin"] = snippet::text("dump");
  part["source"] = snippet::text(".");
  part["organize"] = organize;
  part["stage"] = stage;
  return part;
}

std::vector<std::string> user_entries_under(const YAML::Node& data, const std::string& part,
                                            const std::string& key, const std::string& dir,
                                            const std::string& message,
                                            const std::string& resolution) {
  std::vector<std::string> entries = nested_texts(data, {"parts", part, key});
  const std::regex start("-? *" + dir);
  for (const auto& entry : entries) {
    if (!std::regex_search(entry, start, std::regex_constants::match_continuous)) {
      throw ExtensionError(message, resolution);
    }
  }
  return entries;
}

std::vector<std::string> existing_under(const fs::path& project_root,
                                        std::initializer_list<const char*> names,
                                        const std::string& dir) {
  std::vector<std::string> found;
  for (const auto* name : names) {
    if (fs::exists(project_root / name)) {
      found.push_back(dir + name);
    }
  }
  return found;
}

std::string bullet_list(const std::vector<std::string>& problems) {
  std::string message;
  for (const auto& problem : problems) {
    message += (message.empty() ? "- " : "\n- ") + problem;
  }
  return message;
}

std::string relative_to(std::string_view path, std::string_view start) {
  const std::string prefix = std::string(start) + "/";
  if (path == start) {
    return ".";
  }
  if (path.starts_with(prefix)) {
    std::string rest(path.substr(prefix.size()));
    while (rest.ends_with('/')) {
      rest.pop_back();
    }
    return rest.empty() ? "." : rest;
  }
  return fs::path(path).lexically_relative(fs::path(start)).generic_string();
}

/// The node at `keys` inside `data`, without adding anything to it; undefined if absent.
YAML::Node nested(const YAML::Node& data, std::initializer_list<std::string_view> keys) {
  YAML::Node node;
  node.reset(data);
  for (const auto key : keys) {
    if (!node.IsMap()) {
      return YAML::Node(YAML::NodeType::Undefined);
    }
    const YAML::Node& parent = node;
    const YAML::Node child = parent[std::string(key)];
    if (!child.IsDefined()) {
      return YAML::Node(YAML::NodeType::Undefined);
    }
    node.reset(child);
  }
  return node;
}

std::string nested_text(const YAML::Node& data, std::initializer_list<std::string_view> keys) {
  const YAML::Node node = nested(data, keys);
  return node.IsDefined() && node.IsScalar() ? node.Scalar() : std::string();
}

std::vector<std::string> nested_texts(const YAML::Node& data,
                                      std::initializer_list<std::string_view> keys) {
  const YAML::Node node = nested(data, keys);
  std::vector<std::string> values;
  if (node.IsDefined() && node.IsSequence()) {
    for (const auto& item : node) {
      if (item.IsScalar()) {
        values.push_back(item.Scalar());
      }
    }
  }
  return values;
}

}  // namespace gantry::rock_pack::app_parts
