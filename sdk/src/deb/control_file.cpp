#include "gantry/deb/control_file.hpp"

#include <algorithm>
#include <cctype>

#include "gantry/deb/deb_error.hpp"

namespace gantry::deb {
namespace {

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

std::string_view line_at(std::string_view text, std::size_t offset) {
  const auto end = text.find('\n', offset);
  return text.substr(offset, end == std::string_view::npos ? text.size() - offset : end - offset);
}

bool is_blank(std::string_view line) { return trim(line).empty(); }

}  // namespace

bool field_name_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    // ASCII only: field names are ASCII, and this runs for every field of large indexes.
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (a[i] != b[i] && lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

const ControlField* Paragraph::field(std::string_view name) const {
  for (const auto& field : fields_) {
    if (field_name_equal(field.name, name)) {
      return &field;
    }
  }
  return nullptr;
}

std::optional<std::string_view> Paragraph::find(std::string_view name) const {
  if (const auto* found = field(name)) {
    return trim(found->value);
  }
  return std::nullopt;
}

std::string_view Paragraph::get(std::string_view name) const { return find(name).value_or(""); }

namespace detail {

bool next_paragraph(std::string_view text, std::string_view origin, std::size_t& offset,
                    std::uint32_t& line, Paragraph& out) {
  // Skip blank lines and comments before the paragraph.
  while (offset < text.size()) {
    const auto current = line_at(text, offset);
    if (!is_blank(current) && current.front() != '#') {
      break;
    }
    offset += current.size() + 1;
    ++line;
  }
  if (offset >= text.size()) {
    return false;
  }
  const std::size_t start = offset;
  const std::uint32_t start_line = line;
  std::vector<ControlField> fields;
  std::size_t end = offset;
  while (offset < text.size()) {
    const auto current = line_at(text, offset);
    if (is_blank(current)) {
      break;
    }
    if (current.front() == '#') {
      // A comment inside a paragraph (deb822 sources allow them).
    } else if (current.front() == ' ' || current.front() == '\t') {
      if (fields.empty()) {
        throw DebError(std::string(origin) + ":" + std::to_string(line) +
                           ": a continuation line before any field",
                       "Start each paragraph with a 'Name: value' line.");
      }
      auto& last = fields.back();
      const auto* value_end = current.data() + current.size();
      last.value = std::string_view(last.value.data(),
                                    static_cast<std::size_t>(value_end - last.value.data()));
    } else {
      const auto colon = current.find(':');
      if (colon == std::string_view::npos || colon == 0) {
        throw DebError(std::string(origin) + ":" + std::to_string(line) + ": '" +
                           std::string(current.substr(0, 60)) + "' is not a 'Name: value' field",
                       "Check the file's syntax: fields are 'Name: value', paragraphs are "
                       "separated by blank lines.");
      }
      fields.push_back({current.substr(0, colon), current.substr(colon + 1), line});
    }
    end = offset + current.size();
    offset = std::min(text.size(), offset + current.size() + 1);
    ++line;
  }
  out = Paragraph(std::move(fields), text.substr(start, end - start), start_line);
  return true;
}

}  // namespace detail

std::vector<Paragraph> parse_control(std::string_view text, std::string_view origin) {
  std::vector<Paragraph> paragraphs;
  for_each_paragraph(text, origin,
                     [&](const Paragraph& paragraph) { paragraphs.push_back(paragraph); });
  return paragraphs;
}

std::vector<std::string_view> value_lines(std::string_view value) {
  std::vector<std::string_view> lines;
  std::size_t offset = 0;
  while (offset <= value.size()) {
    const auto end = value.find('\n', offset);
    const auto piece = trim(
        value.substr(offset, end == std::string_view::npos ? value.size() - offset : end - offset));
    if (!piece.empty()) {
      lines.push_back(piece);
    }
    if (end == std::string_view::npos) {
      break;
    }
    offset = end + 1;
  }
  return lines;
}

std::vector<std::string_view> value_words(std::string_view value) {
  std::vector<std::string_view> words;
  std::size_t offset = 0;
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (offset < value.size()) {
    while (offset < value.size() && is_space(value[offset])) {
      ++offset;
    }
    std::size_t end = offset;
    while (end < value.size() && !is_space(value[end])) {
      ++end;
    }
    if (end > offset) {
      words.push_back(value.substr(offset, end - offset));
    }
    offset = end;
  }
  return words;
}

}  // namespace gantry::deb
