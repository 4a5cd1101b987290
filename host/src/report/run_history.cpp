#include "report/run_history.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "gantry/sdk/error.hpp"

namespace gantry::host {
namespace fs = std::filesystem;

namespace {

/// A real directory (not a symlink to one), made 0700 when missing. Throws
/// std::system_error.
void private_directory(const fs::path& dir) {
  struct stat info {};
  if (::lstat(dir.c_str(), &info) == 0) {
    if (!S_ISDIR(info.st_mode)) {
      throw std::system_error(ENOTDIR, std::generic_category(),
                              dir.string() + " is not a directory (a symlink is refused)");
    }
    return;
  }
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    throw std::system_error(errno, std::generic_category(), "cannot create " + dir.string());
  }
}

bool is_real_directory(const fs::path& dir) {
  struct stat info {};
  return ::lstat(dir.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

/// A name new_run_id() makes: 20261202T041905Z-0a1b2c.
bool is_run_id(std::string_view name) {
  constexpr std::string_view kShape = "ddddddddTddddddZ-xxxxxx";
  if (name.size() != kShape.size()) {
    return false;
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool digit = c >= '0' && c <= '9';
    const bool ok = kShape[i] == 'd'   ? digit
                    : kShape[i] == 'x' ? digit || (c >= 'a' && c <= 'f')
                                       : c == kShape[i];
    if (!ok) {
      return false;
    }
  }
  return true;
}

/// True when another process holds the log of `run` (a run still going on).
bool in_use(const fs::path& run) {
  const int fd = ::open((run / "events.jsonl").c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    return false;
  }
  const bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0;
  ::close(fd);
  return held;
}

}  // namespace

RunLog::~RunLog() { ::close(fd_); }

RunHistory::RunHistory(const fs::path& working_directory)
    : runs_(working_directory / ".gantry" / "runs") {}

RunLog RunHistory::create_log(const std::string& run_id) const {
  const fs::path file = runs_ / run_id / "events.jsonl";
  try {
    private_directory(runs_.parent_path());
    private_directory(runs_);
    private_directory(file.parent_path());
    const int fd =
        ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
      throw std::system_error(errno, std::generic_category(), "cannot create " + file.string());
    }
    ::fchmod(fd, 0600);  // an older file of the same name keeps its mode otherwise
    ::flock(fd, LOCK_SH);
    return {file, fd};
  } catch (const std::exception& error) {
    throw Error("cannot write the run's event log " + file.string() + ": " + error.what(),
                "Make the project directory writable, or run gantry from another directory.");
  }
}

void RunHistory::prune(std::size_t keep) const {
  if (!is_real_directory(runs_.parent_path()) || !is_real_directory(runs_)) {
    return;
  }
  std::error_code error;
  std::vector<std::pair<fs::file_time_type, fs::path>> runs;
  for (fs::directory_iterator it(runs_, error), end; !error && it != end; it.increment(error)) {
    std::error_code ignored;
    if (is_run_id(it->path().filename().string()) && it->is_directory(ignored) &&
        !it->is_symlink(ignored)) {
      runs.emplace_back(it->last_write_time(ignored), it->path());
    }
  }
  std::sort(runs.begin(), runs.end());
  std::size_t left = runs.size();
  for (const auto& [made, run] : runs) {
    if (left <= keep) {
      break;
    }
    if (!in_use(run)) {
      std::error_code ignored;
      fs::remove_all(run, ignored);
      --left;
    }
  }
}

std::size_t RunHistory::kept_from_environment() {
  const char* value = std::getenv("GANTRY_KEEP_RUNS");
  if (value == nullptr || *value == '\0') {
    return kDefaultKept;
  }
  char* end = nullptr;
  errno = 0;
  const unsigned long long kept = std::strtoull(value, &end, 10);
  if (errno != 0 || *end != '\0' || kept == 0 || value[0] == '-') {
    throw Error(std::string("GANTRY_KEEP_RUNS is '") + value + "', not a number of runs",
                "Set GANTRY_KEEP_RUNS to how many past runs' logs to keep (1 or more), or "
                "unset it to keep " +
                    std::to_string(kDefaultKept) + ".");
  }
  return static_cast<std::size_t>(kept);
}

}  // namespace gantry::host
