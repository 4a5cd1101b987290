// A runner's upload: the project tar a client streams to `gantry serve`, unpacked into a
// new directory three levels down a scratch directory. Anything written beside it, on
// the way up, or a symlink unpacked that leads out, is a finding, as is a crash.
#include <filesystem>

#include "fuzz_target.hpp"
#include "transport/project_tar.hpp"

namespace {

namespace fs = std::filesystem;

/// How many entries `dir` holds.
std::size_t entries(const fs::path& dir) {
  std::size_t count = 0;
  std::error_code error;
  for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
    ++count;
  }
  return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The input file only provides the scratch directory; the tar goes through a spool
  // that holds it in memory, as a runner's upload does.
  const gantry::fuzz::InputFile input("project.tar", data, size);
  gantry::host::Spool tar;
  tar.write({reinterpret_cast<const char*>(data), size});
  const auto a = input.dir() / "a";
  const auto target = a / "b" / "project";
  fs::create_directories(target.parent_path());
  gantry::fuzz::refusals_allowed([&] { gantry::host::extract_project_tar(tar, target, 1 << 20); });
  // project.tar and a/; b/; project/ alone.
  if (entries(input.dir()) != 2 || entries(a) != 1 || entries(a / "b") > 1) {
    __builtin_trap();
  }
  std::error_code error;
  const auto root = fs::weakly_canonical(target, error).string() + "/";
  std::error_code walking;
  for (fs::recursive_directory_iterator it(target, fs::directory_options::none, walking), end;
       !walking && it != end; it.increment(walking)) {
    std::error_code checking;
    if (it->is_symlink(checking)) {
      const auto resolved = fs::weakly_canonical(it->path(), checking).string();
      if (!checking && !resolved.starts_with(root) && resolved + "/" != root) {
        __builtin_trap();
      }
    }
  }
  return 0;
}
