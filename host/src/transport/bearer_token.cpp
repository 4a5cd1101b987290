#include "transport/bearer_token.hpp"

#include <openssl/crypto.h>

namespace gantry::host {

void attach_token(grpc::ClientContext& context, const std::string& token) {
  if (!token.empty()) {
    context.AddMetadata(kAuthorizationKey, "Bearer " + token);
  }
}

std::optional<grpc::Status> refuse_unless_token(const grpc::ServerContext& context,
                                                const std::string& token) {
  if (token.empty()) {
    return std::nullopt;
  }
  const std::string expected = "Bearer " + token;
  const auto& metadata = context.client_metadata();
  const auto given = metadata.find(kAuthorizationKey);
  if (given != metadata.end() && given->second.size() == expected.size() &&
      CRYPTO_memcmp(given->second.data(), expected.data(), expected.size()) == 0) {
    return std::nullopt;
  }
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                      given == metadata.end() ? "this runner needs a bearer token"
                                              : "the bearer token is not this runner's");
}

}  // namespace gantry::host
