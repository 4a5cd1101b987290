#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct libdeflate_compressor;

namespace gantry::oci {

/// Compresses one block of a layer's tar stream into gzip members (libdeflate). Stretches
/// of the block that are already compressed (.gz, .xz, .png, wheels: byte entropy near 8
/// bits) are stored rather than deflated: deflate wins ~0.5% on them at a sixth of the
/// speed of a copy. The block is judged in segments of kSegmentSize bytes, by how often
/// their bytes repeat (in integers), each stretch of one kind becomes a gzip member of its
/// own (RFC 1952 allows several), and the judgement depends only on the bytes, so the same
/// block gives the same output on every machine.
/// One per thread.
class BlockCompressor {
 public:
  static constexpr std::size_t kSegmentSize = 64U << 10;
  /// Shorter stretches are always deflated: too few bytes to judge.
  static constexpr std::size_t kSmallestJudged = 16U << 10;
  /// A segment counts as already compressed when two of its bytes drawn at random are
  /// equal at most this many thousandths more often than two random bytes are (1/256):
  /// a collision entropy of 7.9 bits per byte or more. Compressed data is within 1.5%
  /// of random (a 64 KiB segment of random bytes itself scores ~1.004); text and code
  /// score several times 1/256.
  static constexpr std::uint64_t kStoredCollisionPerMille = 1072;

  /// `max_block` is the largest block compress() will be given.
  BlockCompressor(int level, std::size_t max_block);
  ~BlockCompressor();
  BlockCompressor(const BlockCompressor&) = delete;
  BlockCompressor& operator=(const BlockCompressor&) = delete;

  /// The gzip members of `block`; throws OciError when libdeflate fails.
  [[nodiscard]] std::string compress(std::string_view block);

  /// True when `segment` looks already compressed (see kStoredCollisionPerMille); judges
  /// its first kSegmentSize bytes.
  [[nodiscard]] static bool incompressible(std::string_view segment);

 private:
  struct Deleter {
    void operator()(libdeflate_compressor* compressor) const;
  };
  void append_member(libdeflate_compressor* compressor, std::string_view bytes, std::string& out);

  std::unique_ptr<libdeflate_compressor, Deleter> deflating_;
  std::unique_ptr<libdeflate_compressor, Deleter> storing_;
  std::string scratch_;
};

}  // namespace gantry::oci
