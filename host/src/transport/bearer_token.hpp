#pragma once

#include <grpcpp/client_context.h>
#include <grpcpp/server_context.h>

#include <optional>
#include <string>

namespace gantry::host {

/// The metadata key of the runner's bearer token (HTTP's Authorization header).
inline constexpr const char* kAuthorizationKey = "authorization";

/// Adds `authorization: Bearer <token>` to a call, unless `token` is empty.
void attach_token(grpc::ClientContext& context, const std::string& token);

/// UNAUTHENTICATED when the call does not carry `token` (compared in constant time), else
/// nothing. Neither the expected nor the given token appears in the status.
[[nodiscard]] std::optional<grpc::Status> refuse_unless_token(const grpc::ServerContext& context,
                                                              const std::string& token);

}  // namespace gantry::host
