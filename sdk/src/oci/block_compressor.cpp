#include "block_compressor.hpp"

#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <limits>

#include "gantry/oci/oci_error.hpp"

namespace gantry::oci {
namespace {

constexpr std::size_t kStoredBlockBytes = 65535;  // RFC 1951: a stored block's most
constexpr std::size_t kStoredBlockHeader = 5;
constexpr std::size_t kGzipWrapper = 10 + 8;  // RFC 1952: header and trailer

}  // namespace

// ISA-L's default size (ISAL_DEF_LVLn_LARGE), as its own igzip tool uses. Where ISA-L ends
// its deflate blocks depends on it: another size changes every layer's bytes
// (LayerWriter::compressor_fingerprint sees it).
std::size_t BlockCompressor::level_buffer_size(int level) {
  switch (level) {
    case 0:
      return ISAL_DEF_LVL0_DEFAULT;
    case 1:
      return ISAL_DEF_LVL1_DEFAULT;
    case 2:
      return ISAL_DEF_LVL2_DEFAULT;
    case 3:
      return ISAL_DEF_LVL3_DEFAULT;
    default:
      throw OciError("ISA-L has no compression level " + std::to_string(level),
                     "Use a level from 0 to 3.");
  }
}

BlockCompressor::BlockCompressor(int level, std::size_t max_block)
    : level_(level), max_block_(max_block), level_buffer_(level_buffer_size(level)) {
  if (bound(max_block) > std::numeric_limits<std::uint32_t>::max()) {
    throw OciError("a layer block of " + std::to_string(max_block) + " bytes is too large");
  }
}

std::size_t BlockCompressor::bound(std::size_t size) {
  const std::size_t blocks =
      std::max<std::size_t>(1, (size + kStoredBlockBytes - 1) / kStoredBlockBytes);
  return size + blocks * kStoredBlockHeader + kGzipWrapper;
}

void BlockCompressor::compress(std::string_view block, std::string& out) {
  if (block.size() > max_block_) {
    throw OciError("a layer block of " + std::to_string(block.size()) +
                   " bytes is larger than the compressor's " + std::to_string(max_block_));
  }
  // ISA-L stores the block when deflate would not fit in this much, so it always fits.
  out.resize(bound(block.size()));
  isal_zstream stream{};
  isal_deflate_stateless_init(&stream);
  stream.level = static_cast<std::uint32_t>(level_);
  stream.level_buf = level_buffer_.data();
  stream.level_buf_size = static_cast<std::uint32_t>(level_buffer_.size());
  stream.gzip_flag = IGZIP_GZIP;
  stream.end_of_stream = 1;
  stream.flush = NO_FLUSH;
  // ISA-L's API takes non-const input; it does not write to it.
  stream.next_in = reinterpret_cast<std::uint8_t*>(const_cast<char*>(block.data()));
  stream.avail_in = static_cast<std::uint32_t>(block.size());
  stream.next_out = reinterpret_cast<std::uint8_t*>(out.data());
  stream.avail_out = static_cast<std::uint32_t>(out.size());
  const int result = isal_deflate_stateless(&stream);
  if (result != COMP_OK) {
    out.clear();
    throw OciError("ISA-L could not compress a layer block (error " + std::to_string(result) + ")");
  }
  out.resize(stream.total_out);
}

}  // namespace gantry::oci
