#pragma once

#include <grpcpp/channel.h>

#include <memory>

#include "transport/remote_options.hpp"

namespace gantry::host {

/// A channel to a runner: TLS when `remote.tls_ca` is given (with a client certificate for
/// mTLS when given), keepalive pings every 30 s so that a long quiet step keeps its
/// connection through NATs and proxies. Throws gantry::Error for unreadable files.
[[nodiscard]] std::shared_ptr<grpc::Channel> runner_channel(const RemoteOptions& remote);

/// What a failed call to a runner means to the user: gantry::Error with a resolution
/// suited to the status (UNAUTHENTICATED, UNAVAILABLE, RESOURCE_EXHAUSTED, ...).
[[noreturn]] void throw_runner_error(const RemoteOptions& remote, const grpc::Status& status);

}  // namespace gantry::host
