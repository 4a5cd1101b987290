// What a part needs on the build machine before it runs: rockcraft installs a part's
// build-packages with apt and its build-snaps with snapd inside its LXD instance; gantry
// builds on this machine and installs nothing, so it checks that they are there and says
// how to get them.
#pragma once

#include <string>
#include <vector>

namespace gantry::rock_pack {

/// The build-packages that dpkg does not list as installed.
[[nodiscard]] std::vector<std::string> missing_build_packages(
    const std::vector<std::string>& packages);

/// The build-snaps whose command (the snap's name, before any '/channel') is not on `path`.
[[nodiscard]] std::vector<std::string> missing_build_snaps(const std::vector<std::string>& snaps,
                                                           const std::string& path);

/// The Debian package that gives a snap's command, where there is one ("go" ->
/// "golang-go"), else the snap's name.
[[nodiscard]] std::string debian_package_for_snap(const std::string& snap);

}  // namespace gantry::rock_pack
