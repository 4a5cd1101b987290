#include "block_compressor.hpp"

#include <libdeflate.h>

#include <array>
#include <cmath>
#include <cstdint>

#include "gantry/oci/oci_error.hpp"

namespace gantry::oci {
namespace {

constexpr std::size_t kSampleStride = 4;

}  // namespace

void BlockCompressor::Deleter::operator()(libdeflate_compressor* compressor) const {
  libdeflate_free_compressor(compressor);
}

BlockCompressor::BlockCompressor(int level, std::size_t max_block)
    : deflating_(libdeflate_alloc_compressor(level)), storing_(libdeflate_alloc_compressor(0)) {
  if (!deflating_ || !storing_) {
    throw OciError("libdeflate has no compressor at level " + std::to_string(level));
  }
  // Each member is compressed here, then copied out at its real size: a string sized to
  // the bound would be zero-filled for every block. Level 0's bound is the larger one.
  scratch_.resize(std::max(libdeflate_gzip_compress_bound(deflating_.get(), max_block),
                           libdeflate_gzip_compress_bound(storing_.get(), max_block)));
}

BlockCompressor::~BlockCompressor() = default;

bool BlockCompressor::incompressible(std::string_view segment) {
  if (segment.size() < 16384) {
    return false;  // too few bytes to judge; deflate them
  }
  // Every fourth byte: 16,384 samples of a segment judge it as well as all of them
  // (periodic data only looks less random so), at a quarter of the cost. Four
  // interleaved histograms, so that the counting does not wait on its own stores.
  std::array<std::array<std::uint32_t, 256>, 4> counts{};
  const auto* bytes = reinterpret_cast<const unsigned char*>(segment.data());
  const std::size_t samples = segment.size() / kSampleStride;
  std::size_t i = 0;
  for (; i + 4 <= samples; i += 4) {
    ++counts[0][bytes[i * kSampleStride]];
    ++counts[1][bytes[(i + 1) * kSampleStride]];
    ++counts[2][bytes[(i + 2) * kSampleStride]];
    ++counts[3][bytes[(i + 3) * kSampleStride]];
  }
  for (; i < samples; ++i) {
    ++counts[0][bytes[i * kSampleStride]];
  }
  const auto total = static_cast<double>(samples);
  double entropy = 0;
  for (std::size_t value = 0; value < 256; ++value) {
    const auto count = counts[0][value] + counts[1][value] + counts[2][value] + counts[3][value];
    if (count != 0) {
      const double share = count / total;
      entropy -= share * std::log2(share);
    }
  }
  return entropy >= kStoredEntropy;
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
