#include "file_text.hpp"

#include <fstream>
#include <sstream>

namespace gantry::charm_pack {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace gantry::charm_pack
