#pragma once

#include <string>

namespace gantry::host {

/// The runner's bearer token: the first line of `token_file` when one is given, else
/// $GANTRY_TOKEN, else empty. Throws UsageError when the file cannot be read or holds
/// no token. The token itself never appears in a message.
[[nodiscard]] std::string bearer_token(const std::string& token_file);

}  // namespace gantry::host
