// A pipeline file (gantry.yaml): YAML, then its structure.
#include "fuzz_target.hpp"
#include "pipeline/pipeline_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return gantry::fuzz::refusals_allowed(
      [&] { (void)gantry::host::parse_pipeline(gantry::fuzz::text(data, size), "gantry.yaml"); });
}
