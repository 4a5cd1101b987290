// The plugin description cache file ($XDG_CACHE_HOME/gantry/plugins/descriptions), read by
// every command: any bytes must parse or be refused, and what parses must come back the
// same through the writer.
#include <cstdlib>

#include "fuzz_target.hpp"
#include "plugins/description_cache.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using gantry::host::DescriptionCache;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto entries = DescriptionCache::parse(text);
  if (entries) {
    const auto again = DescriptionCache::parse(DescriptionCache::serialize(*entries));
    if (!again || *again != *entries) {
      std::abort();  // the writer and the reader disagree
    }
  }
  return 0;
}
