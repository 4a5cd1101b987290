#include "craftctl_bridge.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>

#include "gantry/sdk/error.hpp"

namespace gantry::rock_pack {
namespace {

std::string read_line(int fd) {
  std::string line;
  char c = 0;
  while (true) {
    const auto got = ::read(fd, &c, 1);
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0 || c == '\n') {
      return line;
    }
    line.push_back(c);
  }
}

void write_all(int fd, const std::string& text) {
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto done = ::write(fd, rest.data(), rest.size());
    if (done < 0 && errno == EINTR) {
      continue;
    }
    if (done <= 0) {
      return;
    }
    rest.remove_prefix(static_cast<std::size_t>(done));
  }
}

}  // namespace

const char* const kCraftctlScript = R"SH(#!/bin/sh
# craftctl for gantry rock-pack: asks the gantry running this step.
set -e
verb="${1:-}"
[ $# -gt 0 ] && shift
case "$verb" in
  default) [ $# -eq 0 ] || { echo "craftctl default takes no arguments" >&2; exit 1; }
           line="default" ;;
  set) [ $# -eq 1 ] || { echo "craftctl set takes one KEY=VALUE" >&2; exit 1; }
       case "$1" in *'
'*) echo "craftctl set: a value cannot hold a newline" >&2; exit 1 ;; esac
       line="set $1" ;;
  get) [ $# -eq 1 ] || { echo "craftctl get takes one KEY" >&2; exit 1; }
       line="get $1" ;;
  *) echo "craftctl: unknown command '$verb' (default, set, get)" >&2; exit 1 ;;
esac
reply=$(mktemp -u "$GANTRY_CRAFTCTL_DIR/reply.XXXXXXXX")
mkfifo -m 600 "$reply"
trap 'rm -f "$reply"' EXIT
printf '%s %s\n' "$reply" "$line" > "$GANTRY_CRAFTCTL_REQUEST"
IFS= read -r answer < "$reply"
case "$answer" in
  ok) ;;
  "ok "*) printf '%s\n' "${answer#ok }" ;;
  *) echo "craftctl: ${answer#error }" >&2; exit 1 ;;
esac
)SH";

CraftctlBridge::CraftctlBridge(const std::filesystem::path& dir, DefaultAction default_action,
                               std::map<std::string, std::string>& values)
    : dir_(dir),
      request_path_((dir / "craftctl.request").string()),
      default_action_(std::move(default_action)),
      values_(values) {
  std::filesystem::create_directories(dir / "bin");
  {
    std::ofstream script(dir / "bin" / "craftctl", std::ios::binary | std::ios::trunc);
    script << kCraftctlScript;
  }
  std::filesystem::permissions(dir / "bin" / "craftctl", std::filesystem::perms(0755));
  ::unlink(request_path_.c_str());
  if (::mkfifo(request_path_.c_str(), 0600) != 0) {
    throw Error("cannot make " + request_path_ + ": " + std::strerror(errno));
  }
  // A read-write end never sees end-of-file between the script's calls.
  request_fd_ = ::open(request_path_.c_str(), O_RDWR | O_CLOEXEC);
  if (request_fd_ < 0) {
    throw Error("cannot open the craftctl channel in " + dir.string());
  }
  server_ = std::thread([this] { serve(); });
}

CraftctlBridge::~CraftctlBridge() {
  write_all(request_fd_, "quit\n");
  server_.join();
  ::close(request_fd_);
}

void CraftctlBridge::extend_environment(std::map<std::string, std::string>& environment) const {
  const auto path = environment.find("PATH");
  environment["PATH"] =
      (dir_ / "bin").string() + ":" + (path == environment.end() ? "/usr/bin:/bin" : path->second);
  environment["GANTRY_CRAFTCTL_REQUEST"] = request_path_;
  environment["GANTRY_CRAFTCTL_DIR"] = dir_.string();
}

void CraftctlBridge::answer(const std::string& reply_path, const std::string& text) const {
  // Only a FIFO in the channel directory: a request cannot make gantry write elsewhere.
  struct stat status {};
  if (std::filesystem::path(reply_path).parent_path() != dir_ ||
      ::lstat(reply_path.c_str(), &status) != 0 || !S_ISFIFO(status.st_mode)) {
    return;
  }
  // The caller opens its FIFO right after sending; give it a moment, never block on it.
  for (int tries = 0; tries < 1000; ++tries) {
    const int fd = ::open(reply_path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) {
      write_all(fd, text + "\n");
      ::close(fd);
      return;
    }
    if (errno != ENXIO) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void CraftctlBridge::serve() {
  while (true) {
    const std::string line = read_line(request_fd_);
    if (line == "quit") {
      return;
    }
    const auto space = line.find(' ');
    if (space == std::string::npos) {
      continue;
    }
    const std::string reply_path = line.substr(0, space);
    const std::string request = line.substr(space + 1);
    std::string reply = "ok";
    if (request == "default") {
      try {
        default_action_();
      } catch (const std::exception& error) {
        failure_ = std::current_exception();
        reply = std::string("error ") + error.what();
      }
    } else if (request.starts_with("set ")) {
      const std::string assignment = request.substr(4);
      const auto equals = assignment.find('=');
      if (equals == std::string::npos || equals == 0) {
        reply = "error craftctl set takes KEY=VALUE";
      } else {
        values_[assignment.substr(0, equals)] = assignment.substr(equals + 1);
      }
    } else if (request.starts_with("get ")) {
      const auto found = values_.find(request.substr(4));
      reply = found == values_.end() ? "error no value for '" + request.substr(4) + "'"
                                     : "ok " + found->second;
    } else {
      reply = "error unknown craftctl command '" + request + "'";
    }
    for (auto& c : reply) {
      c = c == '\n' ? ' ' : c;
    }
    answer(reply_path, reply);
  }
}

void CraftctlBridge::rethrow_failure() const {
  if (failure_) {
    std::rethrow_exception(failure_);
  }
}

}  // namespace gantry::rock_pack
