// Debian control data: deb822 paragraphs, a Packages index's table, a Release file.
#include "fuzz_target.hpp"
#include "gantry/deb/control_file.hpp"
#include "gantry/deb/package_index.hpp"
#include "gantry/deb/release_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = gantry::fuzz::text(data, size);
  gantry::fuzz::refusals_allowed([&] {
    for (const auto& paragraph : gantry::deb::parse_control(text, "control")) {
      (void)paragraph;
    }
  });
  gantry::fuzz::refusals_allowed([&] { (void)gantry::deb::package_table(text, "Packages"); });
  gantry::fuzz::refusals_allowed(
      [&] { (void)gantry::deb::parse_release(std::string(text), "Release"); });
  return 0;
}
