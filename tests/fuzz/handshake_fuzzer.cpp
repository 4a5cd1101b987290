// The first line a step process prints: the handshake gantry parses before it connects.
#include "fuzz_target.hpp"
#include "transport/handshake.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return gantry::fuzz::refusals_allowed([&] {
    const auto handshake = gantry::host::parse_handshake(gantry::fuzz::text(data, size));
    if (gantry::host::parse_handshake(handshake.line()).line() != handshake.line()) {
      __builtin_trap();  // what it accepted must print back as it reads
    }
    (void)handshake.target();
  });
}
