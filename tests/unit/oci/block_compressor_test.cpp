#include "block_compressor.hpp"

#include <gtest/gtest.h>
#include <libdeflate.h>

#include <random>
#include <string>

#include "gantry/oci/oci_error.hpp"

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

/// Every gzip member of `blob`, decompressed (libdeflate: another implementation than the
/// one that compressed) and concatenated, as `gzip -dc` reads it; `members` counts them.
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

std::string compressed(BlockCompressor& compressor, std::string_view block) {
  std::string out = "left over from the block before";
  compressor.compress(block, out);
  return out;
}

TEST(BlockCompressorTest, TextShrinksAndReadsBackAsOneMember) {
  const std::string block = text(1U << 20);
  BlockCompressor compressor(2, block.size());
  const std::string blob = compressed(compressor, block);
  std::size_t members = 0;
  EXPECT_EQ(gunzip(blob, &members), block);
  EXPECT_EQ(members, 1U);
  EXPECT_LT(blob.size(), block.size() / 4);
}

TEST(BlockCompressorTest, CompressedDataIsStoredWithinTheBound) {
  for (const std::size_t size :
       {std::size_t{1}, std::size_t{65535}, std::size_t{65536}, std::size_t{1U << 20}}) {
    const std::string block = random_bytes(size, static_cast<unsigned>(size));
    BlockCompressor compressor(2, size);
    const std::string blob = compressed(compressor, block);
    EXPECT_EQ(gunzip(blob), block) << size;
    if (size >= 65535) {
      EXPECT_EQ(blob.size(), BlockCompressor::bound(size)) << size << ": not stored";
    }
    EXPECT_LE(blob.size(), BlockCompressor::bound(size)) << size;
  }
}

TEST(BlockCompressorTest, TheSameBlockGivesTheSameBytesAtEveryLevel) {
  const std::string block = text(100000) + random_bytes(300000, 4) + text(70000);
  for (int level = 0; level <= 3; ++level) {
    BlockCompressor one(level, block.size());
    BlockCompressor two(level, block.size());
    const std::string blob = compressed(one, block);
    EXPECT_EQ(blob, compressed(two, block)) << level;
    EXPECT_EQ(compressed(one, block), blob) << level;  // a compressor keeps no state
    EXPECT_EQ(gunzip(blob), block) << level;
  }
}

TEST(BlockCompressorTest, AnEmptyBlockIsAnEmptyMember) {
  BlockCompressor compressor(2, 16);
  std::size_t members = 0;
  EXPECT_EQ(gunzip(compressed(compressor, ""), &members), "");
  EXPECT_EQ(members, 1U);
}

TEST(BlockCompressorTest, RefusesALevelISALHasNotAndABlockTooLarge) {
  EXPECT_THROW(BlockCompressor(4, 16), OciError);
  EXPECT_THROW(BlockCompressor(-1, 16), OciError);
  BlockCompressor compressor(1, 16);
  std::string out;
  EXPECT_THROW(compressor.compress(std::string(17, 'x'), out), OciError);
}

}  // namespace
}  // namespace gantry::oci
