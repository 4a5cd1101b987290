#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gantry::archive {

/// One entry of a zip's central directory.
struct ZipEntryInfo {
  std::string name{};
  std::uint16_t made_by = 0;  ///< "version made by": the high byte is the host system
  std::uint16_t method = 0;   ///< 0 stored, 8 deflated
  std::uint32_t crc32 = 0;
  std::uint64_t compressed_size = 0;
  std::uint64_t size = 0;
  std::uint32_t external_attributes = 0;
  std::uint64_t local_header_offset = 0;

  /// The permission bits as Go's archive/zip (and so Juju) reads them: the Unix mode from
  /// the external attributes when made by Unix (3) or macOS (19), 0666 for MS-DOS/NTFS
  /// made entries, else 0.
  [[nodiscard]] std::uint32_t permissions() const;
};

/// Reads a zip archive's directory and small entries (metadata files, not payloads).
/// Throws gantry::Error naming the file when it is not a zip, is truncated, or an entry
/// fails its CRC.
class ZipReader {
 public:
  explicit ZipReader(std::filesystem::path file);

  [[nodiscard]] const std::vector<ZipEntryInfo>& entries() const { return entries_; }
  [[nodiscard]] const ZipEntryInfo* find(std::string_view name) const;

  /// The content of entry `name`; nullopt when there is none. Refuses entries larger
  /// than `limit` bytes.
  [[nodiscard]] std::optional<std::string> read(std::string_view name,
                                                std::uint64_t limit = 64U << 20U) const;

 private:
  [[nodiscard]] std::string read_at(std::uint64_t offset, std::uint64_t size) const;

  std::filesystem::path file_;
  std::uint64_t file_size_ = 0;
  std::vector<ZipEntryInfo> entries_;
};

}  // namespace gantry::archive
