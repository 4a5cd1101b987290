#include "gantry/oci/credentials.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "gantry/net/encoding.hpp"
#include "gantry/oci/oci_error.hpp"

extern char** environ;  // NOLINT: POSIX declares it this way

namespace gantry::oci {
namespace {

using Json = nlohmann::json;

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr || *value == '\0' ? std::nullopt : std::optional<std::string>(value);
}

std::vector<std::filesystem::path> auth_files() {
  std::vector<std::filesystem::path> files;
  if (const auto file = env("REGISTRY_AUTH_FILE")) {
    files.emplace_back(*file);
  }
  if (const auto runtime = env("XDG_RUNTIME_DIR")) {
    files.push_back(std::filesystem::path(*runtime) / "containers" / "auth.json");
  } else {
    files.push_back("/run/containers/" + std::to_string(::getuid()) + "/auth.json");
  }
  const auto home = env("HOME");
  if (const auto config = env("XDG_CONFIG_HOME")) {
    files.push_back(std::filesystem::path(*config) / "containers" / "auth.json");
  } else if (home) {
    files.push_back(std::filesystem::path(*home) / ".config" / "containers" / "auth.json");
  }
  if (const auto docker = env("DOCKER_CONFIG")) {
    files.push_back(std::filesystem::path(*docker) / "config.json");
  } else if (home) {
    files.push_back(std::filesystem::path(*home) / ".docker" / "config.json");
  }
  return files;
}

/// "https://host/v1/" and "host" both name host.
std::string normalize_key(std::string key) {
  for (const std::string prefix : {"https://", "http://"}) {
    if (key.starts_with(prefix)) {
      key.erase(0, prefix.size());
    }
  }
  if (const auto slash = key.find('/'); slash != std::string::npos) {
    key.erase(slash);
  }
  return key == "index.docker.io" || key == "registry-1.docker.io" ? "docker.io" : key;
}

/// Runs `docker-credential-<helper> get` with the registry on stdin.
std::optional<Credentials> ask_helper(const std::string& helper, const std::string& registry) {
  const std::string program = "docker-credential-" + helper;
  std::array<int, 2> in{-1, -1};
  std::array<int, 2> out{-1, -1};
  if (::pipe2(in.data(), O_CLOEXEC) != 0 || ::pipe2(out.data(), O_CLOEXEC) != 0) {
    throw OciError("cannot run " + program + ": no pipes");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  std::vector<char*> argv{const_cast<char*>(program.c_str()), const_cast<char*>("get"), nullptr};
  pid_t pid = -1;
  const int spawned =
      ::posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in[0]);
  ::close(out[1]);
  if (spawned != 0) {
    ::close(in[1]);
    ::close(out[0]);
    throw OciError("credential helper " + program + " (named in a docker config) is not on PATH",
                   "Install it, or remove it from credHelpers/credsStore.");
  }
  (void)!::write(in[1], registry.data(), registry.size());
  ::close(in[1]);
  std::string answer;
  std::array<char, 4096> buffer{};
  ssize_t got = 0;
  while ((got = ::read(out[0], buffer.data(), buffer.size())) > 0) {
    answer.append(buffer.data(), static_cast<std::size_t>(got));
  }
  ::close(out[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return std::nullopt;  // "credentials not found" is a non-zero exit by convention
  }
  try {
    const auto json = Json::parse(answer);
    Credentials credentials{json.at("Username").get<std::string>(),
                            json.at("Secret").get<std::string>(), false};
    if (credentials.username == "<token>") {
      credentials.identity_token = true;
    }
    return credentials;
  } catch (const Json::exception&) {
    throw OciError(program + " answered something that is not credentials JSON",
                   "Check the helper with `echo " + registry + " | " + program + " get`.");
  }
}

std::optional<Credentials> from_file(const std::filesystem::path& file,
                                     const std::string& registry) {
  std::ifstream in(file);
  if (!in) {
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  Json json;
  try {
    json = Json::parse(text.str());
  } catch (const Json::exception&) {
    throw OciError("credentials file " + file.string() + " is not valid JSON",
                   "Fix or remove the file.");
  }
  if (json.contains("credHelpers") && json["credHelpers"].is_object()) {
    for (const auto& [key, helper] : json["credHelpers"].items()) {
      if (normalize_key(key) == registry && helper.is_string()) {
        return ask_helper(helper.get<std::string>(), registry);
      }
    }
  }
  if (json.contains("auths") && json["auths"].is_object()) {
    for (const auto& [key, entry] : json["auths"].items()) {
      if (normalize_key(key) != registry || !entry.is_object()) {
        continue;
      }
      if (entry.contains("identitytoken") && entry["identitytoken"].is_string() &&
          !entry["identitytoken"].get<std::string>().empty()) {
        return Credentials{"<token>", entry["identitytoken"].get<std::string>(), true};
      }
      if (entry.contains("auth") && entry["auth"].is_string()) {
        const std::string decoded = net::base64_decode(entry["auth"].get<std::string>());
        const auto colon = decoded.find(':');
        if (colon == std::string::npos) {
          throw OciError("the auth entry for " + registry + " in " + file.string() +
                             " is not base64 of USER:PASSWORD",
                         "Log in again to rewrite it.");
        }
        std::string secret = decoded.substr(colon + 1);
        while (!secret.empty() && secret.back() == '\0') {
          secret.pop_back();
        }
        return Credentials{decoded.substr(0, colon), secret, false};
      }
    }
  }
  if (json.contains("credsStore") && json["credsStore"].is_string()) {
    return ask_helper(json["credsStore"].get<std::string>(), registry);
  }
  return std::nullopt;
}

}  // namespace

Credentials parse_creds_option(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    // Never send what may be a password alone as a user name.
    throw OciError("--creds has no ':' between the user name and the password",
                   "Write --creds USER:PASSWORD, or log in and use --authfile.");
  }
  const std::string username(text.substr(0, colon));
  if (username.empty()) {
    throw OciError("--creds has no user name", "Write --creds USER:PASSWORD.");
  }
  return {username, std::string(text.substr(colon + 1)), false};
}

std::optional<Credentials> find_credentials(const std::string& registry,
                                            const std::filesystem::path& authfile) {
  const std::string key = normalize_key(registry);
  if (!authfile.empty()) {
    // skopeo's --authfile: that file alone, and it must exist.
    std::error_code error;
    if (!std::filesystem::is_regular_file(authfile, error)) {
      throw OciError("the auth file " + authfile.string() + " does not exist",
                     "Check the --authfile path, or log in to create it.");
    }
    return from_file(authfile, key);
  }
  for (const auto& file : auth_files()) {
    if (auto found = from_file(file, key)) {
      return found;
    }
  }
  return std::nullopt;
}

}  // namespace gantry::oci
