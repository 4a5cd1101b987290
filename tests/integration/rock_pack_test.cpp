// The installed gantry's rock-pack step on projects the tests write, read back with tools
// no one here wrote: skopeo (labels, layers, config) and umoci (every diff_id checked,
// contents, modes and owners).
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <nlohmann/json.hpp>
#include <thread>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"
#include "http_probe.hpp"
#include "podman_fixture.hpp"
#include "registry_fixture.hpp"

namespace gantry::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kGantry = (fs::path(GANTRY_STAGE_DIR) / "bin" / "gantry").string();

const std::string kRockcraft = R"(name: hello
title: Hello
summary: A small test rock
description: |
  It says hello.
version: "0.1"
license: Apache-2.0
base: bare
build-base: ubuntu@24.04
platforms:
  amd64:
run-user: _daemon_
environment:
  GREETING: hello
services:
  web:
    override: replace
    command: /usr/bin/hello [ --port 8080 ]
    startup: enabled
parts:
  files:
    plugin: dump
    source: files
    organize:
      hello.sh: usr/bin/hello
    permissions:
      - path: srv
        owner: 584792
        group: 584792
        mode: "750"
  extra:
    plugin: nil
    override-build: |
      craftctl default
      mkdir -p "$CRAFT_PART_INSTALL/usr/share/extra"
      echo "built for $CRAFT_ARCH_BUILD_FOR by $CRAFT_PART_NAME" > "$CRAFT_PART_INSTALL/usr/share/extra/note"
)";

/// A bare rock named `name` whose one part, `part`, dumps `source`; more part keys may follow.
std::string one_dump_part(const std::string& name, const std::string& part,
                          const std::string& source) {
  return "name: " + name + R"(
summary: s
description: d
version: "1"
base: bare
build-base: ubuntu@24.04
platforms:
  amd64:
entrypoint-command: /bin/true
parts:
  )" + part +
         ":\n    plugin: dump\n    source: " + source + "\n";
}

class RockPackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(project_ / "rockcraft.yaml", kRockcraft);
    write_file(project_ / "files/hello.sh", "#!/bin/sh\necho hello\n");
    fs::permissions(project_ / "files/hello.sh", fs::perms(0755));
    write_file(project_ / "files/srv/data.txt", "data\n");
    write_file(pebble_, "#!/bin/sh\necho pebble stand-in\n");
  }

  /// `runner` goes before gantry on the command line (an emulator, say).
  CommandResult pack(const fs::path& project, std::vector<std::string> extra = {},
                     std::vector<std::string> runner = {}) {
    // rock-pack's own --output is the directory, as rockcraft's: the format goes first.
    std::vector<std::string> argv = std::move(runner);
    argv.insert(argv.end(), {kGantry, "--output=plain", "rock-pack", "--project", project.string(),
                             "--pebble", pebble_.string()});
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_command({.argv = argv,
                        .unset_env = {"GANTRY_PLUGIN_PATH", "SOURCE_DATE_EPOCH"},
                        .cwd = work_.path()});
  }

  static json skopeo_inspect(const fs::path& rock, bool config) {
    std::vector<std::string> argv{"skopeo", "inspect"};
    if (config) {
      argv.push_back("--config");
    }
    argv.push_back("oci-archive:" + rock.string());
    const auto result = run_command({.argv = argv});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.exit_code == 0 ? json::parse(result.out) : json();
  }

  /// Copies `rock` into work/layout with skopeo and unpacks it with umoci (which checks
  /// every diff_id) into work/bundle; the root filesystem.
  fs::path unpack(const fs::path& rock, const std::string& tag) {
    const fs::path layout = work_.path() / "layout";
    const auto copied =
        run_command({.argv = {"skopeo", "copy", "-q", "oci-archive:" + rock.string(),
                              "oci:" + layout.string() + ":" + tag}});
    EXPECT_EQ(copied.exit_code, 0) << copied.err;
    const fs::path bundle = work_.path() / "bundle";
    const auto unpacked = run_command(
        {.argv = {"umoci", "unpack", "--image", layout.string() + ":" + tag, bundle.string()}});
    EXPECT_EQ(unpacked.exit_code, 0) << unpacked.err;
    return bundle / "rootfs";
  }

  sdk::TemporaryDirectory work_{"gantry-rock-pack-test-"};
  fs::path project_ = work_.path() / "project";
  fs::path pebble_ = work_.path() / "pebble";
};

TEST_F(RockPackTest, APackedBareRockReadsBackWithSkopeoAndUmoci) {
  const auto result = pack(project_);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const fs::path rock = project_ / "hello_0.1_amd64.rock";
  ASSERT_TRUE(fs::exists(rock)) << result.out;
  EXPECT_NE(result.out.find("rock=" + rock.string()), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("version=0.1"), std::string::npos);

  const auto inspect = skopeo_inspect(rock, false);
  EXPECT_EQ(inspect["Labels"]["org.opencontainers.image.version"], "0.1");
  EXPECT_EQ(inspect["Labels"]["org.opencontainers.image.title"], "Hello");
  EXPECT_EQ(inspect["Labels"]["org.opencontainers.image.licenses"], "Apache-2.0");
  EXPECT_EQ(inspect["Architecture"], "amd64");
  // Pebble, one layer per part (extra, files), the user, the Pebble layer, metadata.
  EXPECT_EQ(inspect["Layers"].size(), 6U) << inspect.dump();
  const auto config = skopeo_inspect(rock, true);
  EXPECT_EQ(config["config"]["Entrypoint"], json::array({"/usr/bin/pebble", "enter"}));
  EXPECT_EQ(config["config"]["User"], "584792");
  const auto env = config["config"]["Env"];
  EXPECT_NE(std::find(env.begin(), env.end(),
                      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
            env.end());
  EXPECT_NE(std::find(env.begin(), env.end(), "GREETING=hello"), env.end());

  const fs::path rootfs = unpack(rock, "0.1");
  EXPECT_EQ(read_file(rootfs / "usr/bin/hello"), "#!/bin/sh\necho hello\n");
  EXPECT_EQ(fs::status(rootfs / "usr/bin/hello").permissions(), fs::perms(0755));
  EXPECT_EQ(read_file(rootfs / "usr/share/extra/note"), "built for amd64 by extra\n");
  EXPECT_EQ(read_file(rootfs / "usr/bin/pebble"), "#!/bin/sh\necho pebble stand-in\n");
  EXPECT_NE(read_file(rootfs / "etc/passwd").find("_daemon_:x:584792:584792:"), std::string::npos);
  const auto layer = read_file(rootfs / "var/lib/pebble/default/layers/001-rockcraft-hello.yaml");
  EXPECT_NE(layer.find("command: /usr/bin/hello [ --port 8080 ]"), std::string::npos) << layer;
  EXPECT_NE(read_file(rootfs / ".rock/metadata.yaml").find("name: hello"), std::string::npos);
  struct stat status {};
  ASSERT_EQ(::stat((rootfs / "srv").c_str(), &status), 0);
  EXPECT_EQ(status.st_uid, 584792U);
  EXPECT_EQ(status.st_mode & 07777U, 0750U);
}

TEST_F(RockPackTest, PackingTwiceInDifferentDirectoriesAtDifferentTimesGivesTheSameBytes) {
  const fs::path other = work_.path() / "elsewhere";
  ASSERT_EQ(run_command({.argv = {"cp", "-a", project_.string(), other.string()}}).exit_code, 0);
  ASSERT_EQ(pack(project_).exit_code, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  const auto second = pack(other);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const auto compared = run_command({.argv = {"cmp", (project_ / "hello_0.1_amd64.rock").string(),
                                              (other / "hello_0.1_amd64.rock").string()}});
  EXPECT_EQ(compared.exit_code, 0) << compared.out;
}

// ISA-L, which deflates the layers, picks code for the CPU it runs on: SSE4.2 (Nehalem,
// 2008), AVX (Sandy Bridge), AVX2 (Haswell), AVX-512 (natively, where the machine has it).
// They write the same bytes, so the same rock comes out of every x86-64 machine from
// Nehalem on. qemu's user-mode emulator plays the older CPUs.
TEST_F(RockPackTest, EveryX86CpuFromNehalemOnPacksTheSameBytes) {
#if !defined(__x86_64__)
  GTEST_SKIP() << "the CPU models emulated here are x86-64 ones";
#elif defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "qemu's user-mode emulator has no room for ASan's shadow memory";
#endif
  std::string words;
  std::uint32_t state = 7;
  for (int i = 0; words.size() < (2U << 20); ++i) {
    state = state * 1103515245U + 12345U;
    words += "word" + std::to_string((state >> 16U) % 5000U) + ((i % 12 == 11) ? "\n" : " ");
  }
  write_file(project_ / "files/usr/share/words.txt", words);  // deflated, not stored
  ASSERT_EQ(pack(project_, {"--output", (work_.path() / "native").string()}).exit_code, 0);
  for (const std::string cpu : {"Nehalem", "SandyBridge", "Haswell"}) {
    fs::remove_all(project_ / ".gantry");  // packed again from nothing
    const fs::path output = work_.path() / cpu;
    const auto packed = pack(project_, {"--output", output.string()}, {"qemu-x86_64", "-cpu", cpu});
    ASSERT_EQ(packed.exit_code, 0) << cpu << ": " << packed.err;
    const auto compared =
        run_command({.argv = {"cmp", (work_.path() / "native/hello_0.1_amd64.rock").string(),
                              (output / "hello_0.1_amd64.rock").string()}});
    EXPECT_EQ(compared.exit_code, 0) << cpu << ": " << compared.out;
  }
  // Below SSE4.2 ISA-L's plain C code writes other bytes; layers cached by the packs above
  // are not reused by it, so its rock is the one it packs from nothing.
  const std::vector<std::string> plain_c{"qemu-x86_64", "-cpu", "qemu64"};
  const fs::path cached = work_.path() / "plain-c-cached";
  ASSERT_EQ(pack(project_, {"--output", cached.string()}, plain_c).exit_code, 0);
  fs::remove_all(project_ / ".gantry");
  const fs::path fresh = work_.path() / "plain-c-fresh";
  ASSERT_EQ(pack(project_, {"--output", fresh.string()}, plain_c).exit_code, 0);
  EXPECT_EQ(read_file(cached / "hello_0.1_amd64.rock"), read_file(fresh / "hello_0.1_amd64.rock"));
  EXPECT_NE(read_file(fresh / "hello_0.1_amd64.rock"),
            read_file(work_.path() / "native/hello_0.1_amd64.rock"));
}

TEST_F(RockPackTest, ARepackRebuildsOnlyThePartThatChangedAndOnlyItsLayer) {
  ASSERT_EQ(pack(project_).exit_code, 0);
  const fs::path rock = project_ / "hello_0.1_amd64.rock";
  const auto first = read_file(rock);
  const auto layers_before = skopeo_inspect(rock, false)["Layers"];

  const auto unchanged = pack(project_);
  ASSERT_EQ(unchanged.exit_code, 0) << unchanged.err;
  EXPECT_NE(unchanged.err.find("Nothing changed since the last pack"), std::string::npos)
      << unchanged.err;
  EXPECT_EQ(unchanged.err.find("Building"), std::string::npos);
  EXPECT_EQ(read_file(rock), first) << "nothing changed, so neither did a byte";

  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  write_file(project_ / "files/hello.sh", "#!/bin/sh\necho hello again\n");
  const auto edited = pack(project_);
  ASSERT_EQ(edited.exit_code, 0) << edited.err;
  EXPECT_NE(edited.err.find("Building files"), std::string::npos) << edited.err;
  EXPECT_NE(edited.err.find("Reusing extra"), std::string::npos);
  const auto layers_after = skopeo_inspect(rock, false)["Layers"];
  ASSERT_EQ(layers_after.size(), layers_before.size());
  EXPECT_EQ(layers_after[0], layers_before[0]) << "Pebble";
  EXPECT_EQ(layers_after[1], layers_before[1]) << "part extra";
  EXPECT_NE(layers_after[2], layers_before[2]) << "part files";
}

TEST_F(RockPackTest, CleanRemovesTheBuildStateSoTheNextPackStartsOver) {
  ASSERT_EQ(pack(project_).exit_code, 0);
  ASSERT_TRUE(fs::exists(project_ / ".gantry" / "rock-pack"));
  const auto cleaned = run_command(
      {.argv = {kGantry, "--output=plain", "rock-pack", "clean", "--project", project_.string()},
       .unset_env = {"GANTRY_PLUGIN_PATH"},
       .cwd = work_.path()});
  ASSERT_EQ(cleaned.exit_code, 0) << cleaned.err;
  EXPECT_FALSE(fs::exists(project_ / ".gantry" / "rock-pack"));
  EXPECT_TRUE(fs::exists(project_ / "hello_0.1_amd64.rock")) << "clean keeps the rock";
  const auto again = pack(project_);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("Building files"), std::string::npos) << again.err;
}

TEST_F(RockPackTest, APartNameThatClimbsIsRefusedBeforeAnythingIsWritten) {
  write_file(work_.path() / "precious.txt", "keep\n");
  std::string yaml = kRockcraft;
  yaml += "  ../../../precious:\n    plugin: nil\n";
  write_file(project_ / "rockcraft.yaml", yaml);
  const auto result = pack(project_);
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("invalid part name"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("rockcraft.yaml:"), std::string::npos);
  EXPECT_EQ(read_file(work_.path() / "precious.txt"), "keep\n");
  EXPECT_FALSE(fs::exists(project_ / ".gantry" / "rock-pack"));
}

TEST_F(RockPackTest, AScriptWritingIntoStageNeverReachesTheProjectsFiles) {
  std::string yaml = kRockcraft;
  yaml +=
      "  later:\n    plugin: nil\n    after: [files]\n    override-build: |\n"
      "      echo APPENDED >> \"$CRAFT_STAGE/srv/data.txt\"\n"
      "      chmod 600 \"$CRAFT_STAGE/usr/bin/hello\"\n";
  write_file(project_ / "rockcraft.yaml", yaml);
  const auto result = pack(project_);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(read_file(project_ / "files/srv/data.txt"), "data\n");
  EXPECT_EQ(fs::status(project_ / "files/hello.sh").permissions(), fs::perms(0755));
}

TEST_F(RockPackTest, AVersionSetByAPartIsCheckedBeforeItNamesAFile) {
  std::string yaml = kRockcraft;
  yaml.replace(yaml.find("version: \"0.1\"\n"), 15, "adopt-info: extra\n");
  yaml += "      craftctl set version=x/../../escaped\n";
  write_file(project_ / "rockcraft.yaml", yaml);
  const auto result = pack(project_);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("which is not a valid version"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(work_.path() / "escaped"));
}

TEST_F(RockPackTest, AProjectThatIsItsOwnSourceIsReusedDespiteItsRockAndGit) {
  write_file(project_ / "rockcraft.yaml",
             one_dump_part("self", "app", ".") + "    stage: [\"f*/srv/data.txt\"]\n");
  write_file(project_ / ".git/HEAD", "ref: refs/heads/main\n");
  ASSERT_EQ(pack(project_).exit_code, 0);
  const auto first = read_file(project_ / "self_1_amd64.rock");
  write_file(project_ / ".git/HEAD", "ref: refs/heads/other\n");
  const auto again = pack(project_);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("Nothing changed since the last pack"), std::string::npos) << again.err;
  EXPECT_EQ(read_file(project_ / "self_1_amd64.rock"), first);
  (void)unpack(project_ / "self_1_amd64.rock", "1");
  EXPECT_EQ(read_file(work_.path() / "bundle/rootfs/files/srv/data.txt"), "data\n");
  EXPECT_FALSE(fs::exists(work_.path() / "bundle/rootfs/rockcraft.yaml"));
}

// The python plugin with pip from Debian, fed by wheels the test builds into a local
// find-links folder (PyPI is not reachable here, and a build must not need it).
TEST_F(RockPackTest, ThePythonPluginInstallsWheelsForTheRocksPython) {
  const fs::path wheels = work_.path() / "wheels";
  fs::create_directories(wheels);
  const auto built = run_command(
      {.argv = {"/usr/bin/python3", "-c",
                "import sys, zipfile, hashlib, base64\n"
                "name = sys.argv[1] + '/gantry_hello-1.0-py3-none-any.whl'\n"
                "files = {'gantry_hello/__init__.py': b'GREETING = \"hi\"\\n',\n"
                "  'gantry_hello-1.0.dist-info/METADATA': b'Metadata-Version: 2.1\\nName: "
                "gantry-hello\\nVersion: 1.0\\n',\n"
                "  'gantry_hello-1.0.dist-info/WHEEL': b'Wheel-Version: 1.0\\nGenerator: test"
                "\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n'}\n"
                "record = ''\n"
                "with zipfile.ZipFile(name, 'w') as z:\n"
                "  for path, data in files.items():\n"
                "    z.writestr(path, data)\n"
                "    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=')"
                ".decode()\n"
                "    record += f'{path},sha256={digest},{len(data)}\\n'\n"
                "  record += 'gantry_hello-1.0.dist-info/RECORD,,\\n'\n"
                "  z.writestr('gantry_hello-1.0.dist-info/RECORD', record)\n",
                wheels.string()}});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  std::string yaml = kRockcraft;
  yaml +=
      "  deps:\n    plugin: python\n    source: files\n"
      "    python-packages: [gantry-hello]\n";
  write_file(project_ / "rockcraft.yaml", yaml);
  const auto result =
      run_command({.argv = {kGantry, "--output=plain", "rock-pack", "--project", project_.string(),
                            "--pebble", pebble_.string()},
                   .env = {{"PIP_FIND_LINKS", wheels.string()}, {"PIP_NO_INDEX", "1"}},
                   .unset_env = {"GANTRY_PLUGIN_PATH", "SOURCE_DATE_EPOCH", "PIP_INDEX_URL"},
                   .cwd = work_.path()});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("for Python 3.12 with pip"), std::string::npos) << result.err;
  (void)unpack(project_ / "hello_0.1_amd64.rock", "0.1");
  EXPECT_EQ(
      read_file(work_.path() /
                "bundle/rootfs/usr/local/lib/python3.12/dist-packages/gantry_hello/__init__.py"),
      "GREETING = \"hi\"\n");
}

TEST_F(RockPackTest, AnEditThatKeepsTheModificationTimeIsStillSeen) {
  ASSERT_EQ(pack(project_).exit_code, 0);
  const fs::path data = project_ / "files/srv/data.txt";
  const auto mtime = fs::last_write_time(data);
  write_file(data, "DATA\n");
  fs::last_write_time(data, mtime);
  const auto result = pack(project_);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("Building files"), std::string::npos) << result.err;
  (void)unpack(project_ / "hello_0.1_amd64.rock", "0.1");
  EXPECT_EQ(read_file(work_.path() / "bundle/rootfs/srv/data.txt"), "DATA\n");
}

TEST_F(RockPackTest, CraftctlSetsTheVersionAdoptedFromAPart) {
  std::string yaml = kRockcraft;
  yaml.replace(yaml.find("version: \"0.1\"\n"), 15, "adopt-info: extra\n");
  yaml += "      craftctl set version=\"2.$(echo 5)\"\n";
  write_file(project_ / "rockcraft.yaml", yaml);
  const auto result = pack(project_);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(fs::exists(project_ / "hello_2.5_amd64.rock")) << result.out;
}

TEST_F(RockPackTest, CraftctlIsAProgramThatConcurrentCallersCanUse) {
  std::string yaml = kRockcraft;
  yaml +=
      "      craftctl set a=one\n      craftctl set b=two\n"
      "      for i in $(seq 20); do\n"
      "        ( [ \"$(sh -c 'craftctl get a')\" = one ] && [ \"$(craftctl get b)\" = two ] ||"
      " echo MISMATCH >> \"$CRAFT_PART_INSTALL/mismatch\" ) &\n"
      "      done\n      wait\n";
  write_file(project_ / "rockcraft.yaml", yaml);
  const auto result = pack(project_);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(fs::exists(project_ / ".gantry/rock-pack/amd64/parts/extra/install/mismatch"));
}

TEST_F(RockPackTest, AFailingPartShowsItsOutputAndLeavesThePreviousRockIntact) {
  ASSERT_EQ(pack(project_).exit_code, 0);
  const auto before = read_file(project_ / "hello_0.1_amd64.rock");
  std::string yaml = kRockcraft;
  yaml += "      echo 'the compiler said no' >&2\n      exit 3\n";
  write_file(project_ / "rockcraft.yaml", yaml);
  const auto result = pack(project_);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("part 'extra' failed: its override-build script exited with 3"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("the compiler said no"), std::string::npos);
  EXPECT_EQ(read_file(project_ / "hello_0.1_amd64.rock"), before);
}

TEST_F(RockPackTest, AFullDiskFailsThePackSaysWhatToDoAndLeavesThePreviousRockIntact) {
  ASSERT_EQ(pack(project_).exit_code, 0);
  const auto before = read_file(project_ / "hello_0.1_amd64.rock");
  std::string noise(2U << 20, '\0');
  std::uint32_t state = 11;
  for (auto& byte : noise) {
    state = state * 1664525U + 1013904223U;
    byte = static_cast<char>(state >> 24U);
  }
  write_file(project_ / "files/srv/noise.bin", noise);  // stored: a layer of 2 MiB
  // Files stop growing at 1 MiB, as on a full disk: writes past it fail with EFBIG.
  const auto result =
      pack(project_, {}, {"bash", "-c", "trap '' XFSZ; ulimit -f 1024; exec \"$0\" \"$@\""});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("File too large"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("Recommended resolution: Free some disk space"), std::string::npos)
      << result.err;
  EXPECT_EQ(read_file(project_ / "hello_0.1_amd64.rock"), before);
  for (const auto& entry : fs::directory_iterator(project_)) {
    const auto name = entry.path().filename().string();
    EXPECT_TRUE(name == ".gantry" || !name.starts_with(".")) << "left behind: " << name;
  }
  for (const auto& entry : fs::recursive_directory_iterator(project_ / ".gantry/rock-pack")) {
    const auto name = entry.path().filename().string();
    EXPECT_FALSE(name.starts_with(".layer-") || name.find(".tmp-") != std::string::npos ||
                 name == ".trash")
        << "left behind: " << entry.path();
  }
}

TEST_F(RockPackTest, ACtrlCWhileALayerIsWrittenStopsItAndLeavesThePreviousRockIntact) {
  write_file(project_ / "rockcraft.yaml", one_dump_part("big", "big", "big"));
  write_file(project_ / "big/first", "first\n");
  ASSERT_EQ(pack(project_).exit_code, 0);
  const auto before = read_file(project_ / "big_1_amd64.rock");
  std::uint32_t state = 5;
  for (int file = 0; file < 2000; ++file) {  // 64 MB of text
    std::string text;
    while (text.size() < 32768) {
      state = state * 1103515245U + 12345U;
      text += "line " + std::to_string(state >> 8U) + "\n";
    }
    write_file(project_ / "big" / ("file-" + std::to_string(file)), text);
  }
  BackgroundCommand packing(
      {.argv = {kGantry, "--output=plain", "rock-pack", "--project", project_.string()},
       .unset_env = {"GANTRY_PLUGIN_PATH", "SOURCE_DATE_EPOCH"},
       .cwd = work_.path()});
  ASSERT_TRUE(packing.wait_for_stderr("Priming big", std::chrono::seconds(60)));
  packing.signal(SIGINT);
  const auto result = packing.wait();
  EXPECT_EQ(result.exit_code, 130) << result.err;
  EXPECT_NE(result.err.find("[rock-pack] cancelled"), std::string::npos) << result.err;
  EXPECT_EQ(read_file(project_ / "big_1_amd64.rock"), before);
  for (const auto& entry : fs::directory_iterator(project_)) {
    const auto name = entry.path().filename().string();
    EXPECT_TRUE(name == ".gantry" || !name.starts_with(".")) << "left behind: " << name;
  }
}

TEST_F(RockPackTest, AStageConflictNamesBothParts) {
  std::string yaml = kRockcraft;
  yaml +=
      "      mkdir -p \"$CRAFT_PART_INSTALL/usr/bin\"\n"
      "      echo other > \"$CRAFT_PART_INSTALL/usr/bin/hello\"\n";
  write_file(project_ / "rockcraft.yaml", yaml);
  const auto result = pack(project_);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("Parts 'extra' and 'files' list the following files: usr/bin/hello"),
            std::string::npos)
      << result.err;
}

TEST_F(RockPackTest, ASourceTarballThatClimbsOutIsRefused) {
  const fs::path tarball = project_ / "evil.tar";
  ASSERT_EQ(run_command({.argv = {"/usr/bin/python3", "-c",
                                  "import io,tarfile,sys\n"
                                  "t=tarfile.open(sys.argv[1],'w')\n"
                                  "i=tarfile.TarInfo('../../../escaped');d=b'x';i.size=1\n"
                                  "t.addfile(i,io.BytesIO(d));t.close()\n",
                                  tarball.string()}})
                .exit_code,
            0);
  std::string yaml = kRockcraft;
  yaml += "  evil:\n    plugin: dump\n    source: evil.tar\n";
  write_file(project_ / "rockcraft.yaml", yaml);
  const auto result = pack(project_);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("part 'evil' has a source tarball that is refused"), std::string::npos)
      << result.err;
  EXPECT_FALSE(fs::exists(work_.path() / "escaped"));
  EXPECT_FALSE(fs::exists(project_ / ".gantry" / "escaped"));
}

TEST_F(RockPackTest, ARockWithServicesAndNoPebbleSaysWhereToGetOne) {
  const auto result =
      run_command({.argv = {kGantry, "--output=plain", "rock-pack", "--project", project_.string()},
                   .unset_env = {"GANTRY_PLUGIN_PATH", "GANTRY_PEBBLE"},
                   .cwd = work_.path()});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("--pebble PATH or GANTRY_PEBBLE=PATH"), std::string::npos)
      << result.err;
}

TEST_F(RockPackTest, AnInvalidProjectNamesFileLineAndColumn) {
  std::string yaml = kRockcraft;
  yaml.replace(0, 11, "name: Hello");
  write_file(project_ / "rockcraft.yaml", yaml);
  const auto result = pack(project_);
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("rockcraft.yaml:1:7"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("invalid name"), std::string::npos) << result.err;
}

// An ubuntu@22.04 rock on a base image the test builds with umoci and serves from a
// loopback registry (as --base-image points a user at a mirror): the base's layers come
// first and unchanged, its Env stays, files it already has are pruned, and /bin, a symlink
// in the base, stays one (usrmerge).
TEST_F(RockPackTest, AnUbuntuRockIsBuiltOnTheBaseImageItIsGiven) {
  const fs::path base_root = work_.path() / "base-root";
  write_file(base_root / "usr/bin/base-tool", "#!/bin/sh\n");
  fs::create_symlink("usr/bin", base_root / "bin");
  write_file(base_root / "etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
  write_file(base_root / "etc/group", "root:x:0:\n");
  write_file(base_root / "etc/shared.conf", "same\n");
  const fs::path base_layout = work_.path() / "base-layout";
  for (const auto& argv : std::vector<std::vector<std::string>>{
           {"umoci", "init", "--layout", base_layout.string()},
           {"umoci", "new", "--image", base_layout.string() + ":22.04"},
           {"umoci", "insert", "--image", base_layout.string() + ":22.04", base_root.string(), "/"},
           {"umoci", "config", "--image", base_layout.string() + ":22.04", "--config.env",
            "BASEVAR=from-base", "--config.env", "PATH=/usr/sbin:/usr/bin:/sbin:/bin"}}) {
    const auto made = run_command({.argv = argv});
    ASSERT_EQ(made.exit_code, 0) << argv[1] << ": " << made.err;
  }
  RegistryFixture registry;
  const std::string base_ref = "docker://" + registry.host() + "/ubuntu:22.04";
  ASSERT_EQ(run_command({.argv = {"skopeo", "copy", "-q", "--dest-tls-verify=false",
                                  "oci:" + base_layout.string() + ":22.04", base_ref}})
                .exit_code,
            0);
  std::string yaml = kRockcraft;
  yaml.replace(yaml.find("base: bare\nbuild-base: ubuntu@24.04\n"), 35, "base: ubuntu@22.04\n");
  write_file(project_ / "rockcraft.yaml", yaml);
  write_file(project_ / "files/etc/shared.conf", "same\n");
  write_file(project_ / "files/bin/app", "#!/bin/sh\necho app\n");
  const auto result = pack(project_, {"--base-image", base_ref, "--base-tls-verify=false"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const fs::path rock = project_ / "hello_0.1_amd64.rock";

  const auto base_inspect =
      run_command({.argv = {"skopeo", "inspect", "--tls-verify=false", base_ref}});
  const auto base_layers = json::parse(base_inspect.out)["Layers"];
  const auto inspect = skopeo_inspect(rock, false);
  ASSERT_GE(inspect["Layers"].size(), base_layers.size() + 1);
  EXPECT_EQ(inspect["Layers"][0], base_layers[0]);
  EXPECT_NE(inspect["Labels"]["org.opencontainers.image.base.digest"], nullptr);
  const auto env = skopeo_inspect(rock, true)["config"]["Env"];
  EXPECT_NE(std::find(env.begin(), env.end(), "BASEVAR=from-base"), env.end()) << env.dump();
  EXPECT_NE(std::find(env.begin(), env.end(), "GREETING=hello"), env.end());
  EXPECT_EQ(skopeo_inspect(rock, true)["config"]["Entrypoint"],
            json::array({"/bin/pebble", "enter"}));

  const fs::path rootfs = unpack(rock, "0.1");
  const fs::path layout = work_.path() / "layout";
  EXPECT_TRUE(fs::is_symlink(rootfs / "bin")) << "usrmerge kept";
  EXPECT_EQ(read_file(rootfs / "usr/bin/app"), "#!/bin/sh\necho app\n");
  EXPECT_TRUE(fs::exists(rootfs / "usr/bin/pebble"));
  EXPECT_TRUE(fs::exists(rootfs / "usr/bin/base-tool"));
  const auto passwd = read_file(rootfs / "etc/passwd");
  EXPECT_NE(passwd.find("root:x:0:0:"), std::string::npos) << passwd;
  EXPECT_NE(passwd.find("_daemon_:x:584792:"), std::string::npos);
  // The layer of part 'files' (after the base, Pebble and part 'extra') does not carry
  // the pruned file.
  const std::string part_layer = inspect["Layers"][base_layers.size() + 2];
  const auto listing = run_command(
      {.argv = {"tar", "-tzf",
                (layout / "blobs/sha256" / part_layer.substr(part_layer.find(':') + 1)).string()}});
  ASSERT_EQ(listing.exit_code, 0) << listing.err;
  EXPECT_EQ(listing.out.find("shared.conf"), std::string::npos) << listing.out;
  EXPECT_NE(listing.out.find("usr/bin/app"), std::string::npos) << listing.out;
  EXPECT_EQ(listing.out.find("\nbin/"), std::string::npos) << listing.out;

  // Again, with the base taken from the cache (only its manifest is asked for): the same
  // bytes.
  ASSERT_TRUE(fs::exists(project_ / ".gantry/rock-pack/amd64/cache/base"));
  const auto first = read_file(rock);
  fs::remove_all(project_ / ".gantry/rock-pack/amd64/primed.json");
  const auto again = pack(project_, {"--base-image", base_ref, "--base-tls-verify=false"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(read_file(rock), first);
}

// The real thing: a bare rock whose content comes from stage-packages of Debian's
// python3-flask and gunicorn (this machine's apt sources) plus a small app, run by podman
// and answering an HTTP request.
TEST_F(RockPackTest, ABareFlaskRockFromStagePackagesServesUnderPodman) {
  const fs::path project = work_.path() / "flask";
  fs::copy(fs::path(GANTRY_SOURCE_DIR) / "tests/integration/fixtures/rock/flask-bare", project,
           fs::copy_options::recursive);
  const auto packed =
      run_command({.argv = {kGantry, "--output=plain", "rock-pack", "--project", project.string()},
                   .unset_env = {"GANTRY_PLUGIN_PATH"},
                   .cwd = work_.path(),
                   .timeout = std::chrono::seconds(600)});
  ASSERT_EQ(packed.exit_code, 0) << packed.err;
  const fs::path rock = project / "flask-hello_0.2_amd64.rock";
  ASSERT_TRUE(fs::exists(rock));

  // podman with its own vfs storage and runc, as the test support runs it.
  const PodmanFixture podman;
  const auto with = [&](std::vector<std::string> args) { return podman.podman(std::move(args)); };
  const int port = 20000 + static_cast<int>(::getpid() % 20000);
  const auto started =
      with({"run", "-d", "--name", "flask-hello", "--ulimit", "nofile=1024:1024", "--ulimit",
            "nproc=1024:1024", "-p", "127.0.0.1:" + std::to_string(port) + ":8000",
            "oci-archive:" + rock.string()});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  const auto answer = wait_for_http("http://127.0.0.1:" + std::to_string(port) + "/");
  const auto logs = with({"logs", "flask-hello"});
  (void)with({"rm", "-f", "flask-hello"});
  EXPECT_EQ(answer.exit_code, 0) << logs.out << logs.err;
  EXPECT_EQ(answer.out, "hello from a gantry rock\n");
}

}  // namespace
}  // namespace gantry::testing
