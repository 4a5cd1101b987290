#include "fileset.hpp"

#include <fnmatch.h>

#include <algorithm>

#include "gantry/sdk/tree_walk.hpp"

namespace gantry::rock_pack {
namespace {

namespace fs = std::filesystem;

std::string normalized(std::string pattern) {
  while (pattern.starts_with("./")) {
    pattern.erase(0, 2);
  }
  while (pattern.size() > 1 && pattern.ends_with('/')) {
    pattern.pop_back();
  }
  return pattern;
}

bool glob(const std::string& pattern, const std::string& path) {
  // "**" crosses directories; fnmatch without FNM_PATHNAME lets "*" do so too, so a
  // pattern with "**" is matched that way and one without it component-wise.
  const int flags = pattern.find("**") != std::string::npos ? 0 : FNM_PATHNAME;
  std::string simple;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '*' && !simple.empty() && simple.back() == '*') {
      continue;  // "**" becomes "*"
    }
    simple.push_back(pattern[i]);
  }
  return ::fnmatch(simple.c_str(), path.c_str(), flags) == 0;
}

}  // namespace

bool matches_path(const std::string& pattern, const std::string& path) {
  if (pattern == "*") {
    return !path.starts_with(".");  // hidden top-level entries only when named
  }
  for (std::string candidate = path;;) {
    if (glob(pattern, candidate)) {
      return true;
    }
    const auto slash = candidate.rfind('/');
    if (slash == std::string::npos) {
      return false;
    }
    candidate.erase(slash);
  }
}

Fileset::Fileset(std::vector<std::string> entries) {
  for (auto& entry : entries) {
    if (entry.starts_with("-")) {
      std::string rest = entry.substr(1);
      rest.erase(0, rest.find_first_not_of(' '));
      excludes_.push_back(normalized(rest));
    } else {
      includes_.push_back(normalized(entry));
    }
  }
  if (includes_.empty()) {
    includes_.emplace_back("*");
  }
}

bool Fileset::selects(const std::string& path) const {
  const bool included = std::any_of(includes_.begin(), includes_.end(), [&](const auto& pattern) {
    return matches_path(pattern, path);
  });
  return included && std::none_of(excludes_.begin(), excludes_.end(),
                                  [&](const auto& pattern) { return matches_path(pattern, path); });
}

std::vector<std::string> Fileset::select(const fs::path& root) const {
  std::vector<std::string> selected;
  std::error_code missing;
  if (!fs::is_directory(root, missing)) {
    return selected;  // a part that installed nothing
  }
  sdk::walk_tree(
      root,
      [&](const std::string& name, const struct stat&) {
        // Every entry is looked at: a pattern such as "usr/lib/python3*/site-packages" can
        // match below a directory that does not match itself.
        if (selects(name)) {
          selected.push_back(name);
        }
        return true;
      },
      sdk::TreeDetail::kKind);
  std::sort(selected.begin(), selected.end());
  // Parents of selected entries are needed to hold them.
  std::vector<std::string> with_parents;
  for (const auto& name : selected) {
    for (auto slash = name.find('/'); slash != std::string::npos;
         slash = name.find('/', slash + 1)) {
      with_parents.push_back(name.substr(0, slash));
    }
    with_parents.push_back(name);
  }
  std::sort(with_parents.begin(), with_parents.end());
  with_parents.erase(std::unique(with_parents.begin(), with_parents.end()), with_parents.end());
  return with_parents;
}

}  // namespace gantry::rock_pack
