#pragma once

#include <filesystem>
#include <string_view>

namespace gantry::sdk {

/// A private (0700) directory made under $TMPDIR (or /tmp), removed with everything in
/// it when the object goes. Move-only. Throws gantry::Error when it cannot be made.
class TemporaryDirectory {
 public:
  /// `prefix` starts the directory's name, e.g. "gantry-exec-".
  explicit TemporaryDirectory(std::string_view prefix = "gantry-");
  /// The same, made inside `parent` (e.g. beside a file it will be renamed over).
  TemporaryDirectory(std::string_view prefix, const std::filesystem::path& parent);
  ~TemporaryDirectory();
  TemporaryDirectory(TemporaryDirectory&& other) noexcept;
  TemporaryDirectory& operator=(TemporaryDirectory&& other) noexcept;
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  void remove() noexcept;
  std::filesystem::path path_;
};

}  // namespace gantry::sdk
