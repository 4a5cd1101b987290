#include "extensions/python_globals.hpp"

#include <gtest/gtest.h>

namespace gantry::rock_pack {
namespace {

PythonGlobals scan(const std::string& source) { return scan_python_globals(source, "app.py"); }

std::string syntax_error(const std::string& source) {
  try {
    (void)scan(source);
  } catch (const PythonSyntaxError& error) {
    return error.what();
  }
  return "no error";
}

TEST(PythonGlobals, TopLevelAssignmentsAndImportsCountAsPythonsAstSeesThem) {
  const auto globals = scan(
      "import flask\n"
      "from .factory import build as application, other\n"
      "app = application = flask.Flask(__name__)\n"
      "config: dict = {}\n"  // annotated: not an ast.Assign
      "counter += 1\n"       // augmented
      "a, b = 1, 2\n"        // a tuple target
      "x == y\n"
      "handler = lambda req=None: req\n");
  EXPECT_TRUE(globals.variables.contains("app"));
  EXPECT_TRUE(globals.variables.contains("application"));
  EXPECT_TRUE(globals.variables.contains("other"));
  EXPECT_TRUE(globals.variables.contains("handler"));
  EXPECT_FALSE(globals.variables.contains("build"));
  EXPECT_FALSE(globals.variables.contains("config"));
  EXPECT_FALSE(globals.variables.contains("counter"));
  EXPECT_FALSE(globals.variables.contains("a"));
  EXPECT_FALSE(globals.variables.contains("x"));
  EXPECT_FALSE(globals.variables.contains("req"));
}

TEST(PythonGlobals, NamesInsideBlocksStringsAndCommentsDoNotCount) {
  const auto globals = scan(
      "def create_app():\n"
      "    app = Flask(__name__)\n"
      "    return app\n"
      "if __name__ == '__main__':\n"
      "    application = 1\n"
      "'''\n"
      "app = 'in a docstring'\n"
      "'''\n"
      "# app = 'in a comment'\n"
      "settings = dict(\n"
      "    app=1,\n"
      ")\n"
      "print('=', \"app = 1\"); make_app = None\n");
  EXPECT_EQ(globals.variables, (std::set<std::string>{"settings", "make_app"}));
  EXPECT_EQ(globals.functions, (std::set<std::string>{"create_app"}));
}

TEST(PythonGlobals, UnclosedBracketsAndStringsAreSyntaxErrorsInPythonsWords) {
  EXPECT_EQ(syntax_error("app = Flask(\n"), "'(' was never closed");
  EXPECT_EQ(syntax_error("app = [1)\n"),
            "closing parenthesis ')' does not match opening parenthesis '['");
  EXPECT_EQ(syntax_error("app = 1)\n"), "unmatched ')'");
  EXPECT_EQ(syntax_error("x = 1\napp = 'open\n"),
            "unterminated string literal (detected at line 2)");
  EXPECT_EQ(syntax_error("x = 1\n\"\"\"never\nclosed\n"),
            "unterminated triple-quoted string literal (detected at line 3)");
}

}  // namespace
}  // namespace gantry::rock_pack
