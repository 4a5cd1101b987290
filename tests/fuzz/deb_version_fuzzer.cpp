// Debian versions (validity and ordering) and relation fields (Depends-style).
#include "fuzz_target.hpp"
#include "gantry/deb/relation.hpp"
#include "gantry/deb/version.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = gantry::fuzz::text(data, size);
  const auto split = text.find('\n');
  const auto left = text.substr(0, split);
  const auto right = split == std::string_view::npos ? text : text.substr(split + 1);
  (void)gantry::deb::is_valid_version(left);
  // Ordering must be antisymmetric, whatever the text.
  const auto sign = [](int order) { return (order > 0) - (order < 0); };
  if (sign(gantry::deb::compare_versions(left, right)) !=
      -sign(gantry::deb::compare_versions(right, left))) {
    __builtin_trap();
  }
  return gantry::fuzz::refusals_allowed(
      [&] { (void)gantry::deb::parse_relations(text, "Depends"); });
}
