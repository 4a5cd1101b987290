#include "venv_builder.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "file_text.hpp"
#include "gantry/archive/atomic_file.hpp"
#include "gantry/net/digest.hpp"
#include "gantry/python/pip_target.hpp"
#include "gantry/sdk/child_process.hpp"
#include "gantry/sdk/error.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::charm_pack {
namespace {

namespace fs = std::filesystem;

/// A requirement's project name, normalised as pip compares them (PEP 503).
std::string project_name(const std::string& requirement) {
  std::string name;
  for (const char c : requirement) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '_' && c != '.') {
      break;
    }
    name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  std::replace(name.begin(), name.end(), '_', '-');
  std::replace(name.begin(), name.end(), '.', '-');
  return name;
}

std::vector<std::string> requirement_lines(const fs::path& file) {
  std::vector<std::string> lines;
  std::istringstream in(read_text(file));
  std::string line;
  while (std::getline(in, line)) {
    const auto hash = line.find('#');
    line = line.substr(0, hash);
    line.erase(0, line.find_first_not_of(" \t"));
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())) != 0) {
      line.pop_back();
    }
    if (!line.empty() && line[0] != '-') {
      lines.push_back(line);
    }
  }
  return lines;
}

std::string tail_lines(const std::string& text, std::size_t count) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) {
      lines.push_back(line);
    }
  }
  std::string out;
  for (std::size_t i = lines.size() > count ? lines.size() - count : 0; i < lines.size(); ++i) {
    out += (out.empty() ? "" : "\n") + lines[i];
  }
  return out;
}

}  // namespace

std::vector<std::string> library_pydeps(const fs::path& project_dir) {
  std::vector<std::string> deps;
  const fs::path charms = project_dir / "lib" / "charms";
  std::error_code error;
  if (!fs::is_directory(charms, error)) {
    return deps;
  }
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(charms, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (it->is_regular_file() && it->path().extension() == ".py") {
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  static const std::regex kPydeps(R"(^PYDEPS\s*=\s*\[([^\]]*)\])", std::regex::multiline);
  static const std::regex kItem(R"(["']([^"']+)["'])");
  for (const auto& file : files) {
    const std::string text = read_text(file);
    std::smatch match;
    if (std::regex_search(text, match, kPydeps)) {
      const std::string list = match[1].str();
      for (auto it = std::sregex_iterator(list.begin(), list.end(), kItem);
           it != std::sregex_iterator(); ++it) {
        if (std::find(deps.begin(), deps.end(), (*it)[1].str()) == deps.end()) {
          deps.push_back((*it)[1].str());
        }
      }
    }
  }
  return deps;
}

std::optional<fs::path> build_venv(const CharmProject& project, const VenvRequest& request) {
  python::PipTarget target;
  target.python_version = request.python_version;
  target.build_for = request.build_for;
  target.glibc_minor = python::ubuntu_glibc_minor(request.channel);
  bool strict = false;
  std::set<std::string> required_names;
  for (const auto& part : project.charm_parts) {
    strict = strict || part.strict_dependencies;
    for (const auto& file : part.requirements) {
      target.requirements.push_back(project.dir / file);
      for (const auto& line : requirement_lines(project.dir / file)) {
        required_names.insert(project_name(line));
        if (part.strict_dependencies && line.find("==") == std::string::npos) {
          throw Error("charm-strict-dependencies needs every requirement pinned, and '" + line +
                          "' in " + file.string() + " is not",
                      "Pin it as NAME==VERSION (e.g. with `pip-compile`), or set "
                      "charm-strict-dependencies: false.");
        }
      }
    }
    for (const auto* list : {&part.python_packages, &part.binary_python_packages}) {
      for (const auto& package : *list) {
        target.packages.push_back(package);
        required_names.insert(project_name(package));
      }
    }
  }
  // charmcraft adds the libraries' PYDEPS that the requirements do not already name.
  if (!project.charm_parts.empty()) {
    for (const auto& dep : library_pydeps(project.dir)) {
      if (required_names.insert(project_name(dep)).second) {
        target.packages.push_back(dep);
      }
    }
  }
  if (target.requirements.empty() && target.packages.empty()) {
    return std::nullopt;
  }

  // The key: everything that changes what pip installs.
  std::string key = "python=" + target.python_version + "\narch=" + target.build_for +
                    "\nglibc=" + target.glibc_minor + "\nstrict=" + (strict ? "1" : "0") + "\n";
  for (const char* variable : {"PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS",
                               "PIP_NO_INDEX", "PIP_CONSTRAINT"}) {
    const char* value = std::getenv(variable);
    key += std::string(variable) + "=" + (value != nullptr ? value : "") + "\n";
  }
  for (const auto& file : target.requirements) {
    key += "requirements " + file.filename().string() + "\n" + read_text(file) + "\n";
  }
  for (const auto& package : target.packages) {
    key += "package " + package + "\n";
  }
  const std::string digest = net::sha256_of(key).hex();
  const fs::path dir =
      request.cache_dir / ("venv-" + request.python_version + "-" + request.build_for);
  const fs::path site = dir / "site";
  if (fs::exists(dir / "key") && read_text(dir / "key") == digest && fs::is_directory(site)) {
    if (request.info) {
      request.info("The Python dependencies are unchanged: reusing " + site.string());
    }
    return site;
  }
  fs::create_directories(dir);
  sdk::TemporaryDirectory staging(".venv-", dir);
  target.directory = staging.path() / "site";
  auto argv = python::pip_install_command(target);
  if (strict) {
    argv.insert(argv.begin() + 4, "--no-deps");
  }
  if (request.info) {
    request.info("Installing the charm's Python dependencies for Python " + request.python_version +
                 " on " + request.build_for + " with pip");
  }
  sdk::ChildSpec spec;
  spec.executable = argv.front();
  spec.argv = argv;
  auto environment = sdk::environment_map();
  environment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1";
  environment.erase("PYTHONPATH");
  spec.environment = sdk::environment_strings(environment);
  spec.workdir = project.dir;
  const auto result = sdk::run_captured(
      spec, request.cancelled ? request.cancelled : [] { return false; });
  if (result.status.stopped) {
    throw Cancelled();
  }
  if (result.status.exit_code != 0) {
    const char* index = std::getenv("PIP_INDEX_URL");
    const char* links = std::getenv("PIP_FIND_LINKS");
    throw Error(
        "pip could not install the charm's Python dependencies for Python " +
            request.python_version + " (" + request.build_for + "):\n" +
            tail_lines(result.err.empty() ? result.out : result.err, 6),
        std::string("pip looks on ") +
            (index != nullptr && *index != '\0' ? std::string("PIP_INDEX_URL=") + index
                                                : std::string("PyPI")) +
            (links != nullptr && *links != '\0' ? std::string(" and PIP_FIND_LINKS=") + links
                                                : std::string()) +
            ", for binary wheels only (--only-binary=:all:) built for CPython " +
            request.python_version + " on linux " + python::pip_machine(request.build_for) +
            ". Point PIP_INDEX_URL at a mirror or PIP_FIND_LINKS at a directory of such "
            "wheels, or relax the version in the requirements.");
  }
  fs::create_directories(target.directory);  // a requirements file may name nothing
  // Replace the previous venv: remove it, move the new one in, then record its key.
  fs::remove_all(site);
  fs::remove(dir / "key");
  fs::rename(target.directory, site);
  archive::write_file_atomically(dir / "key", digest, archive::AtomicFile::Durability::kUnsynced);
  return site;
}

}  // namespace gantry::charm_pack
