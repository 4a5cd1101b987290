#pragma once

#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace gantry::charm_pack {

/// charmcraft's .jujuignore rules (charmcraft/jujuignore.py): gitignore-style patterns,
/// the last that matches decides, `!` re-includes, a trailing `/` matches directories
/// only, a leading `/` (or any inner `/`) anchors a pattern at the project root, `**`
/// crosses directories.
class IgnoreRules {
 public:
  /// charmcraft's default_juju_ignore plus the charm plugin's /staging-venv.
  static IgnoreRules charmcraft_defaults();

  /// Adds the lines of a .jujuignore file.
  void add_lines(std::string_view text);
  /// Adds one pattern line.
  void add(std::string_view line);

  /// Whether `relative` ('/'-separated, no leading '/') is left out of the charm.
  [[nodiscard]] bool ignored(const std::string& relative, bool is_directory) const;

 private:
  struct Rule {
    std::regex pattern;
    bool negated = false;
    bool directory_only = false;
    bool anchored = false;
  };
  std::vector<Rule> rules_;
};

}  // namespace gantry::charm_pack
