// OCI index.json / image index and image manifest JSON, as a registry or an archive serves it.
#include "fuzz_target.hpp"
#include "gantry/oci/manifest.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto json = gantry::fuzz::text(data, size);
  gantry::fuzz::refusals_allowed([&] { (void)gantry::oci::parse_manifest(json, "manifest"); });
  gantry::fuzz::refusals_allowed([&] { (void)gantry::oci::parse_index(json, "index.json"); });
  return 0;
}
