#include "build_tools.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <sstream>

#include "gantry/sdk/child_process.hpp"

namespace gantry::rock_pack {
namespace {

std::string snap_command(const std::string& snap) { return snap.substr(0, snap.find('/')); }

bool on_path(const std::string& command, const std::string& path) {
  std::istringstream dirs(path);
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + command;
    struct stat status {};
    if (::stat(candidate.c_str(), &status) == 0 && S_ISREG(status.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<std::string> missing_build_packages(const std::vector<std::string>& packages) {
  if (packages.empty()) {
    return {};
  }
  std::vector<std::string> argv{"dpkg-query", "-W", "-f=${Package} ${db:Status-Abbrev}\\n"};
  argv.insert(argv.end(), packages.begin(), packages.end());
  const auto run = sdk::run_captured(
      {"/usr/bin/dpkg-query", argv, sdk::environment_strings(sdk::environment_map()), "/"},
      [] { return false; });
  std::map<std::string, bool> installed;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string name, status;
    words >> name >> status;
    installed[name.substr(0, name.find(':'))] = status.starts_with("ii");
  }
  std::vector<std::string> missing;
  for (const auto& package : packages) {
    // A package name may carry an architecture (`libfoo:arm64`) or a version.
    const std::string name = package.substr(0, package.find_first_of(":="));
    if (!installed[name]) {
      missing.push_back(package);
    }
  }
  return missing;
}

std::vector<std::string> missing_build_snaps(const std::vector<std::string>& snaps,
                                             const std::string& path) {
  std::vector<std::string> missing;
  for (const auto& snap : snaps) {
    if (!on_path(snap_command(snap), path)) {
      missing.push_back(snap);
    }
  }
  return missing;
}

std::string debian_package_for_snap(const std::string& snap) {
  static const std::map<std::string, std::string> kPackages{
      {"go", "golang-go"}, {"node", "nodejs"}, {"rustup", "rustc cargo"}, {"cmake", "cmake"}};
  const auto found = kPackages.find(snap_command(snap));
  return found == kPackages.end() ? snap_command(snap) : found->second;
}

}  // namespace gantry::rock_pack
