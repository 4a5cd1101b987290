// fastapi-framework (RC rockcraft/extensions/fastapi.py): uvicorn serving the ASGI `app`,
// the application under /app.
#include <fstream>

#include "extensions/app_parts.hpp"
#include "extensions/framework_extensions.hpp"
#include "extensions/python_globals.hpp"
#include "extensions/snippet_nodes.hpp"

namespace gantry::rock_pack {
namespace {

namespace fs = std::filesystem;
using namespace snippet;

constexpr std::string_view kResolution =
    "See rockcraft's fastapi-framework reference: the project needs requirements.txt with "
    "fastapi (or starlette) and a global `app` in app.py, main.py, or app/, src/ or the "
    "rock's own folder; or set services.fastapi.command.";

class FastApiFramework final : public Extension {
 public:
  [[nodiscard]] std::vector<std::string_view> supported_bases() const override {
    return {"bare", "ubuntu@24.04"};
  }

  [[nodiscard]] YAML::Node root_snippet(const ExtensionInput& input) const override {
    check_project(input);
    YAML::Node service = map();
    service["override"] = text("replace");
    service["startup"] = text("enabled");
    service["user"] = text("_daemon_");
    service["working-dir"] = text("/app");
    service["environment"] = map();
    service["environment"]["UVICORN_HOST"] = text("0.0.0.0");
    if (!has_command(input)) {
      service["command"] = text("/bin/python3 -m uvicorn " + asgi_path(input));
    }
    YAML::Node root = map();
    root["run-user"] = text("_daemon_");
    root["services"] = map();
    root["services"]["fastapi"] = service;
    root["parts"] = parts(input);
    return root;
  }

 private:
  static bool has_command(const ExtensionInput& input) {
    return !app_parts::nested_text(input.data, {"services", "fastapi", "command"}).empty();
  }

  static fs::path asgi_location(const ExtensionInput& input) {
    std::string name = app_parts::nested_text(input.data, {"name"});
    for (char& c : name) {
      c = c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    std::vector<fs::path> places{"app.py", "main.py"};
    for (const auto& dir : {std::string("app"), std::string("src"), name}) {
      for (const auto* file : {"__init__.py", "app.py", "main.py"}) {
        places.push_back(fs::path(dir) / file);
      }
    }
    for (const auto& place : places) {
      const fs::path file = input.project_root / place;
      if (fs::exists(file) && read_python_globals(file).variables.contains("app")) {
        return place;
      }
    }
    return {};
  }

  static std::string asgi_path(const ExtensionInput& input) {
    std::string module;
    for (const auto& part : asgi_location(input)) {
      std::string name = part.string();
      if (name == "__init__.py") {
        continue;
      }
      if (name.ends_with(".py")) {
        name.resize(name.size() - 3);
      }
      module += (module.empty() ? "" : ".") + name;
    }
    return module + ":app";
  }

  static void check_project(const ExtensionInput& input) {
    std::vector<std::string> problems;
    const fs::path requirements = input.project_root / "requirements.txt";
    if (!fs::exists(requirements)) {
      problems.emplace_back(
          "missing a requirements.txt file. The fastapi-framework extension requires this file "
          "with 'fastapi'/'starlette' specified as a dependency.");
    } else {
      std::ifstream in(requirements);
      bool found = false;
      for (std::string line; std::getline(in, line);) {
        for (char& c : line) {
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        found = found || line.find("fastapi") != std::string::npos ||
                line.find("starlette") != std::string::npos;
      }
      if (!found) {
        problems.emplace_back(
            "missing fastapi or starlette package dependency in requirements.txt file.");
      }
    }
    if (!has_command(input)) {
      try {
        if (asgi_location(input).empty()) {
          problems.emplace_back(
              "missing ASGI entrypoint\n"
              "  Cannot find 'app' global variable in the following places:\n"
              "  1. app.py.\n"
              "  2. In files __init__.py, and main.py in the 'app','src', and root project "
              "directories.");
        }
      } catch (const PythonSyntaxError& error) {
        problems.push_back(
            "Syntax error in  python file in ASGI search path: " + std::string(error.what()) +
            " (" + error.file().filename().string() + ")");
      }
    }
    if (!problems.empty()) {
      throw ExtensionError(app_parts::bullet_list(problems), std::string(kResolution));
    }
  }

  static std::vector<std::string> app_prime(const ExtensionInput& input) {
    std::vector<std::string> prime = app_parts::user_entries_under(
        input.data, "fastapi-framework/install-app", "prime", "app/",
        "fastapi-framework extension requires the 'prime' entry in the "
        "fastapi-framework/install-app part to start with app/",
        "Write each prime entry as app/<file>, e.g. app/app.py.");
    if (prime.empty()) {
      prime = app_parts::existing_under(
          input.project_root, {"migrate", "migrate.sh", "migrate.py", "static", "templates"},
          "app/");
      if (!has_command(input)) {
        prime.push_back("app/" + asgi_location(input).begin()->string());
      }
    }
    return prime;
  }

  static YAML::Node install_app_part(const ExtensionInput& input) {
    YAML::Node part = app_parts::install_app_dump(app_prime(input), input.project_root, "app");
    part["permissions"] = list({app_parts::daemon_permission()});
    return part;
  }

  static YAML::Node parts(const ExtensionInput& input) {
    const bool bare = app_parts::nested_text(input.data, {"base"}) == "bare";
    YAML::Node dependencies = map();
    dependencies["plugin"] = text("python");
    dependencies["stage-packages"] = list({text("python3-venv")});
    dependencies["source"] = text(".");
    dependencies["python-packages"] = list({text("uvicorn")});
    dependencies["python-requirements"] = list({text("requirements.txt")});
    dependencies["build-environment"] = YAML::Node(YAML::NodeType::Sequence);
    if (bare) {
      const std::string build_base = app_parts::nested_text(input.data, {"build-base"});
      const std::string python = app_parts::python_for_base(build_base);
      if (python.empty()) {
        throw ExtensionError(
            "Unable to determine the Python version for the build-base " + build_base,
            "Use build-base ubuntu@24.04.");
      }
      dependencies["stage-packages"] = list({text("python" + python + "-venv_ensurepip")});
      YAML::Node interpreter = map();
      interpreter["PARTS_PYTHON_INTERPRETER"] = text("python" + python);
      dependencies["build-environment"] = list({interpreter});
    }
    YAML::Node parts = map();
    parts["fastapi-framework/dependencies"] = dependencies;
    parts["fastapi-framework/install-app"] = install_app_part(input);
    YAML::Node runtime = map();
    runtime["plugin"] = text("nil");
    if (bare) {
      runtime["override-build"] = text(
          "mkdir -m 777 ${CRAFT_PART_INSTALL}/tmp\n"
          "ln -sf /usr/bin/bash ${CRAFT_PART_INSTALL}/usr/bin/sh");
      runtime["stage-packages"] =
          list({text("bash_bins"), text("coreutils_bins"), text("ca-certificates_data")});
    } else {
      dependencies["stage"] = list({text("-etc/ssl/certs/ca-certificates.crt")});
      runtime["stage-packages"] = list({text("ca-certificates_data")});
    }
    parts["fastapi-framework/runtime"] = runtime;
    parts["fastapi-framework/logging"] = app_parts::logging_part();
    return parts;
  }
};

}  // namespace

std::unique_ptr<Extension> make_fastapi_framework() { return std::make_unique<FastApiFramework>(); }

}  // namespace gantry::rock_pack
