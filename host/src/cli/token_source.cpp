#include "cli/token_source.hpp"

#include <cstdlib>
#include <fstream>

#include "cli/usage_error.hpp"

namespace gantry::host {

std::string bearer_token(const std::string& token_file) {
  if (token_file.empty()) {
    const char* from_env = std::getenv("GANTRY_TOKEN");
    return from_env == nullptr ? std::string() : std::string(from_env);
  }
  std::ifstream in(token_file);
  std::string token;
  if (!in || !std::getline(in, token)) {
    throw UsageError("cannot read the token file " + token_file,
                     "Give a file whose first line is the token.");
  }
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) {
    token.pop_back();
  }
  if (token.empty()) {
    throw UsageError("the token file " + token_file + " holds no token",
                     "Put the token on its first line.");
  }
  return token;
}

}  // namespace gantry::host
