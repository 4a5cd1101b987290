#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gantry::deb {

/// One field of a deb822 paragraph. `value` is a view into the parsed text, with the
/// continuation lines of a multi-line field kept as they are (each starts with "\n ").
struct ControlField {
  std::string_view name;
  std::string_view value;
  std::uint32_t line = 0;  ///< 1-based line of the field name
};

/// A paragraph (stanza) of a Debian control file: Packages, Release, dpkg status, deb822
/// .sources. Views into the text it was parsed from, which must outlive it.
class Paragraph {
 public:
  Paragraph() = default;
  Paragraph(std::vector<ControlField> fields, std::string_view text, std::uint32_t line)
      : fields_(std::move(fields)), text_(text), line_(line) {}

  /// The value of `name` (field names compare case-insensitively), trimmed.
  [[nodiscard]] std::optional<std::string_view> find(std::string_view name) const;
  /// The same, or "" when absent.
  [[nodiscard]] std::string_view get(std::string_view name) const;
  [[nodiscard]] const ControlField* field(std::string_view name) const;
  [[nodiscard]] const std::vector<ControlField>& fields() const { return fields_; }
  /// The paragraph's whole text, without the blank line that ends it.
  [[nodiscard]] std::string_view text() const { return text_; }
  [[nodiscard]] std::uint32_t line() const { return line_; }

 private:
  std::vector<ControlField> fields_;
  std::string_view text_;
  std::uint32_t line_ = 0;
};

/// Splits `text` into paragraphs. Comment lines ("#") are skipped. Throws DebError naming
/// `origin` and the line when a line is neither a field, a continuation nor blank.
[[nodiscard]] std::vector<Paragraph> parse_control(std::string_view text, std::string_view origin);

/// Calls `on_paragraph` for each paragraph of `text` in order, without building a vector;
/// for the large Packages indexes. Same rules as parse_control.
template <typename OnParagraph>
void for_each_paragraph(std::string_view text, std::string_view origin, OnParagraph on_paragraph);

/// Whether two field names are equal ignoring ASCII case.
[[nodiscard]] bool field_name_equal(std::string_view a, std::string_view b);

/// The lines of a multi-line value, each trimmed, empty ones dropped.
[[nodiscard]] std::vector<std::string_view> value_lines(std::string_view value);
/// The whitespace-separated words of a value.
[[nodiscard]] std::vector<std::string_view> value_words(std::string_view value);

namespace detail {
/// Parses the paragraph starting at `offset`; advances it past the paragraph and the blank
/// lines after it. Returns false at the end of the text.
bool next_paragraph(std::string_view text, std::string_view origin, std::size_t& offset,
                    std::uint32_t& line, Paragraph& out);
}  // namespace detail

template <typename OnParagraph>
void for_each_paragraph(std::string_view text, std::string_view origin, OnParagraph on_paragraph) {
  std::size_t offset = 0;
  std::uint32_t line = 1;
  Paragraph paragraph;
  while (detail::next_paragraph(text, origin, offset, line, paragraph)) {
    on_paragraph(paragraph);
  }
}

}  // namespace gantry::deb
