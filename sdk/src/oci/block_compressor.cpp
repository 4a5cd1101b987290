#include "block_compressor.hpp"

#include <libdeflate.h>

#include <array>
#include <cstdint>

#include "gantry/oci/oci_error.hpp"

namespace gantry::oci {
void BlockCompressor::Deleter::operator()(libdeflate_compressor* compressor) const {
  libdeflate_free_compressor(compressor);
}

BlockCompressor::BlockCompressor(int level, std::size_t max_block)
    : deflating_(libdeflate_alloc_compressor(level)), storing_(libdeflate_alloc_compressor(0)) {
  if (!deflating_ || !storing_) {
    throw OciError(
        "libdeflate has no compressor at level " + std::to_string(deflating_ ? 0 : level),
        "Install libdeflate 1.7 or later.");
  }
  // Each member is compressed here, then copied out at its real size: a string sized to
  // the bound would be zero-filled for every block. Level 0's bound is the larger one.
  scratch_.resize(std::max(libdeflate_gzip_compress_bound(deflating_.get(), max_block),
                           libdeflate_gzip_compress_bound(storing_.get(), max_block)));
}

BlockCompressor::~BlockCompressor() = default;

bool BlockCompressor::incompressible(std::string_view segment) {
  if (segment.size() < kSmallestJudged) {
    return false;  // too few bytes to judge; deflate them
  }
  segment = segment.substr(0, kSegmentSize);  // so that the sums below cannot overflow
  // Every byte counts: a sample (every fourth byte, say) sees only the low bytes of an
  // array of 32-bit numbers, which look random while the array compresses well. Four
  // interleaved histograms, so that the counting does not wait on its own stores.
  std::array<std::array<std::uint32_t, 256>, 4> counts{};
  const auto* bytes = reinterpret_cast<const unsigned char*>(segment.data());
  std::size_t i = 0;
  for (; i + 4 <= segment.size(); i += 4) {
    ++counts[0][bytes[i]];
    ++counts[1][bytes[i + 1]];
    ++counts[2][bytes[i + 2]];
    ++counts[3][bytes[i + 3]];
  }
  for (; i < segment.size(); ++i) {
    ++counts[0][bytes[i]];
  }
  // In integers, so that every machine decides alike: sum(count^2) / total^2 is the
  // chance that two bytes drawn from the segment are equal, 1/256 for random bytes.
  std::uint64_t collisions = 0;
  for (std::size_t value = 0; value < 256; ++value) {
    const std::uint64_t count =
        counts[0][value] + counts[1][value] + counts[2][value] + counts[3][value];
    collisions += count * count;
  }
  const std::uint64_t total = segment.size();
  return 256 * collisions * 1000 <= total * total * kStoredCollisionPerMille;
}

void BlockCompressor::append_member(libdeflate_compressor* compressor, std::string_view bytes,
                                    std::string& out) {
  const std::size_t size = libdeflate_gzip_compress(compressor, bytes.data(), bytes.size(),
                                                    scratch_.data(), scratch_.size());
  if (size == 0) {
    throw OciError("libdeflate could not compress a layer");
  }
  out.append(scratch_.data(), size);
}

std::string BlockCompressor::compress(std::string_view block) {
  std::string out;
  std::size_t start = 0;  // of the stretch of segments of one kind
  bool stored = false;
  for (std::size_t at = 0; at < block.size(); at += kSegmentSize) {
    const bool segment_stored = incompressible(block.substr(at, kSegmentSize));
    if (at != 0 && segment_stored != stored) {
      append_member(stored ? storing_.get() : deflating_.get(), block.substr(start, at - start),
                    out);
      start = at;
    }
    stored = segment_stored;
  }
  if (start < block.size() || block.empty()) {
    append_member(stored ? storing_.get() : deflating_.get(), block.substr(start), out);
  }
  return out;
}

}  // namespace gantry::oci
