#include "block_compressor.hpp"

#include <gtest/gtest.h>
#include <libdeflate.h>

#include <random>
#include <string>

namespace gantry::oci {
namespace {

/// Bytes as a compressor writes them: no byte value more likely than another.
std::string random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 generator(seed);
  std::string bytes(size, '\0');
  for (auto& byte : bytes) {
    byte = static_cast<char>(generator() & 0xFFU);
  }
  return bytes;
}

std::string text(std::size_t size) {
  std::string bytes;
  for (int line = 0; bytes.size() < size; ++line) {
    bytes += "def handler_" + std::to_string(line) + "(request):\n    return render(request)\n";
  }
  bytes.resize(size);
  return bytes;
}

/// Every gzip member of `blob`, decompressed and concatenated, as `gzip -dc` reads it;
/// `members` counts them.
std::string gunzip(const std::string& blob, std::size_t* members = nullptr) {
  libdeflate_decompressor* decompressor = libdeflate_alloc_decompressor();
  std::string out;
  std::string buffer(4U << 20, '\0');
  std::size_t at = 0;
  while (at < blob.size()) {
    std::size_t consumed = 0;
    std::size_t produced = 0;
    const auto result =
        libdeflate_gzip_decompress_ex(decompressor, blob.data() + at, blob.size() - at,
                                      buffer.data(), buffer.size(), &consumed, &produced);
    if (result != LIBDEFLATE_SUCCESS) {
      ADD_FAILURE() << "not gzip at byte " << at;
      break;
    }
    out.append(buffer.data(), produced);
    at += consumed;
    if (members != nullptr) {
      ++*members;
    }
  }
  libdeflate_free_decompressor(decompressor);
  return out;
}

TEST(BlockCompressorTest, JudgesCompressedDataIncompressibleAndTextNot) {
  EXPECT_TRUE(BlockCompressor::incompressible(random_bytes(BlockCompressor::kSegmentSize, 1)));
  EXPECT_FALSE(BlockCompressor::incompressible(text(BlockCompressor::kSegmentSize)));
  EXPECT_FALSE(BlockCompressor::incompressible(std::string(BlockCompressor::kSegmentSize, '\0')));
  EXPECT_FALSE(BlockCompressor::incompressible(random_bytes(100, 1)));  // too short to judge
}

TEST(BlockCompressorTest, AnArrayOfSmallNumbersIsNotTakenForCompressedData) {
  // Little-endian 32-bit numbers below 256: every fourth byte is random, the rest zero.
  std::string array = random_bytes(BlockCompressor::kSegmentSize, 5);
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (i % 4 != 0) {
      array[i] = '\0';
    }
  }
  EXPECT_FALSE(BlockCompressor::incompressible(array));
}

TEST(BlockCompressorTest, StoresCompressedStretchesAndDeflatesTheRest) {
  const auto segment = BlockCompressor::kSegmentSize;
  const std::string block = text(3 * segment) + random_bytes(4 * segment, 2) + text(segment) +
                            random_bytes(segment / 2, 3);
  BlockCompressor compressor(2, block.size());
  const std::string blob = compressor.compress(block);
  std::size_t members = 0;
  EXPECT_EQ(gunzip(blob, &members), block);
  EXPECT_EQ(members, 4U);  // text, random, text, random
  // Stored stretches cost their size plus a few bytes; the text shrinks to a fraction.
  const std::size_t random_size = 4 * segment + segment / 2;
  EXPECT_GT(blob.size(), random_size);
  EXPECT_LT(blob.size(), random_size + segment / 4);
}

TEST(BlockCompressorTest, TheSameBlockGivesTheSameBytes) {
  const std::string block = text(100000) + random_bytes(300000, 4) + text(70000);
  BlockCompressor one(2, block.size());
  BlockCompressor two(2, block.size());
  EXPECT_EQ(one.compress(block), two.compress(block));
  EXPECT_EQ(gunzip(one.compress("")), "");
}

}  // namespace
}  // namespace gantry::oci
