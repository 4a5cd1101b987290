// What every fuzzer in tests/fuzz shares: the libFuzzer entry point's signature, the rule
// for what counts as a finding, and a scratch file for parsers that read files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "gantry/sdk/error.hpp"
#include "gantry/sdk/temporary_directory.hpp"

/// The libFuzzer entry point; replay_main.cpp calls it for each seed under ctest.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace gantry::fuzz {

/// The input as text.
inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Runs `parse`; a gantry::Error (the documented refusal, with a message for the user)
/// is a pass. Anything else that escapes, a crash, a leak or a hang is a finding.
template <class Parse>
int refusals_allowed(Parse parse) {
  try {
    parse();
  } catch (const Error&) {
  }
  return 0;
}

/// A scratch directory holding the input as a file named `name`.
class InputFile {
 public:
  InputFile(const std::string& name, const std::uint8_t* data, std::size_t size)
      : path_(dir_.path() / name) {
    std::ofstream out(path_, std::ios::binary);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_.path(); }

 private:
  sdk::TemporaryDirectory dir_;
  std::filesystem::path path_;
};

}  // namespace gantry::fuzz
