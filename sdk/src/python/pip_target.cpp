#include "gantry/python/pip_target.hpp"

namespace gantry::python {

std::string pip_machine(const std::string& debian_arch) {
  if (debian_arch == "amd64") {
    return "x86_64";
  }
  if (debian_arch == "arm64") {
    return "aarch64";
  }
  if (debian_arch == "armhf") {
    return "armv7l";
  }
  if (debian_arch == "ppc64el") {
    return "ppc64le";
  }
  if (debian_arch == "i386") {
    return "i686";
  }
  return debian_arch;  // riscv64, s390x
}

std::string ubuntu_python_version(const std::string& release) {
  if (release == "20.04") {
    return "3.8";
  }
  if (release == "22.04") {
    return "3.10";
  }
  if (release == "24.04") {
    return "3.12";
  }
  if (release == "26.04") {
    return "3.14";
  }
  return {};
}

std::string ubuntu_glibc_minor(const std::string& release) {
  if (release == "20.04") {
    return "31";
  }
  if (release == "22.04") {
    return "35";
  }
  return "39";  // 24.04 and later
}

std::vector<std::string> pip_install_command(const PipTarget& target) {
  std::vector<std::string> argv{"/usr/bin/python3",
                                "-m",
                                "pip",
                                "install",
                                "--disable-pip-version-check",
                                "--no-compile",
                                "--no-warn-script-location",
                                "--only-binary=:all:",
                                "--python-version",
                                target.python_version,
                                "--implementation",
                                "cp",
                                "--target",
                                target.directory.string()};
  const std::string arch = pip_machine(target.build_for);
  argv.insert(argv.end(), {"--platform", "linux_" + arch, "--platform", "manylinux2014_" + arch});
  for (int minor = 17; minor <= std::stoi(target.glibc_minor); ++minor) {
    argv.insert(argv.end(), {"--platform", "manylinux_2_" + std::to_string(minor) + "_" + arch});
  }
  for (const auto& requirements : target.requirements) {
    argv.insert(argv.end(), {"--requirement", requirements.string()});
  }
  argv.insert(argv.end(), target.packages.begin(), target.packages.end());
  return argv;
}

}  // namespace gantry::python
