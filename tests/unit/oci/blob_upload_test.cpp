#include <gtest/gtest.h>

#include "gantry/oci/registry_client.hpp"

namespace gantry::oci {
namespace {

TEST(UploadOffsetTest, ReadsTheRangeARegistryHolds) {
  EXPECT_EQ(upload_offset("0-1023"), 1024U);
  EXPECT_EQ(upload_offset("bytes=0-9"), 10U);
  // distribution says 0-0 for an empty session: nothing is held.
  EXPECT_EQ(upload_offset("0-0"), 0U);
}

TEST(UploadOffsetTest, RefusesMalformedRanges) {
  for (const auto* range : {"", "0-", "5-10", "0--1", "0-x", "0-99999999999999999999999"}) {
    EXPECT_FALSE(upload_offset(range)) << range;
  }
}

}  // namespace
}  // namespace gantry::oci
