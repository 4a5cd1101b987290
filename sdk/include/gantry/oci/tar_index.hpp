#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace gantry::oci {

/// Where a regular file's bytes are inside an uncompressed tar.
struct TarMember {
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
};

/// The regular files of a tar, found by reading its headers once (ustar, pax and GNU
/// long names), so that members can then be read in place with pread: a .rock is never
/// extracted. Names are normalized ("./a/b" and "a/b" are the same member).
class TarIndex {
 public:
  /// Scans `file`. Throws OciError naming it when it is not an uncompressed tar.
  static TarIndex scan(const std::filesystem::path& file);

  [[nodiscard]] std::optional<TarMember> find(const std::string& name) const;
  [[nodiscard]] const std::map<std::string, TarMember>& members() const { return members_; }

 private:
  std::map<std::string, TarMember> members_;
};

}  // namespace gantry::oci
