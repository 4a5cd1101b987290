#include "craftctl_bridge.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

}  // namespace

CraftctlBridge::CraftctlBridge(const std::filesystem::path& dir, DefaultAction default_action,
                               std::map<std::string, std::string>& values)
    : request_path_((dir / "craftctl.request").string()),
      reply_path_((dir / "craftctl.reply").string()),
      default_action_(std::move(default_action)),
      values_(values) {
  for (const auto& path : {request_path_, reply_path_}) {
    ::unlink(path.c_str());
    if (::mkfifo(path.c_str(), 0600) != 0) {
      throw Error("cannot make " + path + ": " + std::strerror(errno));
    }
  }
  // Read-write ends never see end-of-file between the script's calls.
  request_fd_ = ::open(request_path_.c_str(), O_RDWR | O_CLOEXEC);
  reply_fd_ = ::open(reply_path_.c_str(), O_RDWR | O_CLOEXEC);
  if (request_fd_ < 0 || reply_fd_ < 0) {
    throw Error("cannot open the craftctl channel in " + dir.string());
  }
  server_ = std::thread([this] { serve(); });
}

CraftctlBridge::~CraftctlBridge() {
  write_all(request_fd_, "quit\n");
  server_.join();
  ::close(request_fd_);
  ::close(reply_fd_);
}

void CraftctlBridge::serve() {
  while (true) {
    const std::string line = read_line(request_fd_);
    if (line == "quit") {
      return;
    }
    std::string reply = "ok";
    if (line == "default") {
      try {
        default_action_();
      } catch (const std::exception& error) {
        failure_ = std::current_exception();
        reply = std::string("error ") + error.what();
      }
    } else if (line.starts_with("set ")) {
      const std::string assignment = line.substr(4);
      const auto equals = assignment.find('=');
      if (equals == std::string::npos || equals == 0) {
        reply = "error craftctl set takes KEY=VALUE";
      } else {
        values_[assignment.substr(0, equals)] = assignment.substr(equals + 1);
      }
    } else if (line.starts_with("get ")) {
      const auto found = values_.find(line.substr(4));
      reply = found == values_.end() ? "error no value for '" + line.substr(4) + "'"
                                     : "ok " + found->second;
    } else {
      reply = "error unknown craftctl command '" + line + "'";
    }
    // One line back; newlines in a value would end it early.
    for (auto& c : reply) {
      c = c == '\n' ? ' ' : c;
    }
    write_all(reply_fd_, reply + "\n");
  }
}

std::string CraftctlBridge::preamble() const {
  return "craftctl() {\n"
         "  local verb=\"${1:-}\"; shift || true\n"
         "  case \"$verb\" in\n"
         "    default) printf 'default\\n' > " +
         shell_quote(request_path_) +
         " ;;\n"
         "    set) [ $# -eq 1 ] || { echo 'craftctl set takes one KEY=VALUE' >&2; return 1; };\n"
         "         printf 'set %s\\n' \"$1\" > " +
         shell_quote(request_path_) +
         " ;;\n"
         "    get) printf 'get %s\\n' \"$1\" > " +
         shell_quote(request_path_) +
         " ;;\n"
         "    *) echo \"craftctl: unknown command '$verb'\" >&2; return 1 ;;\n"
         "  esac\n"
         "  local reply; IFS= read -r reply < " +
         shell_quote(reply_path_) +
         "\n"
         "  case \"$reply\" in\n"
         "    ok) ;;\n"
         "    'ok '*) printf '%s\\n' \"${reply#ok }\" ;;\n"
         "    *) echo \"craftctl: ${reply#error }\" >&2; return 1 ;;\n"
         "  esac\n"
         "}\n"
         "export -f craftctl\n";
}

void CraftctlBridge::rethrow_failure() const {
  if (failure_) {
    std::rethrow_exception(failure_);
  }
}

}  // namespace gantry::rock_pack
