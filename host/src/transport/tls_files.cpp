#include "transport/tls_files.hpp"

#include <fstream>
#include <sstream>

#include "gantry/sdk/error.hpp"

namespace gantry::host {

std::string read_pem(const std::filesystem::path& file, const char* option) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  if (!in || text.str().find("-----BEGIN ") == std::string::npos) {
    throw Error(std::string(option) + " " + file.string() + " is not a readable PEM file",
                "Give the path of a PEM certificate or key.");
  }
  return text.str();
}

}  // namespace gantry::host
