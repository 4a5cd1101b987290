#include "gantry/deb/tree_normalizer.hpp"

#include <sys/stat.h>

#include <optional>
#include <regex>

namespace gantry::deb {
namespace {

namespace fs = std::filesystem;

// "#!/usr/bin/python3.11 -E" -> interpreter "python3.11", arguments "-E".
struct Shebang {
  std::string interpreter;
  std::string arguments;
};

std::optional<Shebang> python_shebang(const std::string& first_line) {
  static const std::regex kPattern(R"(^#!\s*\S*/(python[0-9.]*)(\s+(.*?))?\s*$)");
  std::smatch match;
  if (!std::regex_match(first_line, match, kPattern)) {
    return std::nullopt;
  }
  return Shebang{match[1].str(), match[3].str()};
}

// Scripts are small; a file past this is not one worth reading whole.
constexpr std::size_t kLargestScript = 64U << 20;

bool rewrite_shebang(StagingTree& tree, const std::string& name, const struct stat& status) {
  const auto head = tree.read_regular_file(name, 258);
  if (!head || !head->starts_with("#!")) {
    return false;
  }
  const auto newline = head->find('\n');
  if (newline == std::string::npos && head->size() > 256) {
    return false;
  }
  const std::string first_line = head->substr(0, newline);
  const auto shebang = python_shebang(first_line);
  if (!shebang || first_line.starts_with("#!/usr/bin/env ")) {
    return false;
  }
  const auto whole = tree.read_regular_file(name, kLargestScript);
  if (!whole || whole->size() >= kLargestScript) {
    return false;
  }
  std::string replacement;
  if (shebang->arguments.empty()) {
    replacement = "#!/usr/bin/env " + shebang->interpreter + "\n";
  } else {
    // env cannot pass arguments portably: a shell line that Python reads as a string.
    replacement = "#!/bin/sh\n''''exec " + shebang->interpreter + " " + shebang->arguments +
                  " -- \"$0\" \"$@\" # '''\n";
  }
  if (newline != std::string::npos) {
    replacement += whole->substr(newline + 1);
  }
  tree.replace_file(name, status.st_mode & 07777U, status.st_mtim.tv_sec, replacement);
  return true;
}

}  // namespace

NormalizeSummary normalize_tree(StagingTree& tree,
                                const std::function<void(const std::string&)>& warn) {
  NormalizeSummary summary;
  for (const auto& entry : tree.list_directory("usr/lib")) {
    if (entry.starts_with("python")) {
      tree.remove("usr/lib/" + entry + "/sitecustomize.py");
    }
  }
  const fs::path& root = tree.root();
  std::error_code error;
  // The walk never follows a symlink, so every path it gives is a real one in the tree.
  for (auto it = fs::recursive_directory_iterator(root, error);
       it != fs::recursive_directory_iterator(); it.increment(error)) {
    const std::string name = it->path().lexically_relative(root).string();
    struct stat status {};
    if (::lstat(it->path().c_str(), &status) != 0) {
      continue;
    }
    if (S_ISLNK(status.st_mode)) {
      const fs::path target = fs::read_symlink(it->path(), error);
      if (error || !target.is_absolute()) {
        continue;
      }
      // Lexically inside the tree first: "/../../etc/x" is "/etc/x" of the image.
      const fs::path inside = target.lexically_normal();
      if (!tree.exists(inside.relative_path().string())) {
        warn("/" + name + " points to " + target.string() + ", which is not in the staged tree");
        continue;
      }
      const fs::path relative =
          inside.lexically_relative(("/" / fs::path(name).parent_path()).lexically_normal());
      tree.add_symlink(name, relative.empty() ? std::string(".") : relative.string(),
                       status.st_mtim.tv_sec);
      ++summary.symlinks_made_relative;
    } else if (S_ISREG(status.st_mode) && rewrite_shebang(tree, name, status)) {
      ++summary.shebangs_rewritten;
    }
  }
  return summary;
}

}  // namespace gantry::deb
