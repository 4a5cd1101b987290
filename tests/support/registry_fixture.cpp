#include "registry_fixture.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "command.hpp"

namespace gantry::testing {
sockaddr_in loopback_address(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  auto address = loopback_address(0);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

bool wait_for_port(int port) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    auto address = loopback_address(port);
    const bool up = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    if (up) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

void make_certificate(const std::filesystem::path& dir) {
  const auto result = run_command(
      {.argv = {"openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout",
                (dir / "key.pem").string(), "-out", (dir / "cert.pem").string()}});
  ASSERT_EQ(result.exit_code, 0) << result.err;
}

RegistryFixture::RegistryFixture(Options options) {
  const int port = free_port();
  host_ = "127.0.0.1:" + std::to_string(port);
  std::string config =
      "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n"
      "    rootdirectory: " +
      (dir_.path() / "data").string() + "\n  delete:\n    enabled: true\nhttp:\n  addr: " + host_ +
      "\n  secret: gantry-tests\n";
  if (options.tls) {
    make_certificate(dir_.path());
    certificate_ = dir_.path() / "cert.pem";
    config += "  tls:\n    certificate: " + certificate_.string() +
              "\n    key: " + (dir_.path() / "key.pem").string() + "\n";
  }
  if (!options.user.empty()) {
    const auto hash = run_command({.argv = {"/usr/bin/python3", "-c",
                                            "import crypt,sys; print(crypt.crypt(sys.argv[1], "
                                            "crypt.mksalt(crypt.METHOD_BLOWFISH)))",
                                            options.password},
                                   .unset_env = {"PYTHONWARNINGS"}});
    write_file(dir_.path() / "htpasswd", options.user + ":" + hash.out);
    config += "auth:\n  htpasswd:\n    realm: gantry-test\n    path: " +
              (dir_.path() / "htpasswd").string() + "\n";
  } else if (!options.token_realm.empty()) {
    config += "auth:\n  token:\n    realm: " + options.token_realm +
              "\n    service: gantry-test-registry\n    issuer: gantry-test-issuer\n"
              "    rootcertbundle: " +
              options.token_cert.string() + "\n";
  }
  write_file(dir_.path() / "config.yml", config);
  start();
}

RegistryFixture::~RegistryFixture() { stop(); }

void RegistryFixture::start() {
  const auto log = dir_.path() / "registry.log";
  pid_ = ::fork();
  if (pid_ == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    const std::string config = (dir_.path() / "config.yml").string();
    ::execlp("docker-registry", "docker-registry", "serve", config.c_str(), nullptr);
    ::_exit(127);
  }
  const int port = std::stoi(host_.substr(host_.rfind(':') + 1));
  ASSERT_TRUE(wait_for_port(port)) << "docker-registry did not start:\n" << read_file(log);
}

void RegistryFixture::pause() const { ::kill(pid_, SIGSTOP); }

void RegistryFixture::resume() const { ::kill(pid_, SIGCONT); }

void RegistryFixture::stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
}

}  // namespace gantry::testing
