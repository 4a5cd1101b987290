// A registry's WWW-Authenticate header (RFC 7235 challenges, quoted strings).
#include "auth_challenge.hpp"
#include "fuzz_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return gantry::fuzz::refusals_allowed(
      [&] { (void)gantry::oci::parse_www_authenticate(gantry::fuzz::text(data, size)); });
}
