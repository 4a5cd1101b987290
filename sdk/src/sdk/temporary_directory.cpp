#include "gantry/sdk/temporary_directory.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "gantry/sdk/error.hpp"

namespace gantry::sdk {

namespace {

std::filesystem::path default_parent() {
  const char* tmpdir = std::getenv("TMPDIR");
  return tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
}

}  // namespace

TemporaryDirectory::TemporaryDirectory(std::string_view prefix)
    : TemporaryDirectory(prefix, default_parent()) {}

TemporaryDirectory::TemporaryDirectory(std::string_view prefix, const std::filesystem::path& base) {
  std::string pattern = (base / (std::string(prefix) + "XXXXXX")).string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    throw Error(
        "cannot make a temporary directory in " + base.string() + ": " + std::strerror(errno),
        "Check that TMPDIR names a writable directory with free space.");
  }
  path_ = buffer.data();
}

TemporaryDirectory::~TemporaryDirectory() { remove(); }

TemporaryDirectory::TemporaryDirectory(TemporaryDirectory&& other) noexcept
    : path_(std::move(other.path_)) {
  other.path_.clear();
}

TemporaryDirectory& TemporaryDirectory::operator=(TemporaryDirectory&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

void TemporaryDirectory::remove() noexcept {
  if (!path_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
    path_.clear();
  }
}

}  // namespace gantry::sdk
