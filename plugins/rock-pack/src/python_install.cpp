#include "python_install.hpp"

#include <regex>

namespace gantry::rock_pack {
namespace {

namespace fs = std::filesystem;

/// pip's machine name for a Debian architecture.
std::string machine(const std::string& debian) {
  if (debian == "amd64") {
    return "x86_64";
  }
  if (debian == "arm64") {
    return "aarch64";
  }
  if (debian == "armhf") {
    return "armv7l";
  }
  if (debian == "ppc64el") {
    return "ppc64le";
  }
  if (debian == "i386") {
    return "i686";
  }
  return debian;  // riscv64, s390x
}

}  // namespace

std::string base_glibc_minor(const std::string& build_base) {
  if (build_base == "ubuntu@20.04") {
    return "31";
  }
  if (build_base == "ubuntu@22.04") {
    return "35";
  }
  return "39";  // 24.04 and later
}

std::string rock_python_version(const std::vector<fs::path>& trees, const std::string& build_base) {
  static const std::regex kInterpreter(R"(python(3\.[0-9]+))");
  std::string best;
  for (const auto& tree : trees) {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(tree / "usr/bin", error)) {
      std::smatch match;
      const std::string name = entry.path().filename().string();
      if (std::regex_match(name, match, kInterpreter)) {
        const std::string version = match[1].str();
        const auto minor = [](const std::string& v) { return std::stoi(v.substr(2)); };
        if (best.empty() || minor(version) > minor(best)) {
          best = version;
        }
      }
    }
  }
  if (!best.empty()) {
    return best;
  }
  if (build_base == "ubuntu@20.04") {
    return "3.8";
  }
  if (build_base == "ubuntu@22.04") {
    return "3.10";
  }
  return "3.12";
}

std::vector<std::string> pip_command(const PythonInstall& install, const fs::path& root) {
  std::vector<std::string> argv{
      "/usr/bin/python3",
      "-m",
      "pip",
      "install",
      "--disable-pip-version-check",
      "--no-compile",
      "--no-warn-script-location",
      "--only-binary=:all:",
      "--python-version",
      install.python_version,
      "--implementation",
      "cp",
      "--target",
      (root / "usr/local/lib" / ("python" + install.python_version) / "dist-packages").string()};
  const std::string arch = machine(install.build_for);
  argv.insert(argv.end(), {"--platform", "linux_" + arch, "--platform", "manylinux2014_" + arch});
  for (int minor = 17; minor <= std::stoi(install.glibc_minor); ++minor) {
    argv.insert(argv.end(), {"--platform", "manylinux_2_" + std::to_string(minor) + "_" + arch});
  }
  for (const auto& requirements : install.requirements) {
    argv.insert(argv.end(), {"--requirement", requirements.string()});
  }
  argv.insert(argv.end(), install.packages.begin(), install.packages.end());
  return argv;
}

}  // namespace gantry::rock_pack
