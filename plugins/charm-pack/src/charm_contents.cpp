#include "charm_contents.hpp"

#include <sys/stat.h>

#include <algorithm>

#include "file_text.hpp"
#include "ignore_rules.hpp"

namespace gantry::charm_pack {
namespace {

namespace fs = std::filesystem;

bool inside(const fs::path& root, const fs::path& path) {
  const auto relative = path.lexically_relative(root);
  return !relative.empty() && *relative.begin() != "..";
}

}  // namespace

std::vector<ProjectFile> project_files(const CharmProject& project, const fs::path& skip,
                                       const std::function<void(const std::string&)>& warn) {
  IgnoreRules rules = IgnoreRules::charmcraft_defaults();
  for (const char* line :
       {"/charmcraft.yaml", "*.charm", ".craft", "/parts/", "/stage/", "/prime/", "/.gantry/"}) {
    rules.add(line);
  }
  rules.add_lines(read_text(project.dir / ".jujuignore"));
  const fs::path root = fs::weakly_canonical(project.dir);
  const fs::path skip_canonical = skip.empty() ? fs::path() : fs::weakly_canonical(skip);
  std::vector<ProjectFile> files;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(project.dir, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const fs::path path = it->path();
    const std::string relative = path.lexically_relative(project.dir).generic_string();
    struct stat link_status {};
    if (::lstat(path.c_str(), &link_status) != 0) {
      continue;
    }
    const bool is_link = S_ISLNK(link_status.st_mode);
    struct stat status {};
    const bool resolves = ::stat(path.c_str(), &status) == 0;
    const bool is_dir = resolves && S_ISDIR(status.st_mode);
    if (rules.ignored(relative, is_dir) ||
        (!skip_canonical.empty() && is_dir && fs::weakly_canonical(path) == skip_canonical)) {
      if (is_dir) {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (is_link) {
      const fs::path target = fs::weakly_canonical(path);
      if (!resolves || !inside(root, target)) {
        warn("leaving out " + relative + ": a symlink to " +
             (resolves ? target.string() : std::string("nothing")) +
             ", outside the project (charmcraft keeps only links inside it)");
        if (is_dir) {
          it.disable_recursion_pending();
        }
        continue;
      }
      if (is_dir) {
        it.disable_recursion_pending();  // its files are reached through the real directory
        continue;
      }
    }
    if (is_dir || !resolves || !S_ISREG(status.st_mode)) {
      continue;
    }
    files.push_back({relative, path, (status.st_mode & 0111U) != 0 ? 0755U : 0644U,
                     static_cast<std::int64_t>(link_status.st_mtim.tv_sec)});
  }
  std::sort(files.begin(), files.end(),
            [](const ProjectFile& a, const ProjectFile& b) { return a.name < b.name; });
  return files;
}

}  // namespace gantry::charm_pack
