#include "cache/input_digest.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <vector>

#include "gantry/net/digest.hpp"
#include "gantry/sdk/project_files.hpp"

namespace gantry::host {
namespace {

namespace fs = std::filesystem;

}  // namespace

std::string file_sha256(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  net::Sha256 hash;
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    hash.update(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
  }
  return hash.finish().hex();
}

std::string input_digest(const fs::path& path) {
  struct stat status {};
  if (::lstat(path.c_str(), &status) != 0) {
    return "absent";
  }
  if (!S_ISDIR(status.st_mode)) {
    return "sha256:" + (S_ISLNK(status.st_mode)
                            ? net::sha256_of(fs::read_symlink(path).string()).hex()
                            : file_sha256(path));
  }
  std::vector<std::string> lines;
  std::error_code error;
  for (auto it = fs::recursive_directory_iterator(path, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    const std::string name = it->path().lexically_relative(path).generic_string();
    if (sdk::left_out_of_sources(name)) {
      it.disable_recursion_pending();
      continue;
    }
    struct stat entry {};
    if (::lstat(it->path().c_str(), &entry) != 0) {
      continue;
    }
    std::string line = name + " " + std::to_string(entry.st_mode);
    if (S_ISREG(entry.st_mode)) {
      line += " " + file_sha256(it->path());
    } else if (S_ISLNK(entry.st_mode)) {
      line += " -> " + fs::read_symlink(it->path(), error).string();
    }
    lines.push_back(std::move(line));
  }
  std::sort(lines.begin(), lines.end());
  std::string all;
  for (const auto& line : lines) {
    all += line + "\n";
  }
  return "sha256:" + net::sha256_of(all).hex();
}

}  // namespace gantry::host
