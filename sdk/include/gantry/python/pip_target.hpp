#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace gantry::python {

/// What to install with pip into a directory for another machine's Python (a rock's, a
/// charm's) rather than the build machine's.
struct PipTarget {
  std::filesystem::path directory{};  ///< pip's --target
  std::string python_version{};       ///< "3.10"
  std::string build_for{};            ///< Debian architecture: amd64, arm64, ...
  std::string glibc_minor{};          ///< the target's glibc 2.N, for manylinux tags
  std::vector<std::filesystem::path> requirements{};  ///< -r files
  std::vector<std::string> packages{};                ///< requirement specifiers
};

/// The command line that installs `target` with Debian's pip (/usr/bin/python3 -m pip):
/// `--target`, `--python-version`, `--implementation cp`, a `--platform` for every
/// manylinux tag the target's glibc runs, and `--only-binary=:all:` (pip refuses the
/// platform options otherwise, and nothing may be compiled for the build machine).
/// `--no-compile`: no .pyc files, whose bytes would vary. PIP_INDEX_URL, PIP_FIND_LINKS
/// and the other PIP_* settings of the environment apply as pip reads them.
[[nodiscard]] std::vector<std::string> pip_install_command(const PipTarget& target);

/// pip's machine name for a Debian architecture (amd64 -> x86_64).
[[nodiscard]] std::string pip_machine(const std::string& debian_arch);

/// The Python an Ubuntu release runs ("22.04" -> "3.10"), "" when unknown.
[[nodiscard]] std::string ubuntu_python_version(const std::string& release);

/// The glibc 2.N of an Ubuntu release ("22.04" -> "35"), for manylinux_2_N wheels.
[[nodiscard]] std::string ubuntu_glibc_minor(const std::string& release);

}  // namespace gantry::python
