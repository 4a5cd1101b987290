// The handshake line a step process announces itself with, read as an attacker writes it.
#include "transport/handshake.hpp"

#include <gtest/gtest.h>

#include "gantry/sdk/error.hpp"

namespace gantry::host {
namespace {

std::string refusal(std::string_view line) {
  try {
    (void)parse_handshake(line);
    return "";
  } catch (const Error& error) {
    return error.what();
  }
}

TEST(HandshakeTest, ALineRoundTrips) {
  const Handshake given{1, 1, "unix", "/tmp/gantry-step-x/step.sock"};
  EXPECT_EQ(given.line(), "1|1|unix|/tmp/gantry-step-x/step.sock|grpc");
  const auto read = parse_handshake(given.line() + "\r");
  EXPECT_EQ(read.target(), "unix:/tmp/gantry-step-x/step.sock");
  EXPECT_EQ(parse_handshake("1|1|tcp|127.0.0.1:4000").target(), "127.0.0.1:4000")
      << "the protocol field may be left out";
}

TEST(HandshakeTest, WhatIsNotAGantryHandshakeIsRefusedSayingWhy) {
  EXPECT_NE(refusal("hello, world").find("is not a gantry handshake"), std::string::npos);
  EXPECT_NE(refusal("2|1|unix|/s|grpc").find("handshake version 2"), std::string::npos);
  EXPECT_NE(refusal("1|7|unix|/s|grpc").find("step protocol version 7"), std::string::npos);
  EXPECT_NE(refusal("x|1|unix|/s|grpc").find("'x' is not a number"), std::string::npos);
  EXPECT_NE(refusal("1|1|unix|/s|netrpc").find("gantry speaks grpc only"), std::string::npos);
  EXPECT_NE(refusal("1|1|unix|relative.sock|grpc").find("not an absolute path"), std::string::npos);
  EXPECT_NE(refusal("1|1|tcp|10.0.0.8:4000|grpc").find("not a loopback address"),
            std::string::npos);
  EXPECT_NE(refusal("1|1|udp|127.0.0.1:1|grpc").find("neither unix nor tcp"), std::string::npos);
  EXPECT_NE(refusal("99999999999|1|unix|/s|grpc").find("not a number"), std::string::npos);
}

}  // namespace
}  // namespace gantry::host
