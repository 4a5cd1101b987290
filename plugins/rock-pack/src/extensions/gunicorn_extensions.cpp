// flask-framework and django-framework (RC rockcraft/extensions/gunicorn.py): a Gunicorn
// WSGI server, a statsd exporter and the application under /flask/app or /django/app.
#include <fnmatch.h>

#include "extensions/app_parts.hpp"
#include "extensions/framework_extensions.hpp"
#include "extensions/python_globals.hpp"
#include "extensions/snippet_nodes.hpp"

namespace gantry::rock_pack {
namespace {

namespace fs = std::filesystem;
using namespace snippet;

std::string lowered_name(const YAML::Node& data) {
  std::string name = app_parts::nested_text(data, {"name"});
  for (char& c : name) {
    c = c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return name;
}

std::string module_path(const fs::path& python_path) {
  std::string module;
  for (const auto& part : python_path) {
    std::string name = part.string();
    if (name == "__init__.py" || name == ".") {
      continue;
    }
    if (name.ends_with(".py")) {
      name.resize(name.size() - 3);
    }
    module += (module.empty() ? "" : ".") + name;
  }
  return module;
}

class GunicornExtension : public Extension {
 public:
  explicit GunicornExtension(std::string framework) : framework_(std::move(framework)) {}

  [[nodiscard]] std::vector<std::string_view> supported_bases() const override {
    return {"bare", "ubuntu@22.04", "ubuntu:22.04", "ubuntu@24.04"};
  }

  [[nodiscard]] YAML::Node root_snippet(const ExtensionInput& input) const override {
    check_project(input);
    YAML::Node framework_service = map();
    framework_service["override"] = text("replace");
    framework_service["startup"] = text("enabled");
    framework_service["after"] = list({text("statsd-exporter")});
    framework_service["user"] = text("_daemon_");
    if (app_parts::nested_text(input.data, {"services", framework_, "command"}).empty()) {
      framework_service["command"] =
          text("/bin/python3 -m gunicorn -c /" + framework_ + "/gunicorn.conf.py '" +
               wsgi_path(input) + "' -k [ " + worker_class(input) + " ]");
    }
    YAML::Node exporter = map();
    exporter["override"] = text("merge");
    exporter["command"] = text(
        "/bin/statsd_exporter --statsd.mapping-config=/statsd-mapping.conf "
        "--statsd.listen-udp=localhost:9125 --statsd.listen-tcp=localhost:9125");
    exporter["summary"] = text("statsd exporter service");
    exporter["startup"] = text("enabled");
    exporter["user"] = text("_daemon_");

    YAML::Node root = map();
    root["run-user"] = text("_daemon_");
    root["services"] = map();
    root["services"][framework_] = framework_service;
    root["services"]["statsd-exporter"] = exporter;
    root["parts"] = parts(input);
    return root;
  }

 protected:
  [[nodiscard]] std::string part(std::string_view suffix) const {
    return framework_ + "-framework/" + std::string(suffix);
  }
  [[nodiscard]] virtual std::string wsgi_path(const ExtensionInput& input) const = 0;
  virtual void check_project(const ExtensionInput& input) const = 0;
  [[nodiscard]] virtual YAML::Node install_app_part(const ExtensionInput& input) const = 0;

  std::string framework_;

 private:
  static std::string worker_class(const ExtensionInput& input) {
    return app_parts::requirement_names(input.project_root).contains("gevent") ? "gevent" : "sync";
  }

  [[nodiscard]] YAML::Node parts(const ExtensionInput& input) const {
    const std::string base = app_parts::nested_text(input.data, {"base"});
    const bool bare = base == "bare";
    YAML::Node stage_packages = list({text("python3-venv")});
    YAML::Node build_environment(YAML::NodeType::Sequence);
    if (bare) {
      const std::string build_base = app_parts::nested_text(input.data, {"build-base"});
      const std::string python = app_parts::python_for_base(build_base);
      if (python.empty()) {
        throw ExtensionError(
            "Unable to determine the Python version for the build-base " + build_base,
            "Use build-base ubuntu@22.04 or ubuntu@24.04.");
      }
      stage_packages = list({text("python" + python + "-venv_ensurepip")});
      YAML::Node interpreter = map();
      interpreter["PARTS_PYTHON_INTERPRETER"] = text("python" + python);
      build_environment.push_back(interpreter);
    }
    YAML::Node dependencies = map();
    dependencies["plugin"] = text("python");
    dependencies["stage-packages"] = stage_packages;
    dependencies["source"] = text(".");
    dependencies["python-packages"] = list({text("gunicorn~=23.0")});
    dependencies["python-requirements"] = fs::exists(input.project_root / "requirements.txt")
                                              ? list({text("requirements.txt")})
                                              : YAML::Node(YAML::NodeType::Sequence);
    dependencies["build-environment"] = build_environment;

    YAML::Node install_app = install_app_part(input);
    install_app["permissions"] = list({app_parts::daemon_permission()});

    YAML::Node config_files = map();
    config_files["plugin"] = text("dump");
    config_files["source"] = text((input.data_dir / (framework_ + "-framework")).string());
    config_files["organize"] = map();
    config_files["organize"]["gunicorn.conf.py"] = text(framework_ + "/gunicorn.conf.py");
    config_files["permissions"] =
        list({app_parts::daemon_permission(framework_ + "/gunicorn.conf.py")});

    YAML::Node exporter = map();
    exporter["build-snaps"] = list({text("go")});
    exporter["source-tag"] = text("v0.26.0");
    exporter["plugin"] = text("go");
    exporter["source"] = text("https://github.com/prometheus/statsd_exporter.git");

    YAML::Node parts = map();
    parts[part("dependencies")] = dependencies;
    parts[part("install-app")] = install_app;
    parts[part("config-files")] = config_files;
    parts[part("statsd-exporter")] = exporter;
    parts[part("logging")] = app_parts::logging_part({"var/log/" + framework_});
    YAML::Node runtime = map();
    runtime["plugin"] = text("nil");
    if (bare) {
      runtime["override-build"] = text(
          "mkdir -m 777 ${CRAFT_PART_INSTALL}/tmp\n"
          "ln -sf /usr/bin/bash ${CRAFT_PART_INSTALL}/usr/bin/sh");
      runtime["stage-packages"] =
          list({text("bash_bins"), text("coreutils_bins"), text("ca-certificates_data")});
      parts[part("runtime")] = runtime;
      YAML::Node runtime_libs = map();
      runtime_libs["plugin"] = text("nil");
      runtime_libs["stage-packages"] = list({text("libstdc++6")});
      parts[part("runtime-libs")] = runtime_libs;
    } else {
      // ca-certificates_data and python3-venv both ship ca-certificates.crt, differently.
      dependencies["stage"] = list({text("-etc/ssl/certs/ca-certificates.crt")});
      runtime["stage-packages"] = list({text("ca-certificates_data")});
      parts[part("runtime")] = runtime;
    }
    return parts;
  }
};

class FlaskFramework final : public GunicornExtension {
 public:
  FlaskFramework() : GunicornExtension("flask") {}

 private:
  [[nodiscard]] std::vector<fs::path> wsgi_locations(const ExtensionInput& input) const {
    std::vector<fs::path> locations{"app.py", "main.py"};
    for (const auto& dir : {std::string("app"), std::string("src"), lowered_name(input.data)}) {
      for (const auto* file : {"__init__.py", "app.py", "main.py"}) {
        locations.push_back(fs::path(dir) / file);
      }
    }
    return locations;
  }

  /// Flask's discovery order: a global `app` or `application`, then a factory.
  [[nodiscard]] std::string wsgi_path(const ExtensionInput& input) const override {
    const auto locations = wsgi_locations(input);
    for (const auto& location : locations) {
      const fs::path file = input.project_root / location;
      if (!fs::exists(file)) {
        continue;
      }
      const auto globals = read_python_globals(file);
      for (const auto* name : {"app", "application"}) {
        if (globals.variables.contains(name)) {
          return module_path(location) + ":" + name;
        }
      }
    }
    for (const auto& location : locations) {
      const fs::path file = input.project_root / location;
      if (!fs::exists(file)) {
        continue;
      }
      const auto globals = read_python_globals(file);
      for (const auto* name : {"create_app", "make_app"}) {
        if (globals.functions.contains(name)) {
          return module_path(location) + ":" + name + "()";
        }
      }
    }
    throw ExtensionError("- Missing WSGI entrypoint in default search locations");
  }

  void check_project(const ExtensionInput& input) const override {
    std::vector<std::string> problems;
    const bool requirements = fs::exists(input.project_root / "requirements.txt");
    if (!requirements && !fs::exists(input.project_root / "pyproject.toml")) {
      problems.emplace_back(
          "missing a requirements file (requirements.txt or pyproject.toml). The "
          "flask-framework extension requires one of these files with 'flask' specified as a "
          "dependency.");
    } else if (!app_parts::requirement_names(input.project_root).contains("flask")) {
      problems.emplace_back("missing flask package dependency in requirements file.");
    }
    if (app_parts::nested_text(input.data, {"services", "flask", "command"}).empty()) {
      try {
        (void)wsgi_path(input);
      } catch (const ExtensionError&) {
        problems.emplace_back("Missing WSGI entrypoint in default search locations");
      } catch (const PythonSyntaxError& error) {
        problems.push_back("error parsing " + error.file().filename().string() + ": " +
                           error.what());
      }
    }
    if (!problems.empty()) {
      throw ExtensionError(app_parts::bullet_list(problems),
                           "See rockcraft's flask-framework reference: the project needs "
                           "requirements.txt with flask, and an app.py (or main.py, app/, src/) "
                           "that defines `app`, or services.flask.command.");
    }
  }

  [[nodiscard]] std::vector<std::string> app_prime(const ExtensionInput& input) const {
    std::vector<std::string> prime = app_parts::user_entries_under(
        input.data, "flask-framework/install-app", "prime", "flask/app",
        "flask-framework extension requires the 'prime' entry in the "
        "flask-framework/install-app part to start with flask/app",
        "Write each prime entry as flask/app/<file>, e.g. flask/app/app.py.");
    if (prime.empty()) {
      prime = app_parts::existing_under(input.project_root,
                                        {"app", "app.py", "main.py", "src", "migrate", "migrate.sh",
                                         "migrate.py", "static", "templates"},
                                        "flask/app/");
    }
    return prime;
  }

  [[nodiscard]] YAML::Node install_app_part(const ExtensionInput& input) const override {
    const auto prime = app_prime(input);
    YAML::Node part = app_parts::install_app_dump(prime, input.project_root, "flask/app");
    part["prime"] = texts(prime);
    return part;
  }
};

class DjangoFramework final : public GunicornExtension {
 public:
  DjangoFramework() : GunicornExtension("django") {}

 private:
  [[nodiscard]] static std::vector<fs::path> wsgi_locations(const ExtensionInput& input) {
    const std::string name = lowered_name(input.data);
    return {input.project_root / name / name / "wsgi.py",
            input.project_root / name / "mysite/wsgi.py"};
  }

  [[nodiscard]] std::string wsgi_path(const ExtensionInput& input) const override {
    const fs::path package = input.project_root / lowered_name(input.data);
    std::string searched;
    for (const auto& file : wsgi_locations(input)) {
      searched += (searched.empty() ? "" : ", ") + file.string();
      if (fs::exists(file) && read_python_globals(file).variables.contains("application")) {
        return module_path(file.lexically_relative(package)) + ":application";
      }
    }
    throw ExtensionError(
        "django application can not be imported, unable to locate a wsgi.py with an "
        "'application' callable in the default discovery locations (" +
            searched + ").",
        "Keep the Django project in a folder named after the rock (dashes as underscores), "
        "or set services.django.command.");
  }

  void check_project(const ExtensionInput& input) const override {
    if (!fs::exists(input.project_root / "requirements.txt")) {
      throw ExtensionError(
          "missing requirements.txt file, django-framework extension requires this file with "
          "Django specified as a dependency",
          "Add requirements.txt listing Django.");
    }
    if (app_parts::nested_text(input.data, {"services", "django", "command"}).empty()) {
      try {
        (void)wsgi_path(input);
      } catch (const PythonSyntaxError& error) {
        throw ExtensionError(
            "error parsing " + error.file().filename().string() + ": " + error.what(),
            "Fix the Python syntax error.");
      }
    }
  }

  [[nodiscard]] YAML::Node install_app_part(const ExtensionInput& input) const override {
    YAML::Node part = map();
    if (app_parts::nested(input.data, {"parts", "django-framework/install-app"}).IsDefined()) {
      return part;
    }
    part["plugin"] = text("dump");
    part["source"] = text(lowered_name(input.data));
    part["organize"] = map();
    part["organize"]["*"] = text("django/app/");
    part["organize"][".*"] = text("django/app/");
    part["stage"] = list({text("-django/app/db.sqlite3")});
    return part;
  }
};

std::string gunicorn_conf(std::string_view framework) {
  return "\"\"\"gunicorn configuration.\"\"\"\n\nbind = [\"0.0.0.0:8000\"]\nchdir = \"/" +
         std::string(framework) + "/app\"\nstatsd_host = \"localhost:9125\"\n";
}

std::string statsd_mapping(std::string_view framework) {
  const std::string prefix(framework);
  return "mappings:\n"
         "  - match: gunicorn.request.status.*\n"
         "    name: " +
         prefix +
         "_response_code\n"
         "    labels:\n"
         "      status: $1\n"
         "  - match: gunicorn.requests\n"
         "    name: " +
         prefix +
         "_requests\n"
         "  - match: gunicorn.request.duration\n"
         "    name: " +
         prefix + "_request_duration\n";
}

}  // namespace

std::unique_ptr<Extension> make_flask_framework() { return std::make_unique<FlaskFramework>(); }
std::unique_ptr<Extension> make_django_framework() { return std::make_unique<DjangoFramework>(); }

std::vector<ExtensionFile> extension_files(std::string_view name) {
  for (const std::string_view framework : {"flask", "django"}) {
    if (name == std::string(framework) + "-framework") {
      return {{"gunicorn.conf.py", gunicorn_conf(framework)},
              {"statsd-mapping.conf", statsd_mapping(framework)}};
    }
  }
  return {};
}

}  // namespace gantry::rock_pack
