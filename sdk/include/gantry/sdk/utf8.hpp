#pragma once

#include <string_view>

namespace gantry::sdk {

/// True when `text` is well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates,
/// nothing past U+10FFFF. Protobuf's string fields carry only such text.
[[nodiscard]] bool is_valid_utf8(std::string_view text);

}  // namespace gantry::sdk
