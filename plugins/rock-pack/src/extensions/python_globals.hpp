// What the framework extensions learn from an application's Python source: the names its
// module binds at the top level, as rockcraft finds them with Python's `ast` (RC
// rockcraft/extensions/_python_utils.py): plain assignments (`app = Flask(...)`,
// `app = application = ...`), `from ... import` names and aliases, and function
// definitions. Annotated and augmented assignments, tuple targets, `import x` and anything
// inside a block do not count, as they do not for rockcraft.
#pragma once

#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>

namespace gantry::rock_pack {

/// A Python file the scanner cannot read as Python: Python's SyntaxError, with its wording
/// where gantry detects the same mistake (an unclosed bracket or string).
class PythonSyntaxError : public std::runtime_error {
 public:
  PythonSyntaxError(std::filesystem::path file, const std::string& message)
      : std::runtime_error(message), file_(std::move(file)) {}
  [[nodiscard]] const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
};

struct PythonGlobals {
  std::set<std::string> variables;  ///< assigned or imported at the top level
  std::set<std::string> functions;  ///< `def NAME(` at the top level (not `async def`)
};

/// The top-level names of `source`; throws PythonSyntaxError naming `file`.
PythonGlobals scan_python_globals(const std::string& source, const std::filesystem::path& file);

/// The same for a file on disk.
PythonGlobals read_python_globals(const std::filesystem::path& file);

}  // namespace gantry::rock_pack
