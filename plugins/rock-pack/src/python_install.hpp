#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gantry::rock_pack {

/// What the `python` plugin installs and for which Python.
struct PythonInstall {
  std::vector<std::string> packages;                ///< python-packages
  std::vector<std::filesystem::path> requirements;  ///< python-requirements, resolved
  std::string python_version;                       ///< "3.12": the rock's interpreter
  std::string build_for;                            ///< Debian architecture
  std::string glibc_minor;                          ///< the base's glibc 2.N, for manylinux tags
};

/// The pip command line that installs `install` for the rock's Python rather than the
/// build machine's: Debian's pip (/usr/bin/python3 -m pip), `--target` the rock's
/// /usr/local/lib/pythonX.Y/dist-packages under `root`, `--python-version`, every
/// manylinux tag the base's glibc runs, `--only-binary=:all:` (nothing is compiled for
/// the build machine). PIP_INDEX_URL, PIP_FIND_LINKS and the other PIP_* settings of the
/// environment apply as pip reads them.
[[nodiscard]] std::vector<std::string> pip_command(const PythonInstall& install,
                                                   const std::filesystem::path& root);

/// The Python the rock runs: the newest usr/bin/pythonX.Y staged under one of `trees`,
/// else the build base's (3.8, 3.10, 3.12 for ubuntu@20.04, 22.04, 24.04).
[[nodiscard]] std::string rock_python_version(const std::vector<std::filesystem::path>& trees,
                                              const std::string& build_base);

/// The glibc 2.N of an Ubuntu build base, for manylinux_2_N wheels.
[[nodiscard]] std::string base_glibc_minor(const std::string& build_base);

}  // namespace gantry::rock_pack
