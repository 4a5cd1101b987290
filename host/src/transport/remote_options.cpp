#include "transport/remote_options.hpp"

namespace gantry::host {

bool is_local_address(const std::string& address) {
  if (address.starts_with("unix:")) {
    return true;
  }
  const auto colon = address.rfind(':');
  const std::string host = colon == std::string::npos ? address : address.substr(0, colon);
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]" || host == "::1";
}

}  // namespace gantry::host
