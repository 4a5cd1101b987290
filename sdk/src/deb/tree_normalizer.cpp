#include "gantry/deb/tree_normalizer.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

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

bool rewrite_shebang(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::array<char, 2> magic{};
  if (!in.read(magic.data(), 2) || magic[0] != '#' || magic[1] != '!') {
    return false;
  }
  in.seekg(0);
  std::string first_line;
  std::getline(in, first_line);
  if (first_line.size() > 256) {
    return false;
  }
  const auto shebang = python_shebang(first_line);
  if (!shebang || first_line.starts_with("#!/usr/bin/env ")) {
    return false;
  }
  std::ostringstream rest;
  rest << in.rdbuf();
  std::string replacement;
  if (shebang->arguments.empty()) {
    replacement = "#!/usr/bin/env " + shebang->interpreter + "\n";
  } else {
    // env cannot pass arguments portably: a shell line that Python reads as a string.
    replacement = "#!/bin/sh\n''''exec " + shebang->interpreter + " " + shebang->arguments +
                  " -- \"$0\" \"$@\" # '''\n";
  }
  struct stat status {};
  ::stat(file.c_str(), &status);
  const fs::path temporary = file.string() + ".gantry-shebang";
  {
    std::ofstream out(temporary, std::ios::binary);
    out << replacement << rest.str();
  }
  ::chmod(temporary.c_str(), status.st_mode & 07777U);
  fs::rename(temporary, file);
  return true;
}

}  // namespace

NormalizeSummary normalize_tree(const fs::path& root,
                                const std::function<void(const std::string&)>& warn) {
  NormalizeSummary summary;
  std::error_code error;
  for (const auto& lib : {root / "usr/lib"}) {
    for (const auto& entry : fs::directory_iterator(lib, error)) {
      if (entry.path().filename().string().starts_with("python")) {
        fs::remove(entry.path() / "sitecustomize.py", error);
      }
    }
  }
  for (auto it = fs::recursive_directory_iterator(root, error);
       it != fs::recursive_directory_iterator(); it.increment(error)) {
    const fs::path path = it->path();
    if (it->is_symlink(error)) {
      const fs::path target = fs::read_symlink(path, error);
      if (error || !target.is_absolute()) {
        continue;
      }
      const fs::path inside = root / target.relative_path();
      if (!fs::exists(fs::symlink_status(inside, error))) {
        warn("/" + path.lexically_relative(root).string() + " points to " + target.string() +
             ", which is not in the staged tree");
        continue;
      }
      const fs::path relative = target.lexically_relative(
          ("/" / path.lexically_relative(root).parent_path()).lexically_normal());
      fs::remove(path, error);
      fs::create_symlink(relative.empty() ? fs::path(".") : relative, path, error);
      ++summary.symlinks_made_relative;
    } else if (it->is_regular_file(error)) {
      if (rewrite_shebang(path)) {
        ++summary.shebangs_rewritten;
      }
    }
  }
  return summary;
}

}  // namespace gantry::deb
