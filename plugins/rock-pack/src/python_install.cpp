#include "python_install.hpp"

#include <regex>

#include "gantry/python/pip_target.hpp"

namespace gantry::rock_pack {
namespace {

namespace fs = std::filesystem;

}  // namespace

std::string base_glibc_minor(const std::string& build_base) {
  return python::ubuntu_glibc_minor(build_base.substr(build_base.find('@') + 1));
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
  python::PipTarget target;
  target.directory = root / "usr/local/lib" / ("python" + install.python_version) / "dist-packages";
  target.python_version = install.python_version;
  target.build_for = install.build_for;
  target.glibc_minor = install.glibc_minor;
  target.requirements = install.requirements;
  target.packages = install.packages;
  return python::pip_install_command(target);
}

}  // namespace gantry::rock_pack
