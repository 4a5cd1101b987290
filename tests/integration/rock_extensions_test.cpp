// rock-pack's framework extensions through the installed gantry: `--expand` printing the
// project rockcraft would build, and a go-framework rock packed from a Go module (Debian's
// golang-go, this machine's apt sources for its runtime packages) and run by podman.
#include <gtest/gtest.h>
#include <unistd.h>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "http_probe.hpp"
#include "podman_fixture.hpp"

namespace gantry::testing {
namespace {

namespace fs = std::filesystem;

const std::string kGantry = (fs::path(GANTRY_STAGE_DIR) / "bin" / "gantry").string();

class RockExtensionsTest : public ::testing::Test {
 protected:
  CommandResult gantry(std::vector<std::string> args,
                       std::chrono::seconds timeout = std::chrono::seconds(120)) {
    std::vector<std::string> argv{kGantry, "--output=plain"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command({.argv = argv,
                        .unset_env = {"GANTRY_PLUGIN_PATH", "SOURCE_DATE_EPOCH"},
                        .cwd = project_,
                        .timeout = timeout});
  }

  sdk::TemporaryDirectory work_{"gantry-rock-extensions-test-"};
  fs::path project_ = work_.path() / "project";
};

TEST_F(RockExtensionsTest, ExpandPrintsTheProjectWithTheFlaskExtensionAppliedAndPacksNothing) {
  write_file(project_ / "requirements.txt", "flask\n");
  write_file(project_ / "app.py", "from flask import Flask\napp = Flask(__name__)\n");
  write_file(project_ / "rockcraft.yaml",
             "name: flask-hello\nbase: bare\nbuild-base: ubuntu@24.04\nversion: '0.1'\n"
             "summary: s\ndescription: d\nplatforms:\n  amd64:\nextensions: [flask-framework]\n");
  const auto expanded = gantry({"rock-pack", "--expand"});
  ASSERT_EQ(expanded.exit_code, 0) << expanded.err;
  // stdout is the document alone, ready to save as a rockcraft.yaml without extensions.
  write_file(work_.path() / "expanded/rockcraft.yaml", expanded.out);
  const auto read_back =
      run_command({.argv = {"/usr/bin/python3", "-c",
                            "import sys, yaml\n"
                            "d = yaml.safe_load(open(sys.argv[1]))\n"
                            "assert 'extensions' not in d, d\n"
                            "print(d['version'])\n"
                            "print(d['run-user'])\n"
                            "print(d['services']['flask']['command'])\n"
                            "print(d['parts']['flask-framework/dependencies']['stage-packages'])\n"
                            "print(d['parts']['flask-framework/install-app']['prime'])\n"
                            "print(sorted(d['parts']))\n",
                            (work_.path() / "expanded/rockcraft.yaml").string()}});
  ASSERT_EQ(read_back.exit_code, 0) << read_back.err << expanded.out;
  EXPECT_EQ(read_back.out,
            "0.1\n_daemon_\n"
            "/bin/python3 -m gunicorn -c /flask/gunicorn.conf.py 'app:app' -k [ sync ]\n"
            "['python3.12-venv_ensurepip']\n['flask/app/app.py']\n"
            "['flask-framework/config-files', 'flask-framework/dependencies', "
            "'flask-framework/install-app', 'flask-framework/logging', "
            "'flask-framework/runtime', 'flask-framework/runtime-libs', "
            "'flask-framework/statsd-exporter']\n");
  EXPECT_FALSE(fs::exists(project_ / "flask-hello_0.1_amd64.rock"));

  // A refusal names the extensions entry and says what is missing.
  fs::remove(project_ / "app.py");
  const auto refused = gantry({"rock-pack", "--expand"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("rockcraft.yaml:9:14"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("- Missing WSGI entrypoint in default search locations"),
            std::string::npos)
      << refused.err;
}

TEST_F(RockExtensionsTest, AGoFrameworkRockBuiltFromItsModuleServesUnderPodman) {
  write_file(project_ / "go.mod", "module example.com/hello-go\n\ngo 1.19\n");
  write_file(project_ / "main.go",
             "package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n\t\"os\"\n)\n\n"
             "func main() {\n"
             "\tbody, err := os.ReadFile(\"templates/index.html\")\n"
             "\tif err != nil {\n\t\tpanic(err)\n\t}\n"
             "\thttp.HandleFunc(\"/\", func(w http.ResponseWriter, r *http.Request) {\n"
             "\t\tfmt.Fprintf(w, \"%s uid=%d\", body, os.Getuid())\n\t})\n"
             "\tpanic(http.ListenAndServe(\":8080\", nil))\n}\n");
  write_file(project_ / "templates/index.html", "hello from go");
  write_file(project_ / "rockcraft.yaml",
             "name: hello-go\nbase: bare\nbuild-base: ubuntu@24.04\nversion: '0.1'\n"
             "summary: s\ndescription: d\nplatforms:\n  amd64:\nextensions:\n  - go-framework\n");
  // Pebble is not packaged where these tests run: a stand-in fills its place, and podman
  // runs the service's binary directly.
  write_file(work_.path() / "pebble", "#!/bin/sh\nexit 0\n");
  fs::permissions(work_.path() / "pebble", fs::perms(0755));
  const auto packed = gantry({"rock-pack", "--pebble", (work_.path() / "pebble").string()},
                             std::chrono::seconds(600));
  ASSERT_EQ(packed.exit_code, 0) << packed.err;
  EXPECT_NE(packed.err.find("chisel slices are staged as whole Debian packages"),
            std::string::npos);
  const fs::path rock = project_ / "hello-go_0.1_amd64.rock";
  ASSERT_TRUE(fs::exists(rock));

  const PodmanFixture podman;
  const int port = 20000 + static_cast<int>((::getpid() + 7) % 20000);
  const auto started = podman.podman(
      {"run", "-d", "--name", "hello-go", "--ulimit", "nofile=1024:1024", "--ulimit",
       "nproc=1024:1024", "-p", "127.0.0.1:" + std::to_string(port) + ":8080", "--entrypoint",
       "/usr/local/bin/hello-go", "-w", "/app", "oci-archive:" + rock.string()});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  const auto answer = wait_for_http("http://127.0.0.1:" + std::to_string(port) + "/");
  const auto logs = podman.podman({"logs", "hello-go"});
  (void)podman.podman({"rm", "-f", "hello-go"});
  EXPECT_EQ(answer.exit_code, 0) << logs.out << logs.err;
  // The rock runs as _daemon_, rockcraft's run-user for the extension.
  EXPECT_EQ(answer.out, "hello from go uid=584792\n");
}

}  // namespace
}  // namespace gantry::testing
