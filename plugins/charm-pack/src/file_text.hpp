#pragma once

#include <filesystem>
#include <string>

namespace gantry::charm_pack {

/// The whole content of `path`; "" when it cannot be read (callers check existence first
/// where a missing file matters).
[[nodiscard]] std::string read_text(const std::filesystem::path& path);

}  // namespace gantry::charm_pack
