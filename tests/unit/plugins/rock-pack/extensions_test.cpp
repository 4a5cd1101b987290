// The framework extensions as rockcraft expands them. Expected values are rockcraft's
// (canonical/rockcraft rockcraft/extensions/gunicorn.py, fastapi.py, go.py, app_parts.py;
// ../shared/reference/rockcraft.md section 3), not gantry's own output.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "extensions/expanded_yaml.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "rock_project.hpp"

namespace gantry::rock_pack {
namespace {

namespace fs = std::filesystem;

struct Failure {
  std::string message, where, resolution;
};

class Extensions : public ::testing::Test {
 protected:
  void write(const std::string& name, const std::string& text) {
    fs::create_directories((root_ / name).parent_path());
    std::ofstream(root_ / name) << text;
  }

  /// A flask project: requirements.txt with flask, app.py with `app`, and `yaml` as the
  /// rockcraft.yaml lines after the common ones.
  void flask_project(const std::string& base, const std::string& extra = {}) {
    write("requirements.txt", "Flask==3.0\n");
    write("app.py", "import flask\n\napp = flask.Flask(__name__)\n");
    write("rockcraft.yaml", "name: my-app\nsummary: s\ndescription: d\nversion: \"0.1\"\n" + base +
                                "platforms:\n  amd64:\nextensions:\n  - flask-framework\n" + extra);
  }

  RockProject load() {
    return load_rock_project(root_ / "rockcraft.yaml",
                             [this](const std::string& warning) { warnings_.push_back(warning); });
  }

  Failure failure() {
    try {
      (void)load();
    } catch (const ConfigError& error) {
      return {error.what(), error.position().to_string(), error.resolution()};
    }
    return {"no error", "", ""};
  }

  static const PartSpec& part(const RockProject& project, const std::string& name) {
    for (const auto& part : project.parts) {
      if (part.name == name) {
        return part;
      }
    }
    throw std::runtime_error("no part " + name);
  }

  sdk::TemporaryDirectory dir_{"gantry-extensions-test-"};
  fs::path root_ = dir_.path();
  std::vector<std::string> warnings_;
};

using Strings = std::vector<std::string>;

TEST_F(Extensions, FlaskOnABareBaseGetsRockcraftsPartsServicesAndUser) {
  write("templates/index.html", "<p>hi</p>");
  write("static/app.css", "p {}");
  write("notes.txt", "not primed");
  flask_project("base: bare\nbuild-base: ubuntu@22.04\n");
  const RockProject project = load();

  EXPECT_EQ(project.run_user, "_daemon_");
  Strings names;
  for (const auto& part : project.parts) {
    names.push_back(part.name);
  }
  EXPECT_EQ(names, (Strings{"flask-framework/dependencies", "flask-framework/install-app",
                            "flask-framework/config-files", "flask-framework/statsd-exporter",
                            "flask-framework/logging", "flask-framework/runtime",
                            "flask-framework/runtime-libs"}));
  const auto& dependencies = part(project, "flask-framework/dependencies");
  EXPECT_EQ(dependencies.plugin, "python");
  EXPECT_EQ(dependencies.source, ".");
  EXPECT_EQ(dependencies.stage_packages, (Strings{"python3.10-venv_ensurepip"}));
  EXPECT_EQ(dependencies.python_packages, (Strings{"gunicorn~=23.0"}));
  EXPECT_EQ(dependencies.python_requirements, (Strings{"requirements.txt"}));
  ASSERT_EQ(dependencies.build_environment.size(), 1U);
  EXPECT_EQ(dependencies.build_environment[0].first, "PARTS_PYTHON_INTERPRETER");
  EXPECT_EQ(dependencies.build_environment[0].second, "python3.10");

  const auto& install = part(project, "flask-framework/install-app");
  EXPECT_EQ(install.plugin, "dump");
  EXPECT_EQ(install.prime,
            (Strings{"flask/app/app.py", "flask/app/static", "flask/app/templates"}));
  // The default prime list is in include mode, so it also decides what is organized (RC
  // gunicorn.py gen_install_app_part): notes.txt is not taken.
  Strings organized;
  for (const auto& [from, to] : install.organize) {
    organized.push_back(from + "->" + to);
  }
  EXPECT_EQ(organized, (Strings{"app.py->flask/app/app.py", "static->flask/app/static",
                                "templates->flask/app/templates"}));
  EXPECT_EQ(install.stage, install.prime);
  ASSERT_EQ(install.permissions.size(), 1U);
  EXPECT_EQ(install.permissions[0].path, "*");
  EXPECT_EQ(install.permissions[0].owner, 584792U);

  const auto& runtime = part(project, "flask-framework/runtime");
  EXPECT_EQ(runtime.stage_packages,
            (Strings{"bash_bins", "coreutils_bins", "ca-certificates_data"}));
  EXPECT_EQ(runtime.override_build,
            "mkdir -m 777 ${CRAFT_PART_INSTALL}/tmp\nln -sf /usr/bin/bash "
            "${CRAFT_PART_INSTALL}/usr/bin/sh");
  EXPECT_EQ(part(project, "flask-framework/runtime-libs").stage_packages, (Strings{"libstdc++6"}));
  const auto& exporter = part(project, "flask-framework/statsd-exporter");
  EXPECT_EQ(exporter.plugin, "go");
  EXPECT_EQ(exporter.source, "https://github.com/prometheus/statsd_exporter.git");
  EXPECT_EQ(exporter.source_tag, "v0.26.0");
  EXPECT_EQ(exporter.build_snaps, (Strings{"go"}));
  const auto& logging = part(project, "flask-framework/logging");
  EXPECT_EQ(logging.override_build,
            "craftctl default\nmkdir -p $CRAFT_PART_INSTALL/opt/promtail\nmkdir -p "
            "$CRAFT_PART_INSTALL/etc/promtail\nmkdir -p $CRAFT_PART_INSTALL/var/log/flask");
  const auto& config = part(project, "flask-framework/config-files");
  ASSERT_EQ(config.organize.size(), 1U);
  EXPECT_EQ(config.organize[0].second, "flask/gunicorn.conf.py");

  const YAML::Node flask = project.services["flask"];
  EXPECT_EQ(flask["override"].Scalar(), "replace");
  EXPECT_EQ(flask["startup"].Scalar(), "enabled");
  EXPECT_EQ(flask["user"].Scalar(), "_daemon_");
  EXPECT_EQ(flask["after"][0].Scalar(), "statsd-exporter");
  EXPECT_EQ(flask["command"].Scalar(),
            "/bin/python3 -m gunicorn -c /flask/gunicorn.conf.py 'app:app' -k [ sync ]");
  const YAML::Node exporter_service = project.services["statsd-exporter"];
  EXPECT_EQ(exporter_service["override"].Scalar(), "merge");
  EXPECT_EQ(exporter_service["summary"].Scalar(), "statsd exporter service");
  EXPECT_EQ(exporter_service["command"].Scalar(),
            "/bin/statsd_exporter --statsd.mapping-config=/statsd-mapping.conf "
            "--statsd.listen-udp=localhost:9125 --statsd.listen-tcp=localhost:9125");
}

TEST_F(Extensions, FlaskOnUbuntuStagesVenvAndCertificatesWithoutTheirClash) {
  write("requirements.txt", "flask\ngevent>=23\n");
  flask_project("base: ubuntu@22.04\n");
  write("requirements.txt", "flask\ngevent>=23\n");
  const RockProject project = load();
  const auto& dependencies = part(project, "flask-framework/dependencies");
  EXPECT_EQ(dependencies.stage_packages, (Strings{"python3-venv"}));
  EXPECT_TRUE(dependencies.build_environment.empty());
  EXPECT_EQ(dependencies.stage, (Strings{"-etc/ssl/certs/ca-certificates.crt"}));
  EXPECT_EQ(part(project, "flask-framework/runtime").stage_packages,
            (Strings{"ca-certificates_data"}));
  // gevent among the requirements picks gunicorn's gevent worker.
  EXPECT_EQ(project.services["flask"]["command"].Scalar(),
            "/bin/python3 -m gunicorn -c /flask/gunicorn.conf.py 'app:app' -k [ gevent ]");
}

TEST_F(Extensions, UserAdditionsMergeIntoTheGeneratedPartsAndServices) {
  flask_project("base: ubuntu@24.04\n",
                "services:\n  flask:\n    command: /bin/python3 -m gunicorn app:app\n"
                "parts:\n  flask-framework/dependencies:\n    stage-packages: [libpq5, "
                "python3-venv]\n  flask-framework/install-app:\n    prime:\n"
                "      - flask/app/app.py\n      - flask/app/extra\n");
  const RockProject project = load();
  // Lists: the extension's items first, then the user's, strings de-duplicated.
  EXPECT_EQ(part(project, "flask-framework/dependencies").stage_packages,
            (Strings{"python3-venv", "libpq5"}));
  // A user prime in include mode decides what is organized and staged.
  const auto& install = part(project, "flask-framework/install-app");
  EXPECT_EQ(install.prime, (Strings{"flask/app/app.py", "flask/app/extra"}));
  EXPECT_EQ(install.stage, (Strings{"flask/app/app.py", "flask/app/extra"}));
  ASSERT_EQ(install.organize.size(), 2U);
  EXPECT_EQ(install.organize[1].first, "extra");
  // The user's command wins; the rest of the service comes from the extension.
  EXPECT_EQ(project.services["flask"]["command"].Scalar(), "/bin/python3 -m gunicorn app:app");
  EXPECT_EQ(project.services["flask"]["override"].Scalar(), "replace");
}

TEST_F(Extensions, WsgiDiscoveryFollowsRockcraftsOrder) {
  flask_project("base: ubuntu@24.04\n");
  fs::remove(root_ / "app.py");
  write("src/__init__.py", "from flask import Flask\napplication = Flask(__name__)\n");
  EXPECT_EQ(load().services["flask"]["command"].Scalar(),
            "/bin/python3 -m gunicorn -c /flask/gunicorn.conf.py 'src:application' -k [ sync ]");
  fs::remove_all(root_ / "src");
  write("my_app/main.py", "def create_app():\n    return None\n");
  EXPECT_EQ(load().services["flask"]["command"].Scalar(),
            "/bin/python3 -m gunicorn -c /flask/gunicorn.conf.py 'my_app.main:create_app()' -k "
            "[ sync ]");
}

TEST_F(Extensions, FlaskRefusalsUseRockcraftsMessagesAtTheExtensionsEntry) {
  flask_project("base: ubuntu@24.04\n");
  write("app.py", "def nothing():\n    pass\n");
  write("requirements.txt", "django\n");
  auto failed = failure();
  EXPECT_EQ(failed.message,
            "- missing flask package dependency in requirements file.\n"
            "- Missing WSGI entrypoint in default search locations");
  EXPECT_EQ(failed.where, (root_ / "rockcraft.yaml").string() + ":9:5");

  write("requirements.txt", "flask\n");
  write("app.py", "app = Flask(\n");
  EXPECT_EQ(failure().message, "- error parsing app.py: '(' was never closed");

  fs::remove(root_ / "requirements.txt");
  write("app.py", "app = 1\n");
  EXPECT_EQ(failure().message,
            "- missing a requirements file (requirements.txt or pyproject.toml). The "
            "flask-framework extension requires one of these files with 'flask' specified as a "
            "dependency.");
  // pyproject.toml's [project] dependencies count as well.
  write("pyproject.toml", "[project]\nname = \"x\"\ndependencies = [\n  \"Flask>=3\",\n]\n");
  EXPECT_EQ(failure().message, "no error");
}

TEST_F(Extensions, APrimeEntryOutsideFlaskAppIsRefused) {
  flask_project("base: ubuntu@24.04\n",
                "parts:\n  flask-framework/install-app:\n    prime: [app.py]\n");
  EXPECT_EQ(failure().message,
            "flask-framework extension requires the 'prime' entry in the "
            "flask-framework/install-app part to start with flask/app");
}

TEST_F(Extensions, BasesTheExtensionDoesNotSupportAreRefused) {
  // As rockcraft routes it: a base the stable extension lacks goes to the experimental one.
  flask_project("base: ubuntu@20.04\n");
  EXPECT_EQ(failure().message, "Extension is experimental: 'flask-framework'");
  ::setenv("ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS", "True", 1);
  const auto unsupported = failure();
  ::unsetenv("ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS");
  EXPECT_EQ(unsupported.message,
            "Extension 'flask-framework' does not support base: 'ubuntu@20.04'");
  EXPECT_EQ(unsupported.resolution, "Use one of its bases: bare, ubuntu@22.04, ubuntu@24.04.");
  flask_project("base: ubuntu@26.04\n");
  const auto experimental = failure();
  EXPECT_EQ(experimental.message, "Extension is experimental: 'flask-framework'");
  EXPECT_EQ(experimental.resolution,
            "Run with ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS=True to enable experimental "
            "extensions.");
  ::setenv("ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS", "True", 1);
  EXPECT_EQ(failure().message, "no error");
  ::unsetenv("ROCKCRAFT_ENABLE_EXPERIMENTAL_EXTENSIONS");
  EXPECT_EQ(warnings_.back(), "*EXPERIMENTAL* extension 'flask-framework' enabled");
  flask_project("base: bare\nbuild-base: ubuntu@20.04\n");
  EXPECT_EQ(failure().message, "Extension is experimental: 'flask-framework'");
}

TEST_F(Extensions, DjangoFindsItsWsgiModuleInTheProjectFolder) {
  write("requirements.txt", "Django\n");
  write("my_site/my_site/wsgi.py",
        "from django.core.wsgi import get_wsgi_application\n"
        "application = get_wsgi_application()\n");
  write("rockcraft.yaml",
        "name: my-site\nsummary: s\ndescription: d\nversion: \"0.1\"\nbase: ubuntu@22.04\n"
        "platforms:\n  amd64:\nextensions:\n  - django-framework\n");
  const RockProject project = load();
  EXPECT_EQ(project.services["django"]["command"].Scalar(),
            "/bin/python3 -m gunicorn -c /django/gunicorn.conf.py 'my_site.wsgi:application' -k "
            "[ sync ]");
  const auto& install = part(project, "django-framework/install-app");
  EXPECT_EQ(install.source, "my_site");
  EXPECT_EQ(install.stage, (Strings{"-django/app/db.sqlite3"}));
  ASSERT_EQ(install.organize.size(), 2U);
  EXPECT_EQ(install.organize[0], std::make_pair(std::string("*"), std::string("django/app/")));
  EXPECT_EQ(install.organize[1], std::make_pair(std::string(".*"), std::string("django/app/")));

  fs::remove_all(root_ / "my_site");
  EXPECT_EQ(failure().message,
            "django application can not be imported, unable to locate a wsgi.py with an "
            "'application' callable in the default discovery locations (" +
                (root_ / "my_site/my_site/wsgi.py").string() + ", " +
                (root_ / "my_site/mysite/wsgi.py").string() + ").");
}

TEST_F(Extensions, FastApiServesTheAsgiAppWithUvicornFromApp) {
  write("requirements.txt", "fastapi\n");
  write("app/main.py", "from fastapi import FastAPI\napp = FastAPI()\n");
  write("templates/x.html", "");
  write("rockcraft.yaml",
        "name: api\nsummary: s\ndescription: d\nversion: \"0.1\"\nbase: bare\n"
        "build-base: ubuntu@24.04\nplatforms:\n  amd64:\nextensions:\n  - fastapi-framework\n");
  const RockProject project = load();
  const YAML::Node service = project.services["fastapi"];
  EXPECT_EQ(service["command"].Scalar(), "/bin/python3 -m uvicorn app.main:app");
  EXPECT_EQ(service["working-dir"].Scalar(), "/app");
  EXPECT_EQ(service["environment"]["UVICORN_HOST"].Scalar(), "0.0.0.0");
  const auto& install = part(project, "fastapi-framework/install-app");
  EXPECT_EQ(install.stage, (Strings{"app/templates", "app/app"}));
  EXPECT_EQ(part(project, "fastapi-framework/dependencies").python_packages, (Strings{"uvicorn"}));
  EXPECT_EQ(part(project, "fastapi-framework/dependencies").stage_packages,
            (Strings{"python3.12-venv_ensurepip"}));
}

TEST_F(Extensions, GoBuildsTheModuleIntoUsrLocalBinAndShipsItsAssets) {
  write("go.mod", "module example.com/hello\n\ngo 1.19\n");
  write("main.go", "package main\nfunc main() {}\n");
  write("templates/index.html", "hi");
  write("rockcraft.yaml",
        "name: hello\nsummary: s\ndescription: d\nversion: \"0.1\"\nbase: bare\n"
        "build-base: ubuntu@24.04\nplatforms:\n  amd64:\nextensions:\n  - go-framework\n");
  const RockProject project = load();
  EXPECT_EQ(project.services["go"]["command"].Scalar(), "hello");
  EXPECT_EQ(project.services["go"]["working-dir"].Scalar(), "/app");
  const auto& install = part(project, "go-framework/install-app");
  EXPECT_EQ(install.plugin, "go");
  EXPECT_EQ(install.stage, (Strings{"usr/local/bin/hello"}));
  EXPECT_EQ(install.build_snaps, (Strings{"go"}));
  ASSERT_EQ(install.build_environment.size(), 1U);
  EXPECT_EQ(install.build_environment[0],
            std::make_pair(std::string("CGO_ENABLED"), std::string("0")));
  EXPECT_EQ(part(project, "go-framework/assets").stage, (Strings{"app/templates"}));
  EXPECT_EQ(part(project, "go-framework/runtime").stage_packages,
            (Strings{"ca-certificates_data", "bash_bins", "coreutils_bins"}));

  fs::remove(root_ / "go.mod");
  EXPECT_EQ(failure().message,
            "missing go.mod file, it should be present in the project directory");
}

TEST_F(Extensions, TheExpandedDocumentReadsBackAsTheSameProject) {
  write("templates/index.html", "");
  flask_project("base: bare\nbuild-base: ubuntu@24.04\n");
  const RockProject project = load();
  const std::string text = expanded_yaml(project.document);
  EXPECT_EQ(text.find("\nextensions:"), std::string::npos) << text;
  EXPECT_NE(text.find("version: \"0.1\""), std::string::npos) << text;
  const RockProject again = parse_rock_project(text, root_ / "rockcraft.yaml", {});
  ASSERT_EQ(again.parts.size(), project.parts.size());
  for (std::size_t i = 0; i < again.parts.size(); ++i) {
    EXPECT_EQ(again.parts[i].name, project.parts[i].name);
    EXPECT_EQ(again.parts[i].stage_packages, project.parts[i].stage_packages);
    EXPECT_EQ(again.parts[i].organize, project.parts[i].organize);
    EXPECT_EQ(again.parts[i].override_build, project.parts[i].override_build);
  }
  EXPECT_EQ(again.version, "0.1");
  EXPECT_EQ(again.services["flask"]["command"].Scalar(),
            project.services["flask"]["command"].Scalar());
}

}  // namespace
}  // namespace gantry::rock_pack
