#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gantry::oci {

/// Compresses one block of a layer's tar stream into one gzip member (RFC 1952 allows a
/// file of several; gzip, Go, Python and zlib's readers take them), with ISA-L's stateless
/// deflate. A block that deflate would make larger (already compressed data) is stored.
/// ISA-L picks its code for the CPU; its kernels from SSE4.2 up write the same bytes, so
/// with one ISA-L version the same block gives the same member on every x86-64 machine
/// with SSE4.2 (Nehalem, 2008, and later). One per thread.
class BlockCompressor {
 public:
  /// `level` is ISA-L's, 0 to 3; `max_block` is the largest block compress() is given.
  BlockCompressor(int level, std::size_t max_block);

  /// Replaces `out` with the gzip member of `block` (its buffer is reused); throws
  /// OciError when ISA-L fails.
  void compress(std::string_view block, std::string& out);

  /// The working buffer ISA-L takes at `level`; throws OciError for a level it has not.
  [[nodiscard]] static std::size_t level_buffer_size(int level);

  /// The most a block of `size` bytes can take: a member of stored deflate blocks.
  [[nodiscard]] static std::size_t bound(std::size_t size);

 private:
  int level_;
  std::size_t max_block_;
  std::vector<std::uint8_t> level_buffer_;  // ISA-L's hash table for level_
};

}  // namespace gantry::oci
