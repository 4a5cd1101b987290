#pragma once

#include <string>

namespace gantry::sdk {

/// What a user can do about a failed file operation, given its errno value: free space
/// for a full disk or quota, permissions for a refusal, and so on; empty when there is
/// nothing better to say than the error itself.
[[nodiscard]] std::string file_error_resolution(int error_number);

}  // namespace gantry::sdk
