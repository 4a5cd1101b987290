#include "fault_proxy.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace gantry::testing {
namespace {

/// Whether `pid` has ended, leaving it to be reaped (and its output collected) later.
bool has_exited(int pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
         info.si_pid == pid;
}

}  // namespace

FaultProxy::FaultProxy(std::string upstream_host_port, nlohmann::json rules) {
  const auto port_file = dir_.path() / "port";
  const auto rules_file = dir_.path() / "rules.json";
  write_file(rules_file, rules.dump());
  process_ = std::make_unique<BackgroundCommand>(CommandSpec{
      .argv = {"/usr/bin/python3", GANTRY_SOURCE_DIR "/tests/support/fault_proxy.py", "--upstream",
               std::move(upstream_host_port), "--port-file", port_file.string(), "--log",
               (dir_.path() / "requests.log").string(), "--rules", "@" + rules_file.string()}});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline && !has_exited(process_->pid())) {
    // The script renames the file into place, so it is never seen half-written.
    const std::string text = read_file(port_file);
    if (!text.empty()) {
      port_ = std::stoi(text);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  process_->signal(SIGKILL);
  const auto result = process_->wait();
  throw std::runtime_error("the fault proxy did not start:\n" + result.err);
}

// The proxy goes before the directory holding its log and port file.
FaultProxy::~FaultProxy() { process_.reset(); }

std::vector<nlohmann::json> FaultProxy::requests() const {
  std::vector<nlohmann::json> entries;
  std::istringstream log(read_file(dir_.path() / "requests.log"));
  std::string line;
  // A last line without its newline is still being written: left for the next call.
  while (std::getline(log, line) && !log.eof()) {
    if (!line.empty()) {
      entries.push_back(nlohmann::json::parse(line));
    }
  }
  std::ranges::sort(entries, {},
                    [](const nlohmann::json& request) { return request.at("n").get<int>(); });
  return entries;
}

int FaultProxy::count(std::string_view method, std::string_view path_prefix) const {
  const auto entries = requests();
  return static_cast<int>(std::ranges::count_if(entries, [&](const nlohmann::json& request) {
    return (method == "*" || request.at("method").get<std::string>() == method) &&
           request.at("path").get<std::string>().starts_with(path_prefix);
  }));
}

}  // namespace gantry::testing
