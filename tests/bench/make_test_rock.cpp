// Writes a test .rock for the benchmarks: make_test_rock OUT.rock TAG SIZE_MIB [SIZE_MIB…]
// (one gzip-compressed layer per size, random content so compression cannot shrink it).
#include <cstdlib>
#include <iostream>

#include "test_image.hpp"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: make_test_rock OUT.rock TAG SIZE_MIB [SIZE_MIB...]\n";
    return 64;
  }
  std::vector<std::uint64_t> sizes;
  for (int i = 3; i < argc; ++i) {
    sizes.push_back(std::strtoull(argv[i], nullptr, 10) << 20);
  }
  const auto image =
      gantry::testing::write_test_archive(std::filesystem::absolute(argv[1]), argv[2], sizes, 42,
                                          gantry::testing::LayerCompression::kGzip);
  std::cout << image.manifest_digest.str() << "\n";
  return 0;
}
