#include "gantry/deb/status_record.hpp"

#include <array>

#include "gantry/deb/control_file.hpp"

namespace gantry::deb {
namespace {

bool is_download_field(std::string_view name) {
  static constexpr std::array<std::string_view, 9> kDropped{
      "Filename", "Size", "MD5sum", "SHA1", "SHA256", "SHA512", "Description-md5", "Tag", "Task"};
  for (const auto dropped : kDropped) {
    if (field_name_equal(name, dropped)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string status_stanza(const Package& package) {
  std::string stanza;
  const auto paragraphs = parse_control(package.stanza, package.id());
  for (const auto& field : paragraphs.front().fields()) {
    if (is_download_field(field.name)) {
      continue;
    }
    stanza += std::string(field.name) + ":" + std::string(field.value) + "\n";
    if (field_name_equal(field.name, "Package")) {
      stanza += "Status: install ok installed\n";
    }
  }
  return stanza;
}

void write_status_record(StagingTree& tree, const Package& package) {
  // The name was checked against Debian's grammar when the index was read; the tree keeps
  // the write inside even if a package shipped var/lib/dpkg/status.d as a symlink.
  tree.replace_file("var/lib/dpkg/status.d/" + std::string(package.name), 0644, 0,
                    status_stanza(package));
}

}  // namespace gantry::deb
