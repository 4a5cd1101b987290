// dump_pyyaml against the real PyYAML (Debian's /usr/bin/python3 with python3-yaml),
// with charmcraft's representer for multi-line strings (utils.dump_yaml).
#include "gantry/yaml/pyyaml_emitter.hpp"

#include <gtest/gtest.h>

#include "command.hpp"
#include "gantry/sdk/temporary_directory.hpp"

namespace gantry::yaml {
namespace {

namespace fs = std::filesystem;

std::string python_dump(const std::string& document, bool sort) {
  const sdk::TemporaryDirectory dir("gantry-pyyaml-test-");
  testing::write_file(dir.path() / "in.yaml", document);
  const auto result = testing::run_command(
      {.argv = {"/usr/bin/python3", "-c",
                "import sys, yaml\n"
                "def literal(dumper, data):\n"
                "    style = '|' if '\\n' in data else None\n"
                "    return dumper.represent_scalar('tag:yaml.org,2002:str', data, style=style)\n"
                "yaml.add_representer(str, literal, Dumper=yaml.SafeDumper)\n"
                "data = yaml.safe_load(open(sys.argv[1]))\n"
                "sys.stdout.write(yaml.safe_dump(data, default_flow_style=False, "
                "sort_keys=sys.argv[2] == 'sort'))\n",
                (dir.path() / "in.yaml").string(), sort ? "sort" : "keep"}});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out;
}

void expect_like_pyyaml(const std::string& document) {
  for (const bool sort : {false, true}) {
    EXPECT_EQ(dump_pyyaml(YAML::Load(document), sort ? KeyOrder::kSorted : KeyOrder::kAsGiven),
              python_dump(document, sort))
        << document;
  }
}

TEST(PyyamlEmitterTest, NestedMappingsAndListsAreIndentedAsPyyamlDoes) {
  expect_like_pyyaml(
      "zeta: 1\nalpha:\n  b: [x, y]\n  a: {c: null, d: true}\nlist:\n- name: ubuntu\n  channel: "
      "'22.04'\n  architectures: [amd64]\n- - nested\n  - again\nempty_map: {}\nempty_list: []\n");
}

TEST(PyyamlEmitterTest, ScalarsThatWouldReadBackAsOtherTypesAreQuoted) {
  expect_like_pyyaml(
      "a: '22.04'\nb: 'true'\nc: 'yes'\nd: '123'\ne: ''\nf: 'null'\ng: '~'\nh: 'a: b'\n"
      "i: '- x'\nj: 'x #y'\nk: \"it's\"\nl: '*star'\nm: plain-text\nn: 0x1F\no: 1.5\np: no\n"
      "q: 'trailing '\nr: ':colon'\n");
}

TEST(PyyamlEmitterTest, LongScalarsFoldPastColumnEighty) {
  expect_like_pyyaml(
      "actions:\n  rotate-secret-key:\n    description: Rotate the secret key. Users will be "
      "forced to log in again. This might be useful if a security breach occurs.\n"
      "quoted: 'This configuration: a long text that needs quotes because of the colon and "
      "space, and it goes on and on past the width'\n"
      "list:\n- one very long item in a sequence that goes past the eighty column limit of "
      "PyYAML's emitter\n");
}

TEST(PyyamlEmitterTest, MultiLineStringsAreLiteralBlocks) {
  expect_like_pyyaml(
      "description: |\n  A comprehensive overview.\n  Second line.\n"
      "script: \"rustup default stable\\ncraftctl default\"\nkeep: \"a\\n\\n\"\n"
      "inner:\n  text: |\n    one\n\n    two\n");
}

}  // namespace
}  // namespace gantry::yaml
