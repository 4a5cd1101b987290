#include "gantry/deb/apt_source.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "file_text.hpp"
#include "gantry/deb/control_file.hpp"
#include "gantry/deb/deb_error.hpp"
#include "gantry/net/origin.hpp"

namespace gantry::deb {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> split_list(std::string_view value, char separator) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= value.size()) {
    const auto end = value.find(separator, start);
    const auto item =
        value.substr(start, end == std::string_view::npos ? value.size() - start : end - start);
    if (!item.empty()) {
      items.emplace_back(item);
    }
    if (end == std::string_view::npos) {
      break;
    }
    start = end + 1;
  }
  return items;
}

std::string normalize_uri(std::string uri, const SourcePosition& position) {
  const bool supported =
      uri.starts_with("http://") || uri.starts_with("https://") || uri.starts_with("file:");
  if (!supported) {
    throw DebError(position.to_string() + ": the URI '" + uri +
                       "' uses a scheme gantry cannot "
                       "fetch from",
                   "Use an http://, https:// or file: URI (mirror+, tor+ and cdrom: are not "
                   "supported).");
  }
  while (uri.size() > 1 && uri.back() == '/') {
    uri.pop_back();
  }
  return uri;
}

void check_suite(AptSource& source) {
  if (source.suite.empty()) {
    throw DebError(source.position.to_string() + ": a source with no suite",
                   "Name a suite (e.g. 'bookworm') or, for a flat repository, a path ending "
                   "in '/' (e.g. './').");
  }
  const bool flat_suite = source.suite.back() == '/';
  if (flat_suite && !source.components.empty()) {
    throw DebError(source.position.to_string() + ": the flat suite '" + source.suite +
                       "' cannot have components",
                   "Remove the components, or name a suite without a final '/'.");
  }
  if (!flat_suite && source.components.empty()) {
    throw DebError(
        source.position.to_string() + ": the suite '" + source.suite + "' has no components",
        "Name at least one component, e.g. 'main'.");
  }
}

void apply_signed_by(AptSource& source, std::string_view value) {
  if (value.find("BEGIN PGP PUBLIC KEY BLOCK") != std::string_view::npos) {
    // deb822 allows the key inline; its continuation lines carry a leading space and
    // blank lines written as " .".
    std::string key;
    for (const auto line : value_lines(value)) {
      key += line == "." ? std::string() : std::string(line);
      key += '\n';
    }
    source.inline_key = key;
    return;
  }
  for (const auto word : value_words(value)) {
    for (const auto& item : split_list(word, ',')) {
      if (!item.starts_with("/")) {
        throw DebError(
            source.position.to_string() + ": Signed-By '" + item + "' is not a keyring file",
            "Give the absolute path of a keyring (.gpg or .asc); key fingerprints "
            "are not supported.");
      }
      source.keyrings.emplace_back(item);
    }
  }
}

// A yes/no option of a source. apt reads a word it does not know as "no"; for options
// that turn a security check off, a typo doing so silently is refused instead.
std::optional<bool> source_flag(std::string_view name, std::string_view value,
                                const SourcePosition& position) {
  const auto flag = parse_apt_bool(value);
  if (!flag) {
    throw DebError(position.to_string() + ": " + std::string(name) + " is '" + std::string(value) +
                       "', which is neither yes nor no",
                   "Write yes or no.");
  }
  return flag;
}

}  // namespace

std::string AptSource::release_base() const {
  if (flat()) {
    std::string base = uri + "/" + suite;
    if (base.ends_with("/./")) {
      base.resize(base.size() - 2);
    }
    return base;
  }
  return uri + "/dists/" + suite + "/";
}

std::string AptSource::display_base() const { return net::without_credentials(release_base()); }

std::string AptSource::label() const {
  std::string text = net::without_credentials(uri) + " " + suite;
  for (const auto& component : components) {
    text += " " + component;
  }
  return text;
}

std::vector<AptSource> parse_one_line_sources(const std::string& text, const std::string& file) {
  std::vector<AptSource> sources;
  std::istringstream lines(text);
  std::string line;
  std::uint32_t number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (const auto hash = line.find('#'); hash != std::string::npos) {
      line.resize(hash);
    }
    std::istringstream words(line);
    std::string type;
    if (!(words >> type)) {
      continue;
    }
    AptSource source;
    source.position = {file, number, 1};
    if (type == "deb-src") {
      continue;
    }
    if (type != "deb") {
      throw DebError(source.position.to_string() + ": '" + type + "' is not a source type",
                     "Each line starts with 'deb' (or 'deb-src', which gantry skips).");
    }
    std::string rest;
    std::getline(words, rest);
    auto after = std::string_view(rest);
    while (!after.empty() && after.front() == ' ') {
      after.remove_prefix(1);
    }
    if (after.starts_with("[")) {
      const auto close = after.find(']');
      if (close == std::string_view::npos) {
        throw DebError(source.position.to_string() + ": the options '[' are not closed",
                       "Write options as [name=value ...].");
      }
      for (const auto option : value_words(after.substr(1, close - 1))) {
        const auto equals = option.find('=');
        const auto name = option.substr(0, equals);
        const auto value =
            equals == std::string_view::npos ? std::string_view() : option.substr(equals + 1);
        if (name == "arch") {
          source.architectures = split_list(value, ',');
        } else if (name == "signed-by") {
          apply_signed_by(source, value);
        } else if (name == "trusted") {
          source.trusted = value == "yes";
        } else if (name == "check-valid-until") {
          source.check_valid_until = source_flag(name, value, source.position);
        } else if (name == "check-date") {
          source.check_date = source_flag(name, value, source.position);
        }
      }
      after.remove_prefix(close + 1);
    }
    const auto fields = value_words(after);
    if (fields.size() < 2) {
      throw DebError(source.position.to_string() +
                         ": expected 'deb [options] URI SUITE "
                         "[COMPONENT...]'",
                     "Add the URI and the suite, e.g. 'deb http://deb.debian.org/debian "
                     "bookworm main'.");
    }
    source.uri = normalize_uri(std::string(fields[0]), source.position);
    source.suite = std::string(fields[1]);
    for (std::size_t i = 2; i < fields.size(); ++i) {
      source.components.emplace_back(fields[i]);
    }
    check_suite(source);
    sources.push_back(std::move(source));
  }
  return sources;
}

std::vector<AptSource> parse_deb822_sources(const std::string& text, const std::string& file) {
  std::vector<AptSource> sources;
  for (const auto& paragraph : parse_control(text, file)) {
    const SourcePosition position{file, paragraph.line(), 1};
    if (paragraph.get("Enabled") == "no") {
      continue;
    }
    const auto types = value_words(paragraph.get("Types"));
    if (types.empty()) {
      throw DebError(position.to_string() + ": a stanza without Types", "Add 'Types: deb'.");
    }
    if (std::find(types.begin(), types.end(), "deb") == types.end()) {
      continue;
    }
    const auto uris = value_words(paragraph.get("URIs"));
    const auto suites = value_words(paragraph.get("Suites"));
    if (uris.empty() || suites.empty()) {
      throw DebError(position.to_string() + ": a stanza needs URIs and Suites",
                     "Add e.g. 'URIs: http://deb.debian.org/debian' and 'Suites: bookworm'.");
    }
    AptSource base;
    base.position = position;
    for (const auto component : value_words(paragraph.get("Components"))) {
      base.components.emplace_back(component);
    }
    for (const auto arch : value_words(paragraph.get("Architectures"))) {
      base.architectures.emplace_back(arch);
    }
    base.trusted = paragraph.get("Trusted") == "yes";
    if (const auto value = paragraph.find("Check-Valid-Until")) {
      base.check_valid_until = source_flag("Check-Valid-Until", *value, position);
    }
    if (const auto value = paragraph.find("Check-Date")) {
      base.check_date = source_flag("Check-Date", *value, position);
    }
    if (const auto* signed_by = paragraph.field("Signed-By")) {
      base.position.line = signed_by->line;
      apply_signed_by(base, signed_by->value);
      base.position.line = paragraph.line();
    }
    for (const auto uri : uris) {
      for (const auto suite : suites) {
        AptSource source = base;
        source.uri = normalize_uri(std::string(uri), position);
        source.suite = std::string(suite);
        check_suite(source);
        sources.push_back(std::move(source));
      }
    }
  }
  return sources;
}

std::vector<AptSource> load_sources_file(const fs::path& file) {
  const std::string text = file_text(file, "the apt sources file");
  if (file.extension() == ".sources") {
    return parse_deb822_sources(text, file.string());
  }
  if (file.extension() != ".list") {
    // A file named by the user: deb822 if its first field line looks like one.
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.empty() || line.front() == '#') {
        continue;
      }
      if (line.find(':') != std::string::npos && line.find(':') < line.find(' ')) {
        return parse_deb822_sources(text, file.string());
      }
      break;
    }
  }
  return parse_one_line_sources(text, file.string());
}

std::vector<AptSource> load_system_sources(const fs::path& etc_apt) {
  std::vector<AptSource> sources;
  const auto append = [&](const fs::path& file) {
    auto more = load_sources_file(file);
    sources.insert(sources.end(), more.begin(), more.end());
  };
  if (fs::exists(etc_apt / "sources.list")) {
    append(etc_apt / "sources.list");
  }
  std::vector<fs::path> parts;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(etc_apt / "sources.list.d", error)) {
    const auto extension = entry.path().extension();
    if (extension == ".list" || extension == ".sources") {
      parts.push_back(entry.path());
    }
  }
  std::sort(parts.begin(), parts.end());
  for (const auto& file : parts) {
    append(file);
  }
  if (sources.empty()) {
    throw DebError("no apt sources in " + etc_apt.string(),
                   "Configure apt, or pass --sources FILE with lines like 'deb "
                   "http://deb.debian.org/debian bookworm main'.");
  }
  return sources;
}

std::vector<fs::path> default_keyrings(const fs::path& etc_apt) {
  std::vector<fs::path> keyrings;
  if (fs::exists(etc_apt / "trusted.gpg")) {
    keyrings.push_back(etc_apt / "trusted.gpg");
  }
  std::vector<fs::path> parts;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(etc_apt / "trusted.gpg.d", error)) {
    const auto extension = entry.path().extension();
    if (extension == ".gpg" || extension == ".asc") {
      parts.push_back(entry.path());
    }
  }
  std::sort(parts.begin(), parts.end());
  keyrings.insert(keyrings.end(), parts.begin(), parts.end());
  return keyrings;
}

}  // namespace gantry::deb
