#include "gantry/deb/apt_config.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <vector>

#include "file_text.hpp"
#include "gantry/deb/deb_error.hpp"

namespace gantry::deb {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxIncludeDepth = 10;  // apt's limit on nested #include

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

// Whether `text` before `position` holds an odd number of '"': `position` is quoted.
bool quoted_at(std::string_view text, std::size_t position) {
  return std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(position), '"') % 2 !=
         0;
}

// apt's ParseQuoteWord: a word up to whitespace, in which "..." and [...] may hold
// spaces; the quotes are dropped and %XX decoded. Consumes the word and the whitespace
// after it.
std::optional<std::string> parse_quote_word(std::string_view& rest) {
  std::size_t i = 0;
  while (i < rest.size() && rest[i] == ' ') {
    ++i;
  }
  if (i == rest.size()) {
    return std::nullopt;
  }
  const std::size_t start = i;
  for (; i < rest.size() && !is_space(rest[i]); ++i) {
    for (const auto& [opener, closer] : {std::pair{'"', '"'}, std::pair{'[', ']'}}) {
      if (rest[i] == opener) {
        i = rest.find(closer, i + 1);
        if (i == std::string_view::npos) {
          return std::nullopt;
        }
      }
    }
  }
  std::string word;
  for (std::size_t at = start; at < i; ++at) {
    if (rest[at] == '%' && at + 2 < i && std::isxdigit(static_cast<unsigned char>(rest[at + 1])) &&
        std::isxdigit(static_cast<unsigned char>(rest[at + 2]))) {
      word += static_cast<char>(std::stoi(std::string(rest.substr(at + 1, 2)), nullptr, 16));
      at += 2;
    } else if (rest[at] != '"') {
      word += rest[at];
    }
  }
  while (i < rest.size() && is_space(rest[i])) {
    ++i;
  }
  rest.remove_prefix(i);
  return word;
}

// apt's ParseCWord: one or more "..." strings separated by whitespace, concatenated with
// one space for each run of whitespace between them. Consumes everything on success.
std::optional<std::string> parse_c_word(std::string_view& rest) {
  std::size_t i = 0;
  while (i < rest.size() && rest[i] == ' ') {
    ++i;
  }
  if (i == rest.size()) {
    return std::nullopt;
  }
  std::string word;
  for (; i < rest.size(); ++i) {
    if (rest[i] == '"') {
      const auto close = rest.find('"', i + 1);
      if (close == std::string_view::npos) {
        return std::nullopt;
      }
      word += rest.substr(i + 1, close - i - 1);
      i = close;
      continue;
    }
    if (i != 0 && is_space(rest[i]) && is_space(rest[i - 1])) {
      continue;
    }
    if (!is_space(rest[i])) {
      return std::nullopt;
    }
    word += ' ';
  }
  rest = {};
  return word;
}

// apt reads only some names in a configuration directory (GetListOfFilesInDir with
// "conf" and no extension allowed): run-parts-like names, ".conf" or no extension.
bool is_config_part(const std::string& name) {
  if (name.empty() || name.front() == '.' || name.back() == '.') {
    return false;
  }
  if (const auto dot = name.rfind('.'); dot != std::string::npos && name.substr(dot) != ".conf") {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '_' || c == '-' || c == ':' || c == '.';
  });
}

}  // namespace

std::optional<bool> parse_apt_bool(std::string_view text) {
  const std::string word = lower(text);
  for (const char* no : {"0", "no", "false", "without", "off", "disable"}) {
    if (word == no) {
      return false;
    }
  }
  for (const char* yes : {"1", "yes", "true", "with", "on", "enable"}) {
    if (word == yes) {
      return true;
    }
  }
  return std::nullopt;
}

void AptConfig::read(std::string_view text, const std::string& origin) { read(text, origin, 0); }
void AptConfig::read_file(const fs::path& file) { read_file(file, 0); }
void AptConfig::read_directory(const fs::path& directory) { read_directory(directory, 0); }

// apt's ReadConfigFile, statement by statement: a statement ends at ';', '{' or '}'
// outside quotes and may span lines.
void AptConfig::read(std::string_view text, const std::string& origin, int depth) {
  std::string statement;
  std::vector<std::string> scopes;  // the enclosing block names, outermost first
  std::string parent;
  bool in_comment = false;
  std::uint32_t number = 0;
  const auto fail = [&](const std::string& what) {
    throw DebError(origin + ":" + std::to_string(number) + ": " + what,
                   "Fix the apt configuration; apt refuses it too ('apt-config dump' shows "
                   "how apt reads it).");
  };
  const auto leave_scope = [&] {
    parent = scopes.empty() ? std::string() : scopes.back();
    if (!scopes.empty()) {
      scopes.pop_back();
    }
  };
  std::size_t offset = 0;
  while (offset < text.size()) {
    const auto end = std::min(text.find('\n', offset), text.size());
    std::string input;
    for (const char c : text.substr(offset, end - offset)) {
      if (c == '\t') {
        input.append(8, ' ');  // apt expands tabs, even in values
      } else {
        input += c;
      }
    }
    offset = end + 1;
    ++number;
    std::string_view line = trim(input);

    if (in_comment) {
      const auto close = line.find("*/");
      if (close == std::string_view::npos) {
        continue;
      }
      line.remove_prefix(close + 2);
      in_comment = false;
    }
    for (std::size_t at = 0; (at = line.find("//", at)) != std::string_view::npos; ++at) {
      if (!quoted_at(line, at)) {
        line = line.substr(0, at);
        break;
      }
    }
    for (std::size_t at = 0; (at = line.find('#', at)) != std::string_view::npos; ++at) {
      const auto after = line.substr(at + 1);
      const bool directive = after.starts_with("clear") || after.starts_with("include") ||
                             after.starts_with("x-apt-configure-index");
      if (!quoted_at(line, at) && !directive) {
        line = line.substr(0, at);
        break;
      }
    }
    std::string fragment;
    for (std::size_t at = 0; (at = line.find("/*", at)) != std::string_view::npos;) {
      if (quoted_at(line, at)) {
        at += 2;
        continue;
      }
      fragment += line.substr(0, at);
      const auto close = line.find("*/", at + 2);
      if (close == std::string_view::npos) {
        line = {};
        in_comment = true;
        break;
      }
      line.remove_prefix(close + 2);
      at = 0;
    }
    fragment += line;

    bool in_quote = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < fragment.size(); ++i) {
      const char terminator = fragment[i];
      if (terminator == '"') {
        in_quote = !in_quote;
      }
      if (in_quote || (terminator != '{' && terminator != ';' && terminator != '}')) {
        continue;
      }
      const auto piece = trim(std::string_view(fragment).substr(start, i - start));
      if (!statement.empty() && !piece.empty()) {
        statement += ' ';
      }
      statement += piece;
      start = i + 1;
      if (terminator == '{' && statement.empty()) {
        fail("a block starts with no name");
      }
      if (statement.empty()) {
        if (terminator == '}') {
          leave_scope();
        }
        continue;
      }

      std::string_view rest = statement;
      auto tag = parse_quote_word(rest);
      if (!tag) {
        fail("the name in '" + statement + "' is malformed");
      }
      std::string value;
      bool has_value = true;
      if (auto word = parse_c_word(rest)) {
        value = *word;
      } else if (auto quoted = parse_quote_word(rest)) {
        value = *quoted;
      } else if (terminator != '{') {
        value = *tag;  // a list item: a value with no name
        tag->clear();
      } else {
        has_value = false;
      }
      if (!rest.empty()) {
        fail("extra text after the value in '" + statement + "'");
      }
      if (terminator == '{') {
        scopes.push_back(parent);
        if (!parent.empty()) {
          parent += "::";
        }
        parent += *tag;
        tag->clear();
      }
      // A block's own value (`A "v" { ... }`) belongs to the block's name.
      const std::string name = parent.empty()      ? *tag
                               : terminator == '{' ? parent
                                                   : parent + "::" + *tag;
      if (tag->starts_with("#")) {
        if (!parent.empty()) {
          fail("directives can only be at the top level");
        }
        const std::string directive = tag->substr(1);
        if (directive == "clear") {
          clear(value);
        } else if (directive == "include") {
          if (depth >= kMaxIncludeDepth) {
            fail("too many nested includes");
          }
          if (value.size() > 2 && value.back() == '/') {
            read_directory(value, depth + 1);
          } else {
            read_file(value, depth + 1);
          }
        } else if (directive != "x-apt-configure-index") {  // apt's option index: no values
          fail("unsupported directive '#" + directive + "'");
        }
      } else if (tag->empty() && has_value && value == "#clear") {
        fail("#clear needs the name of an option tree");
      } else if (has_value) {
        set(name, value);
      }
      statement.clear();
      if (terminator == '}') {
        leave_scope();
      }
    }
    const auto rest = trim(std::string_view(fragment).substr(start));
    if (!statement.empty() && !rest.empty()) {
      statement += ' ';
    }
    statement += rest;
  }
  if (!statement.empty()) {
    fail("'" + statement + "' is not ended by ';'");
  }
}

void AptConfig::read_file(const fs::path& file, int depth) {
  // Configuration is small: a device, a fifo or a huge file (an #include of /dev/zero)
  // is refused before it is read.
  std::error_code error;
  const auto status = fs::status(file, error);
  if (!error && fs::exists(status) &&
      (!fs::is_regular_file(status) || fs::file_size(file, error) > (4U << 20))) {
    throw DebError(
        "the apt configuration file " + file.string() + " is not a regular file of at most 4 MiB",
        "Check the #include lines and the files in apt.conf.d.");
  }
  read(file_text(file, "the apt configuration file"), file.string(), depth);
}

void AptConfig::read_directory(const fs::path& directory, int depth) {
  std::vector<fs::path> files;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    if (is_config_part(entry.path().filename().string()) && fs::is_regular_file(entry.path())) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    read_file(file, depth);
  }
}

void AptConfig::set(std::string_view name, std::string value) {
  if (name.empty() || name.ends_with("::")) {
    return;  // a list item
  }
  values_[lower(name)] = std::move(value);
}

void AptConfig::clear(std::string_view name) {
  const std::string key = lower(name);
  std::erase_if(values_, [&](const auto& item) {
    return item.first == key || item.first.starts_with(key + "::");
  });
}

std::optional<std::string> AptConfig::find(std::string_view name) const {
  const auto found = values_.find(lower(name));
  return found == values_.end() ? std::nullopt : std::optional(found->second);
}

bool AptConfig::find_bool(std::string_view name, bool fallback) const {
  const auto value = find(name);
  return value ? parse_apt_bool(*value).value_or(fallback) : fallback;
}

std::optional<fs::path> AptConfig::find_path(std::string_view name) const {
  const auto value = find(name);
  if (!value || value->empty()) {
    return std::nullopt;
  }
  const fs::path path(*value);
  for (const char* anchored : {"/", "./", "../", "~/"}) {
    if (value->starts_with(anchored)) {
      return path;
    }
  }
  // apt's FindFile: relative to the nearest ancestor that has a value.
  for (auto ancestor = name; ancestor.rfind("::") != std::string_view::npos;) {
    ancestor = ancestor.substr(0, ancestor.rfind("::"));
    if (const auto base = find_path(ancestor)) {
      return *base / path;
    }
  }
  return path;
}

fs::path apt_etc_directory() {
  const char* root = std::getenv("GANTRY_APT_CONFIG_ROOT");
  return root != nullptr && *root != '\0' ? fs::path(root) : fs::path("/etc/apt");
}

AptConfig load_apt_config(const fs::path& etc_apt) {
  AptConfig config;
  config.set("Dir::Etc", etc_apt.string());
  config.set("Dir::Etc::parts", "apt.conf.d");
  config.set("Dir::Etc::main", "apt.conf");
  // pkgInitConfig's order: $APT_CONFIG first (it may move the rest), then the parts,
  // then the main file.
  if (const char* file = std::getenv("APT_CONFIG"); file != nullptr && *file != '\0') {
    if (fs::is_regular_file(file)) {
      config.read_file(file);
    }
  }
  if (const auto parts = config.find_path("Dir::Etc::parts")) {
    config.read_directory(*parts);
  }
  if (const auto main = config.find_path("Dir::Etc::main"); main && fs::is_regular_file(*main)) {
    config.read_file(*main);
  }
  return config;
}

}  // namespace gantry::deb
