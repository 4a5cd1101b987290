// SPDX license expressions, as rockcraft checks a project's `license:`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace gantry::rock_pack::detail {

/// An SPDX license expression: ids (with an optional "+"), LicenseRef-*, AND, OR, WITH and
/// parentheses. Returns the expression with ids spelled as SPDX spells them, or nullopt.
std::optional<std::string> spdx_expression(std::string_view text);

}  // namespace gantry::rock_pack::detail
