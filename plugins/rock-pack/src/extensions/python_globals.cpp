#include "extensions/python_globals.hpp"

#include <array>
#include <cctype>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

namespace gantry::rock_pack {
namespace {

constexpr std::array<std::string_view, 35> kKeywords{
    "False", "None",     "True",  "and",    "as",   "assert", "async",  "await",    "break",
    "class", "continue", "def",   "del",    "elif", "else",   "except", "finally",  "for",
    "from",  "global",   "if",    "import", "in",   "is",     "lambda", "nonlocal", "not",
    "or",    "pass",     "raise", "return", "try",  "while",  "with",   "yield"};

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  return text;
}

bool identifier(std::string_view text) {
  if (text.empty() || std::isdigit(static_cast<unsigned char>(text.front())) != 0) {
    return false;
  }
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) == 0 && c != '_' && u < 0x80) {
      return false;
    }
  }
  for (const auto keyword : kKeywords) {
    if (text == keyword) {
      return false;
    }
  }
  return true;
}

/// One statement at the top level, strings blanked out to "" and comments dropped.
struct Statement {
  std::string text;
};

class Scanner {
 public:
  Scanner(std::string_view source, std::filesystem::path file)
      : source_(source), file_(std::move(file)) {
    if (source_.starts_with("\xEF\xBB\xBF")) {
      source_.remove_prefix(3);
    }
  }

  std::vector<Statement> statements() {
    bool line_start = true;
    bool top_level = false;  // the current logical line began in column 0
    for (pos_ = 0; pos_ < source_.size(); ++pos_) {
      const char c = source_[pos_];
      if (line_start) {
        line_start = false;
        top_level = c != ' ' && c != '\t' && c != '\f';
      }
      if (c == '\n') {
        ++line_;
        if (brackets_.empty() && !continued_) {
          finish(top_level);
          line_start = true;
        }
        continued_ = false;
        continue;
      }
      continued_ = false;
      if (c == '#') {
        while (pos_ + 1 < source_.size() && source_[pos_ + 1] != '\n') {
          ++pos_;
        }
        continue;
      }
      if (c == '\\') {
        continued_ = pos_ + 1 < source_.size() && source_[pos_ + 1] == '\n';
        if (continued_) {
          continue;
        }
      }
      if (c == '"' || c == '\'') {
        skip_string(c);
        current_ += "\"\"";
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        brackets_.push_back({c, line_});
      } else if (c == ')' || c == ']' || c == '}') {
        close_bracket(c);
      } else if (c == ';' && brackets_.empty()) {
        finish(top_level);
        continue;
      }
      current_ += c;
    }
    if (!brackets_.empty()) {
      fail(std::string("'") + brackets_.back().kind + "' was never closed");
    }
    finish(top_level);
    return std::move(statements_);
  }

 private:
  struct Open {
    char kind;
    int line;
  };

  void finish(bool top_level) {
    if (top_level && !trimmed(current_).empty()) {
      statements_.push_back({current_});
    }
    current_.clear();
  }

  void close_bracket(char c) {
    const char expected = c == ')' ? '(' : c == ']' ? '[' : '{';
    if (brackets_.empty()) {
      fail(std::string("unmatched '") + c + "'");
    }
    if (brackets_.back().kind != expected) {
      // Python calls every bracket a parenthesis in this message.
      fail(std::string("closing parenthesis '") + c + "' does not match opening parenthesis '" +
           brackets_.back().kind + "'");
    }
    brackets_.pop_back();
  }

  /// Moves past a string literal opened by `quote` at pos_.
  void skip_string(char quote) {
    const bool triple = source_.compare(pos_, 3, std::string(3, quote)) == 0;
    const int start_line = line_;
    pos_ += triple ? 3 : 1;
    for (; pos_ < source_.size(); ++pos_) {
      const char c = source_[pos_];
      if (c == '\\') {
        if (pos_ + 1 < source_.size() && source_[pos_ + 1] == '\n') {
          ++line_;
        }
        ++pos_;
        continue;
      }
      if (c == '\n') {
        if (!triple) {
          fail("unterminated string literal (detected at line " + std::to_string(start_line) + ")");
        }
        ++line_;
        continue;
      }
      if (c == quote) {
        if (!triple) {
          return;
        }
        if (source_.compare(pos_, 3, std::string(3, quote)) == 0) {
          pos_ += 2;
          return;
        }
      }
    }
    // Python counts the line the file ends on, not a line after its final newline.
    const int last_line = source_.ends_with('\n') ? line_ - 1 : line_;
    fail(triple
             ? "unterminated triple-quoted string literal (detected at line " +
                   std::to_string(last_line) + ")"
             : "unterminated string literal (detected at line " + std::to_string(start_line) + ")");
  }

  [[noreturn]] void fail(const std::string& message) const {
    throw PythonSyntaxError(file_, message);
  }

  std::string_view source_;
  std::filesystem::path file_;
  std::size_t pos_ = 0;
  int line_ = 1;
  bool continued_ = false;
  std::vector<Open> brackets_;
  std::string current_;
  std::vector<Statement> statements_;
};

/// The names `from X import a, b as c` binds (none for `*`).
void read_import(std::string_view names, std::set<std::string>& into) {
  names = trimmed(names);
  if (names.starts_with('(') && names.ends_with(')')) {
    names = names.substr(1, names.size() - 2);
  }
  while (!names.empty()) {
    const auto comma = names.find(',');
    std::string_view item = trimmed(names.substr(0, comma));
    names = comma == std::string_view::npos ? std::string_view() : names.substr(comma + 1);
    if (const auto as = item.find(" as "); as != std::string_view::npos) {
      item = trimmed(item.substr(as + 4));
    }
    if (identifier(item)) {
      into.emplace(item);
    }
  }
}

/// The plain names an assignment statement binds: every `=`-separated target but the value.
void read_assignment(std::string_view statement, std::set<std::string>& into) {
  std::vector<std::string_view> parts;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < statement.size(); ++i) {
    const char c = statement[i];
    if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      --depth;
    } else if (c == '=' && depth == 0) {
      const char before = i > 0 ? statement[i - 1] : ' ';
      const char after = i + 1 < statement.size() ? statement[i + 1] : ' ';
      if (after == '=' ||
          std::string_view("=<>!:+-*/%&|^@~").find(before) != std::string_view::npos) {
        if (after == '=') {
          ++i;
        }
        continue;
      }
      parts.push_back(statement.substr(start, i - start));
      start = i + 1;
    }
  }
  for (const auto target : parts) {
    if (const auto name = trimmed(target); identifier(name)) {
      into.emplace(name);
    }
  }
}

}  // namespace

PythonGlobals scan_python_globals(const std::string& source, const std::filesystem::path& file) {
  PythonGlobals globals;
  for (const auto& statement : Scanner(source, file).statements()) {
    const std::string_view text = trimmed(statement.text);
    if (text.starts_with("def ") || text.starts_with("def\t")) {
      const auto name = trimmed(text.substr(4, text.find('(') - 4));
      if (identifier(name)) {
        globals.functions.emplace(name);
      }
      continue;
    }
    if (text.starts_with("from ")) {
      if (const auto at = text.find(" import "); at != std::string_view::npos) {
        read_import(text.substr(at + 8), globals.variables);
      }
      continue;
    }
    read_assignment(text, globals.variables);
  }
  return globals;
}

PythonGlobals read_python_globals(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return scan_python_globals(text.str(), file);
}

}  // namespace gantry::rock_pack
