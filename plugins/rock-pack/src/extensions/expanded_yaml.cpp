#include "extensions/expanded_yaml.hpp"

#include <sstream>
#include <vector>

#include "yaml_reader.hpp"

namespace gantry::rock_pack {
namespace {

/// One scalar as yaml-cpp writes it (plain when YAML allows, quoted otherwise); a string
/// that would read back as a number, a bool or null is double-quoted.
std::string scalar_text(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  YAML::Node plain(text);
  plain.SetTag("?");
  YAML::Emitter out;
  if (node.Tag() == "!" && detail::scalar_kind(plain) != detail::ScalarKind::kString) {
    out << YAML::DoubleQuoted;
  }
  out << text;
  return out.c_str();
}

/// A multi-line string as a literal block (`|`, or `|-` without a final newline).
bool literal_block(const std::string& text) {
  return text.find('\n') != std::string::npos && !text.starts_with(' ') &&
         text.find_first_of("\t\r") == std::string::npos && text.find(" \n") == std::string::npos;
}

class Writer {
 public:
  std::string document(const YAML::Node& node) {
    block(node, 0);
    return out_.str();
  }

 private:
  /// Writes a mapping or a sequence whose lines start at `indent`.
  void block(const YAML::Node& node, int indent) {
    if (node.IsMap()) {
      for (const auto& entry : node) {
        line_start(indent);
        out_ << scalar_text(entry.first) << ":";
        value(entry.second, indent);
      }
    } else if (node.IsSequence()) {
      for (const auto& item : node) {
        line_start(indent);
        out_ << "-";
        if (item.IsMap() && item.size() > 0) {
          // The mapping's first key on the dash's line, the rest under it.
          pending_inline_ = true;
          block(item, indent + 2);
        } else {
          value(item, indent);
        }
      }
    }
  }

  void line_start(int indent) {
    if (pending_inline_) {
      out_ << " ";
      pending_inline_ = false;
      return;
    }
    out_ << std::string(static_cast<std::size_t>(indent), ' ');
  }

  /// What follows `key:` or `-`.
  void value(const YAML::Node& node, int indent) {
    if (!node.IsDefined() || node.IsNull()) {
      out_ << " null\n";
    } else if ((node.IsMap() || node.IsSequence()) && node.size() == 0) {
      out_ << (node.IsMap() ? " {}\n" : " []\n");
    } else if (node.IsMap() || node.IsSequence()) {
      out_ << "\n";
      block(node, indent + 2);
    } else if (literal_block(node.Scalar())) {
      const std::string& text = node.Scalar();
      out_ << (text.ends_with('\n') && !text.ends_with("\n\n") ? " |\n" : " |-\n");
      std::istringstream lines(text);
      for (std::string line; std::getline(lines, line);) {
        out_ << (line.empty() ? "" : std::string(static_cast<std::size_t>(indent) + 2, ' ') + line)
             << "\n";
      }
    } else {
      out_ << " " << scalar_text(node) << "\n";
    }
  }

  std::ostringstream out_;
  bool pending_inline_ = false;
};

}  // namespace

std::string expanded_yaml(const YAML::Node& document) { return Writer().document(document); }

}  // namespace gantry::rock_pack
