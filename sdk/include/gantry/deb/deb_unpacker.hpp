#pragma once

#include <filesystem>
#include <string>

#include "gantry/deb/staging_tree.hpp"

namespace gantry::deb {

/// Unpacks the data member of a .deb (data.tar with no compression, .gz, .xz, .zst or
/// .bz2) into `tree`, as `dpkg-deb --extract` does: no maintainer script runs. Reads the
/// .deb once, streaming. Throws DebError naming `label` (the package) when the file is not
/// a .deb or an entry would land outside the tree.
/// Returns the number of entries written.
std::size_t unpack_deb(const std::filesystem::path& deb, StagingTree& tree,
                       const std::string& label);

}  // namespace gantry::deb
