// apt sources: the one-line format (sources.list) and deb822 (*.sources).
#include "fuzz_target.hpp"
#include "gantry/deb/apt_source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(gantry::fuzz::text(data, size));
  gantry::fuzz::refusals_allowed(
      [&] { (void)gantry::deb::parse_one_line_sources(text, "sources.list"); });
  gantry::fuzz::refusals_allowed(
      [&] { (void)gantry::deb::parse_deb822_sources(text, "ubuntu.sources"); });
  return 0;
}
