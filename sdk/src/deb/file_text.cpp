#include "file_text.hpp"

#include <fstream>
#include <sstream>

#include "gantry/deb/deb_error.hpp"

namespace gantry::deb {

std::string file_text(const std::filesystem::path& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw DebError("cannot read " + what + " " + path.string(),
                   "Check that it exists and is readable.");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace gantry::deb
