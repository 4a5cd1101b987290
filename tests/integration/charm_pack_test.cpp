// The installed gantry's charm-pack step on charm projects the tests write, read back with
// tools no one here wrote: Info-ZIP's `unzip -Z`, Python's zipfile and PyYAML (Debian's
// /usr/bin/python3), Go's archive/zip (the reader Juju uses) and `cmp`. Python
// dependencies come from wheels the tests build with `/usr/bin/python3 -m pip wheel` into a
// find-links directory: no network.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <map>
#include <sstream>
#include <thread>
#include <tuple>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::testing {
namespace {

namespace fs = std::filesystem;

const std::string kGantry = (fs::path(GANTRY_STAGE_DIR) / "bin" / "gantry").string();

const std::string kCharmcraft = R"(name: flask-hello-world
type: charm
summary: A very short one-line summary of the Flask application.
description: |
  A comprehensive overview of your Flask application.
base: ubuntu@22.04
platforms:
  amd64:
extensions:
  - flask-framework
config:
  options:
    token:
      type: string
    api-base-url:
      type: string
      default: https://example.com
)";

const std::vector<std::string> kLibs = {"traefik_k8s/v2/ingress",
                                        "observability_libs/v0/juju_topology",
                                        "grafana_k8s/v0/grafana_dashboard",
                                        "loki_k8s/v1/loki_push_api",
                                        "data_platform_libs/v0/data_interfaces",
                                        "prometheus_k8s/v0/prometheus_scrape",
                                        "redis_k8s/v0/redis",
                                        "data_platform_libs/v0/s3",
                                        "saml_integrator/v0/saml",
                                        "tempo_coordinator_k8s/v0/tracing",
                                        "smtp_integrator/v0/smtp",
                                        "openfga_k8s/v1/openfga",
                                        "hydra/v0/oauth",
                                        "squid_forward_proxy/v0/http_proxy"};

/// The dispatch charmcraft's charm plugin writes (charm_builder.py, const.py), byte for byte.
const std::string kDispatch =
    "#!/bin/sh\n\nJUJU_DISPATCH_PATH=\"${JUJU_DISPATCH_PATH:-$0}\" PYTHONPATH=lib:venv \\\n"
    "  exec ./src/charm.py\n";

/// Runs a Python snippet with Debian's interpreter (zipfile, PyYAML); argv[1:] are `args`.
CommandResult python(const std::string& code, std::vector<std::string> args = {}) {
  std::vector<std::string> argv{"/usr/bin/python3", "-c", code};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command({.argv = argv});
}

class CharmPackTest : public ::testing::Test {
 protected:
  /// Tiny wheels of `ops` and `paas-charm`, built once with Debian's pip.
  static void SetUpTestSuite() {
    wheels_dir_ = new sdk::TemporaryDirectory("gantry-charm-wheels-");
    const fs::path src = wheels_dir_->path() / "src";
    for (const auto& [name, module, dependency] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"ops", "ops", ""}, {"paas-charm", "paas_charm", "\"ops>=2.6\""}}) {
      write_file(src / name / "pyproject.toml",
                 "[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = "
                 "\"setuptools.build_meta\"\n[project]\nname = \"" +
                     name + "\"\nversion = \"" + (name == "ops" ? "2.17.0" : "1.0.0") +
                     "\"\ndependencies = [" + dependency + "]\n");
      write_file(src / name / module / "__init__.py", "NAME = '" + name + "'\n");
    }
    write_file(src / "ops/ops/main.py", "def main(charm):\n    pass\n");
    const auto built = run_command(
        {.argv = {"/usr/bin/python3", "-m", "pip", "wheel", "--no-build-isolation", "--no-deps",
                  "--no-index", "-q", "-w", (wheels_dir_->path() / "wheels").string(),
                  (src / "ops").string(), (src / "paas-charm").string()},
         .timeout = std::chrono::seconds(120)});
    ASSERT_EQ(built.exit_code, 0) << built.err;
  }

  static void TearDownTestSuite() {
    delete wheels_dir_;
    wheels_dir_ = nullptr;
  }

  void SetUp() override { write_project(charm_); }

  static void write_project(const fs::path& charm, const std::string& charmcraft = kCharmcraft) {
    write_file(charm / "charmcraft.yaml", charmcraft);
    write_file(charm / "requirements.txt", "ops ~= 2.17\npaas-charm>=1.0,<2\n");
    write_file(charm / "src/charm.py",
               "#!/usr/bin/env python3\nimport ops\nimport paas_charm.flask\n");
    fs::permissions(charm / "src/charm.py", fs::perms(0755));
    for (const auto& lib : kLibs) {
      write_file(charm / "lib/charms" / (lib + ".py"), "LIBAPI = 0\nLIBPATCH = 1\n");
    }
    write_file(charm / ".gitignore", "venv/\n*.charm\n");
    write_file(charm / ".jujuignore", "*.log\n/notes/\n");
    write_file(charm / "debug.log", "not for the charm\n");
    write_file(charm / "notes/todo.txt", "not for the charm\n");
    write_file(charm / ".git/HEAD", "ref: refs/heads/main\n");
    write_file(charm / "README.md", "# flask-hello-world\n");
  }

  CommandResult pack(const fs::path& project, std::vector<std::string> extra = {},
                     std::map<std::string, std::string> env = {}) {
    std::vector<std::string> argv{kGantry, "--output=plain", "charm-pack", "--project",
                                  project.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    env.emplace("PIP_NO_INDEX", "1");
    env.emplace("PIP_FIND_LINKS", (wheels_dir_->path() / "wheels").string());
    std::vector<std::string> unset{"GANTRY_PLUGIN_PATH", "PIP_INDEX_URL"};
    if (env.count("SOURCE_DATE_EPOCH") == 0) {
      unset.emplace_back("SOURCE_DATE_EPOCH");
    }
    return run_command({.argv = argv,
                        .env = env,
                        .unset_env = unset,
                        .cwd = work_.path(),
                        .timeout = std::chrono::seconds(180)});
  }

  /// name -> "mode size" for every entry, by Python's zipfile; fails on a made-by other
  /// than Unix.
  static std::map<std::string, std::string> entries(const fs::path& charm) {
    const auto listed = python(
        "import sys, zipfile\n"
        "z = zipfile.ZipFile(sys.argv[1])\n"
        "assert z.testzip() is None\n"
        "for i in z.infolist():\n"
        "    assert i.create_system == 3, i.filename\n"
        "    assert i.compress_type == zipfile.ZIP_DEFLATED, i.filename\n"
        "    print(i.filename, oct(i.external_attr >> 16), i.file_size)\n",
        {charm.string()});
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    std::map<std::string, std::string> out;
    std::istringstream in(listed.out);
    std::string name;
    std::string mode;
    std::string size;
    while (in >> name >> mode >> size) {
      out[name] = mode + " " + size;
    }
    return out;
  }

  static std::string member(const fs::path& charm, const std::string& name) {
    const auto read = python(
        "import sys, zipfile\nsys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2])"
        ".decode())\n",
        {charm.string(), name});
    EXPECT_EQ(read.exit_code, 0) << read.err;
    return read.out;
  }

  static inline sdk::TemporaryDirectory* wheels_dir_ = nullptr;
  sdk::TemporaryDirectory work_{"gantry-charm-pack-test-"};
  fs::path charm_ = work_.path() / "app" / "charm";
};

TEST_F(CharmPackTest, AFlaskCharmHasCharmcraftsLayoutModesAndFiles) {
  const auto result = pack(charm_);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const fs::path charm = charm_ / "flask-hello-world_amd64.charm";
  EXPECT_NE(result.out.find("charm=" + charm.string() + "\n"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("name=flask-hello-world\n"), std::string::npos);
  EXPECT_NE(result.out.find("resources=flask-app-image\n"), std::string::npos);

  const auto files = entries(charm);
  EXPECT_EQ(files.at("dispatch"), "0o100755 102");
  for (const char* hook : {"hooks/install", "hooks/start", "hooks/upgrade-charm"}) {
    EXPECT_EQ(files.at(hook), "0o100755 102") << hook;
  }
  EXPECT_EQ(files.at("src/charm.py").substr(0, 8), "0o100755");
  for (const char* name :
       {"manifest.yaml", "metadata.yaml", "config.yaml", "actions.yaml", "requirements.txt",
        ".gitignore", "README.md", "lib/charms/traefik_k8s/v2/ingress.py", "venv/ops/__init__.py",
        "venv/ops/main.py", "venv/paas_charm/__init__.py"}) {
    ASSERT_TRUE(files.count(name)) << name;
    EXPECT_EQ(files.at(name).substr(0, 8), "0o100644") << name;
  }
  for (const char* name :
       {"charmcraft.yaml", "debug.log", "notes/todo.txt", ".git/HEAD", ".jujuignore"}) {
    EXPECT_FALSE(files.count(name)) << name << " should be left out";
  }
  for (const auto& [name, mode] : files) {
    EXPECT_FALSE(name.starts_with(".gantry/")) << name;
  }

  EXPECT_EQ(member(charm, "dispatch"), kDispatch);
  EXPECT_EQ(member(charm, "hooks/install"), kDispatch);
  const auto sha = python(
      "import sys, zipfile, hashlib\n"
      "print(hashlib.sha256(zipfile.ZipFile(sys.argv[1]).read('dispatch')).hexdigest())\n",
      {charm.string()});
  EXPECT_EQ(sha.out, "8fa5649a3fff34c4d5c89223102efd6237bf230e8845d6728619f49c4d1c2395\n");

  // charmcraft's metadata.yaml for this project (notes §4.6), sorted keys.
  EXPECT_EQ(member(charm, "metadata.yaml"), R"(assumes:
- k8s-api
containers:
  flask-app:
    resource: flask-app-image
description: |
  A comprehensive overview of your Flask application.
name: flask-hello-world
peers:
  secret-storage:
    interface: secret-storage
provides:
  grafana-dashboard:
    interface: grafana_dashboard
  metrics-endpoint:
    interface: prometheus_scrape
requires:
  ingress:
    interface: ingress
    limit: 1
  logging:
    interface: loki_push_api
resources:
  flask-app-image:
    description: flask application image.
    type: oci-image
summary: A very short one-line summary of the Flask application.
)");
  EXPECT_EQ(member(charm, "actions.yaml"), R"(rotate-secret-key:
  description: Rotate the secret key. Users will be forced to log in again. This might
    be useful if a security breach occurs.
)");
  const auto config = python(
      "import sys, zipfile, yaml\n"
      "c = yaml.safe_load(zipfile.ZipFile(sys.argv[1]).read('config.yaml'))\n"
      "o = c['options']\n"
      "print(sorted(c.keys()), list(o) == sorted(o), len(o))\n"
      "print(o['token'], o['api-base-url'])\n"
      "print(o['flask-preferred-url-scheme']['default'], o['webserver-workers']['type'],"
      " o['flask-debug']['type'], o['flask-secret-key-id']['type'])\n",
      {charm.string()});
  EXPECT_EQ(config.out,
            "['options'] True 15\n"
            "{'type': 'string'} {'default': 'https://example.com', 'type': 'string'}\n"
            "HTTPS int boolean secret\n")
      << config.err;
  const auto manifest = python(
      "import sys, zipfile, yaml\n"
      "m = yaml.safe_load(zipfile.ZipFile(sys.argv[1]).read('manifest.yaml'))\n"
      "print(list(m))\nprint(m['bases'])\nprint(m['analysis'])\n",
      {charm.string()});
  EXPECT_EQ(manifest.out,
            "['charmcraft-version', 'charmcraft-started-at', 'bases', 'analysis']\n"
            "[{'name': 'ubuntu', 'channel': '22.04', 'architectures': ['amd64']}]\n"
            "{'attributes': [{'name': 'language', 'result': 'python'}, {'name': 'framework', "
            "'result': 'operator'}]}\n")
      << manifest.err;
}

TEST_F(CharmPackTest, UnzipAndGosArchiveZipReadUnixModes) {
  ASSERT_EQ(pack(charm_).exit_code, 0);
  const fs::path charm = charm_ / "flask-hello-world_amd64.charm";
  const auto listed = run_command({.argv = {"unzip", "-Z", charm.string()}});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  for (const char* name :
       {"dispatch", "hooks/install", "hooks/start", "hooks/upgrade-charm", "src/charm.py"}) {
    const auto line_end = listed.out.find(std::string(" ") + name + "\n");
    ASSERT_NE(line_end, std::string::npos) << name;
    const auto line_start = listed.out.rfind('\n', line_end) + 1;
    EXPECT_EQ(listed.out.substr(line_start, 19), "-rwxr-xr-x  2.0 unx") << name;
  }
  const auto tested = run_command({.argv = {"unzip", "-tq", charm.string()}});
  EXPECT_EQ(tested.exit_code, 0) << tested.out;

  // Juju reads modes with Go's archive/zip FileHeader.Mode().
  write_file(work_.path() / "modes/main.go", R"(package main

import (
	"archive/zip"
	"fmt"
	"os"
)

func main() {
	r, err := zip.OpenReader(os.Args[1])
	if err != nil {
		panic(err)
	}
	for _, f := range r.File {
		fmt.Printf("%s %o\n", f.Name, f.Mode().Perm())
	}
}
)");
  const auto go =
      run_command({.argv = {"go", "run", (work_.path() / "modes/main.go").string(), charm.string()},
                   .env = {{"GOCACHE", (work_.path() / "gocache").string()},
                           {"GOPATH", (work_.path() / "gopath").string()},
                           {"GOFLAGS", "-mod=mod"},
                           {"GO111MODULE", "off"}},
                   .timeout = std::chrono::seconds(180)});
  ASSERT_EQ(go.exit_code, 0) << go.err;
  for (const char* line :
       {"dispatch 755\n", "hooks/install 755\n", "hooks/start 755\n", "hooks/upgrade-charm 755\n",
        "src/charm.py 755\n", "metadata.yaml 644\n", "venv/ops/__init__.py 644\n"}) {
    EXPECT_NE(go.out.find(line), std::string::npos) << line << go.out;
  }
}

TEST_F(CharmPackTest, ExpandPrintsCharmcraftsFlaskExpansion) {
  const auto result = pack(charm_, {"--expand"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // The expected values are charmcraft's (charmcraft/extensions/app.py via the notes),
  // written here, not taken from gantry's output.
  write_file(work_.path() / "expanded.yaml", result.out);
  const auto compared = python(R"(import sys, yaml
got = yaml.safe_load(open(sys.argv[1]))
FROM_ENV = " Run `app.config.from_prefixed_env()` in your Flask application in order to receive this configuration."
expected_options = {
  "token": {"type": "string"},
  "api-base-url": {"type": "string", "default": "https://example.com"},
  "webserver-keepalive": {"type": "int", "description": "Time in seconds for webserver to wait for requests on a Keep-Alive connection."},
  "webserver-threads": {"type": "int", "description": "Run each webserver worker with the specified number of threads."},
  "webserver-timeout": {"type": "int", "description": "Time in seconds to kill and restart silent webserver workers."},
  "webserver-workers": {"type": "int", "description": "The number of webserver worker processes for handling requests."},
  "webserver-worker-class": {"type": "string", "description": "The webserver worker process class for handling requests. Can be either 'gevent' or 'sync'."},
  "flask-application-root": {"type": "string", "description": "Path in which the application / web server is mounted. This configuration will set the FLASK_APPLICATION_ROOT environment variable." + FROM_ENV},
  "flask-debug": {"type": "boolean", "description": "Whether Flask debug mode is enabled."},
  "flask-env": {"type": "string", "description": "What environment the Flask app is running in, by default it's 'production'."},
  "flask-permanent-session-lifetime": {"type": "int", "description": "Time in seconds for the cookie to expire in the Flask application permanent sessions. This configuration will set the FLASK_PERMANENT_SESSION_LIFETIME environment variable." + FROM_ENV},
  "flask-preferred-url-scheme": {"type": "string", "default": "HTTPS", "description": "Scheme for generating external URLs when not in a request context in the Flask application. By default, it's \"HTTPS\". This configuration will set the FLASK_PREFERRED_URL_SCHEME environment variable." + FROM_ENV},
  "flask-secret-key": {"type": "string", "description": "The secret key used for securely signing the session cookie and for any other security related needs by your Flask application. This configuration will set the FLASK_SECRET_KEY environment variable." + FROM_ENV},
  "flask-secret-key-id": {"type": "secret", "description": "This configuration is similar to `flask-secret-key`, but instead accepts a Juju user secret ID. The secret should contain a single key, \"value\", which maps to the actual Flask secret key. To create the secret, run the following command: `juju add-secret my-flask-secret-key value=<secret-string> && juju grant-secret my-flask-secret-key flask-k8s`, and use the output secret ID to configure this option."},
  "flask-session-cookie-secure": {"type": "boolean", "description": "Set the secure attribute in the Flask application cookies. This configuration will set the FLASK_SESSION_COOKIE_SECURE environment variable." + FROM_ENV},
}
libs = [("traefik_k8s.ingress", "2"), ("observability_libs.juju_topology", "0"),
        ("grafana_k8s.grafana_dashboard", "0"), ("loki_k8s.loki_push_api", "1"),
        ("data_platform_libs.data_interfaces", "0"), ("prometheus_k8s.prometheus_scrape", "0"),
        ("redis_k8s.redis", "0"), ("data_platform_libs.s3", "0"), ("saml_integrator.saml", "0"),
        ("tempo_coordinator_k8s.tracing", "0"), ("smtp_integrator.smtp", "0"),
        ("openfga_k8s.openfga", "1"), ("hydra.oauth", "0"), ("squid_forward_proxy.http_proxy", "0")]
expected = {
  "name": "flask-hello-world", "type": "charm",
  "summary": "A very short one-line summary of the Flask application.",
  "description": "A comprehensive overview of your Flask application.\n",
  "base": "ubuntu@22.04", "platforms": {"amd64": None},
  "config": {"options": expected_options},
  "assumes": ["k8s-api"],
  "containers": {"flask-app": {"resource": "flask-app-image"}},
  "resources": {"flask-app-image": {"type": "oci-image", "description": "flask application image."}},
  "charm-libs": [{"lib": l, "version": v} for l, v in libs],
  "peers": {"secret-storage": {"interface": "secret-storage"}},
  "actions": {"rotate-secret-key": {"description": "Rotate the secret key. Users will be forced to log in again. This might be useful if a security breach occurs."}},
  "requires": {"logging": {"interface": "loki_push_api"}, "ingress": {"interface": "ingress", "limit": 1}},
  "provides": {"metrics-endpoint": {"interface": "prometheus_scrape"}, "grafana-dashboard": {"interface": "grafana_dashboard"}},
  "parts": {"charm": {"plugin": "charm", "source": ".", "build-snaps": ["rustup"], "override-build": "rustup default stable\ncraftctl default"}},
}
for key in expected:
    if got.get(key) != expected[key]:
        print("differs:", key, got.get(key))
print(list(got) == list(expected))
print(list(got["config"]["options"]) == list(expected_options))
)",
                               {(work_.path() / "expanded.yaml").string()});
  EXPECT_EQ(compared.out, "True\nTrue\n") << compared.err << result.out;
  // Printed as charmcraft prints YAML (PyYAML's dump), so PyYAML writes the same text back.
  const auto redumped = python(
      "import sys, yaml\n"
      "def literal(d, s):\n"
      "    return d.represent_scalar('tag:yaml.org,2002:str', s, style='|' if '\\n' in s else "
      "None)\n"
      "yaml.add_representer(str, literal, Dumper=yaml.SafeDumper)\n"
      "sys.stdout.write(yaml.safe_dump(yaml.safe_load(open(sys.argv[1])), sort_keys=False))\n",
      {(work_.path() / "expanded.yaml").string()});
  EXPECT_EQ(redumped.out, result.out) << redumped.err;
}

TEST_F(CharmPackTest, ShowEnvMapsOptionsByPaasCharmsRuleAndWarnsForDroppedOnes) {
  std::string charmcraft = kCharmcraft + "    app-name:\n      type: string\n";
  write_file(charm_ / "charmcraft.yaml", charmcraft);
  const auto result = pack(charm_, {"--show-env"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("token                            -> FLASK_TOKEN (string)\n"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("api-base-url                     -> FLASK_API_BASE_URL (string)\n"),
            std::string::npos);
  EXPECT_NE(result.out.find("webserver-workers                -> (no variable) (gunicorn setting"),
            std::string::npos);
  EXPECT_NE(result.out.find("app-name                         -> (no variable) (dropped"),
            std::string::npos);
  EXPECT_NE(result.err.find("config option 'app-name' starts with 'app-'"), std::string::npos)
      << result.err;
  EXPECT_FALSE(fs::exists(charm_ / "flask-hello-world_amd64.charm"));

  charmcraft += "    api_base_url:\n      type: string\n";
  write_file(charm_ / "charmcraft.yaml", charmcraft);
  const auto clash = pack(charm_, {"--show-env"});
  EXPECT_EQ(clash.exit_code, 1);
  EXPECT_NE(clash.err.find("config options 'api-base-url' and 'api_base_url' both become the "
                           "environment variable FLASK_API_BASE_URL"),
            std::string::npos)
      << clash.err;
}

TEST_F(CharmPackTest, TwoPacksInDifferentDirectoriesAtDifferentTimesAreByteIdentical) {
  ASSERT_EQ(pack(charm_).exit_code, 0);
  const fs::path copy = work_.path() / "elsewhere" / "charm";
  fs::create_directories(copy.parent_path());
  ASSERT_EQ(run_command({.argv = {"cp", "-a", charm_.string(), copy.string()}}).exit_code, 0);
  fs::remove(copy / "flask-hello-world_amd64.charm");
  fs::remove_all(copy / ".gantry");
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  ASSERT_EQ(pack(copy).exit_code, 0);
  const auto same =
      run_command({.argv = {"cmp", (charm_ / "flask-hello-world_amd64.charm").string(),
                            (copy / "flask-hello-world_amd64.charm").string()}});
  EXPECT_EQ(same.exit_code, 0) << same.out;

  // With SOURCE_DATE_EPOCH, files touched since do not change the bytes either.
  const std::map<std::string, std::string> epoch{{"SOURCE_DATE_EPOCH", "1700000000"}};
  ASSERT_EQ(pack(charm_, {"--output", (work_.path() / "one").string()}, epoch).exit_code, 0);
  ASSERT_EQ(run_command({.argv = {"touch", (copy / "src/charm.py").string()}}).exit_code, 0);
  ASSERT_EQ(pack(copy, {"--output", (work_.path() / "two").string()}, epoch).exit_code, 0);
  const auto with_epoch =
      run_command({.argv = {"cmp", (work_.path() / "one/flask-hello-world_amd64.charm").string(),
                            (work_.path() / "two/flask-hello-world_amd64.charm").string()}});
  EXPECT_EQ(with_epoch.exit_code, 0) << with_epoch.out;
  const auto time =
      python("import sys, zipfile\nprint(zipfile.ZipFile(sys.argv[1]).infolist()[0].date_time)\n",
             {(work_.path() / "one/flask-hello-world_amd64.charm").string()});
  EXPECT_EQ(time.out, "(2023, 11, 14, 22, 13, 20)\n");
}

TEST_F(CharmPackTest, DependenciesAreReinstalledOnlyWhenTheRequirementsChange) {
  const auto first = pack(charm_);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.err.find("Installing the charm's Python dependencies for Python 3.10"),
            std::string::npos);
  const auto second = pack(charm_);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.err.find("The Python dependencies are unchanged"), std::string::npos)
      << second.err;
  write_file(charm_ / "requirements.txt", "ops ~= 2.17\n");
  const auto third = pack(charm_);
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_NE(third.err.find("Installing the charm's Python dependencies"), std::string::npos);
  EXPECT_FALSE(
      entries(charm_ / "flask-hello-world_amd64.charm").count("venv/paas_charm/__init__.py"));
}

TEST_F(CharmPackTest, AnUnavailableRequirementGivesPipsMessageAndLeavesNothingHalfWritten) {
  write_file(charm_ / "requirements.txt", "no-such-package==9.9\n");
  const fs::path out = work_.path() / "out";
  const auto result = pack(charm_, {"--output", out.string()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("No matching distribution found for no-such-package==9.9"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("PIP_FIND_LINKS="), std::string::npos);
  EXPECT_NE(result.err.find("--only-binary=:all:"), std::string::npos);
  EXPECT_TRUE(!fs::exists(out) || fs::is_empty(out));
}

TEST_F(CharmPackTest, MissingCharmLibrariesAreNamedWithHowToFetchThem) {
  fs::remove(charm_ / "lib/charms/redis_k8s/v0/redis.py");
  fs::remove(charm_ / "lib/charms/hydra/v0/oauth.py");
  const auto result = pack(charm_);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("charm-libs names 2 libraries that lib/ does not have: "
                            "redis_k8s.redis v0 (lib/charms/redis_k8s/v0/redis.py), "
                            "hydra.oauth v0 (lib/charms/hydra/v0/oauth.py)"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("charmcraft fetch-libs"), std::string::npos);
}

TEST_F(CharmPackTest, MistakesAreReportedAtTheirPositionAndWriteNothing) {
  const fs::path out = work_.path() / "out";
  const auto expect_error = [&](const std::string& yaml, const std::string& text) {
    write_file(charm_ / "charmcraft.yaml", yaml);
    const auto result = pack(charm_, {"--output", out.string()});
    EXPECT_EQ(result.exit_code, 1) << yaml;
    EXPECT_NE(result.err.find(text), std::string::npos) << result.err;
    EXPECT_TRUE(!fs::exists(out) || fs::is_empty(out));
  };
  const std::string yaml_path = (charm_ / "charmcraft.yaml").string();
  expect_error(kCharmcraft + "colour: blue\n",
               yaml_path + ":18:1: extra field 'colour' not permitted in top-level configuration");
  expect_error(kCharmcraft + "    retries:\n      type: integer\n",
               yaml_path +
                   ":19:13: input tag 'integer' found using 'type' does not match any of "
                   "the expected tags");
  std::string wrong_type = kCharmcraft;
  wrong_type.replace(wrong_type.find("type: charm"), 11, "type: bundle");
  expect_error(wrong_type, yaml_path +
                               ":2:7: the 'flask-framework' extension is incompatible "
                               "with type 'bundle'");
  fs::remove(charm_ / "src/charm.py");
  expect_error(kCharmcraft, "the charm's entry point src/charm.py does not exist");
  fs::remove(charm_ / "charmcraft.yaml");
  const auto missing = pack(charm_);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("charmcraft.yaml not found in " + charm_.string()), std::string::npos)
      << missing.err;
}

TEST_F(CharmPackTest, LegacyBasesAndSeveralPlatformsGiveCharmcraftsNames) {
  std::string legacy = kCharmcraft;
  legacy.replace(legacy.find("base: ubuntu@22.04\nplatforms:\n  amd64:\n"),
                 std::string("base: ubuntu@22.04\nplatforms:\n  amd64:\n").size(),
                 "bases:\n  - build-on:\n      - name: ubuntu\n        channel: \"22.04\"\n"
                 "    run-on:\n      - name: ubuntu\n        channel: \"22.04\"\n"
                 "        architectures: [amd64]\n");
  write_file(charm_ / "charmcraft.yaml", legacy);
  const auto old = pack(charm_);
  ASSERT_EQ(old.exit_code, 0) << old.err;
  EXPECT_TRUE(fs::exists(charm_ / "flask-hello-world_ubuntu-22.04-amd64.charm")) << old.out;

  std::string two = kCharmcraft;
  two.replace(two.find("  amd64:\n"), 9, "  amd64:\n  arm64:\n");
  write_file(charm_ / "charmcraft.yaml", two);
  const fs::path out = work_.path() / "out";
  const auto both = pack(charm_, {"--output", out.string()});
  ASSERT_EQ(both.exit_code, 0) << both.err;
  const auto amd64 = out / "flask-hello-world_amd64.charm";
  const auto arm64 = out / "flask-hello-world_arm64.charm";
  EXPECT_NE(both.out.find("charm=" + amd64.string() + "," + arm64.string() + "\n"),
            std::string::npos)
      << both.out;
  EXPECT_NE(member(arm64, "manifest.yaml").find("  architectures:\n  - arm64\n"),
            std::string::npos);
  const auto one =
      pack(charm_, {"--output", (work_.path() / "single").string(), "--platform", "arm64"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_TRUE(fs::exists(work_.path() / "single/flask-hello-world_arm64.charm"));
  EXPECT_FALSE(fs::exists(work_.path() / "single/flask-hello-world_amd64.charm"));
}

TEST_F(CharmPackTest, TheSplitLayoutsFilesGoIntoTheCharmAsTheyAre) {
  const fs::path split = work_.path() / "split";
  write_file(split / "charmcraft.yaml",
             "type: charm\nbases:\n  - name: ubuntu\n    channel: \"22.04\"\n    architectures: "
             "[amd64]\n");
  const std::string metadata = "name: split\nsummary: s\ndescription: d\nmaintainers: [someone]\n";
  write_file(split / "metadata.yaml", metadata);
  write_file(split / "config.yaml", "options:\n  level: {type: int, default: 3}\n");
  write_file(split / "src/charm.py", "#!/usr/bin/env python3\n");
  fs::permissions(split / "src/charm.py", fs::perms(0755));
  const auto result = pack(split);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const fs::path charm = split / "split_ubuntu-22.04-amd64.charm";
  ASSERT_TRUE(fs::exists(charm)) << result.out;
  EXPECT_EQ(member(charm, "metadata.yaml"), metadata);
  EXPECT_EQ(member(charm, "config.yaml"), "options:\n  level: {type: int, default: 3}\n");
  const auto files = entries(charm);
  EXPECT_FALSE(files.count("actions.yaml"));
  EXPECT_FALSE(files.count("charmcraft.yaml"));
  EXPECT_FALSE(files.count("venv/ops/__init__.py"));  // nothing to install
}

TEST_F(CharmPackTest, CleanRemovesTheBuildState) {
  ASSERT_EQ(pack(charm_).exit_code, 0);
  ASSERT_TRUE(fs::exists(charm_ / ".gantry/charm-pack"));
  const auto cleaned =
      run_command({.argv = {kGantry, "charm-pack", "clean", "--project", charm_.string()},
                   .unset_env = {"GANTRY_PLUGIN_PATH"}});
  ASSERT_EQ(cleaned.exit_code, 0) << cleaned.err;
  EXPECT_FALSE(fs::exists(charm_ / ".gantry/charm-pack"));
  EXPECT_TRUE(fs::exists(charm_ / "flask-hello-world_amd64.charm"));
}

}  // namespace
}  // namespace gantry::testing
