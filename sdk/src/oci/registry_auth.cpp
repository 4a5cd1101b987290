#include "registry_auth.hpp"

#include <nlohmann/json.hpp>

#include "gantry/net/encoding.hpp"
#include "gantry/net/network_error.hpp"
#include "gantry/oci/registry_error.hpp"

namespace gantry::oci {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

RegistryAuth::RegistryAuth(std::string host, net::Origin registry,
                           std::optional<Credentials> credentials)
    : host_(std::move(host)),
      registry_(std::move(registry)),
      credentials_(std::move(credentials)) {}

bool RegistryAuth::learn(const std::string& www_authenticate) {
  const std::lock_guard lock(mutex_);
  for (const auto& challenge : parse_www_authenticate(www_authenticate)) {
    if (challenge.scheme == "bearer" || challenge.scheme == "basic") {
      challenge_ = challenge;
      return true;
    }
  }
  return false;
}

bool RegistryAuth::challenged() const {
  const std::lock_guard lock(mutex_);
  return challenge_.has_value();
}

std::string RegistryAuth::authorization(net::HttpClient& http, const std::string& repository,
                                        bool push, const std::string& refused) {
  const std::lock_guard lock(mutex_);
  if (!challenge_) {
    return {};
  }
  if (challenge_->scheme == "basic") {
    if (!credentials_) {
      return {};
    }
    if (credentials_->identity_token) {
      throw RegistryError("registry " + host_ +
                              " asks for a password, but the auth file holds an identity token "
                              "for it",
                          "Log in with a user name and password, or give --creds USER:PASSWORD.",
                          401, "UNAUTHORIZED");
    }
    return "Basic " + net::base64(credentials_->username + ":" + credentials_->secret);
  }
  const std::string scope = "repository:" + repository + (push ? ":pull,push" : ":pull");
  const auto cached = tokens_.find(scope);
  if (cached != tokens_.end() && Clock::now() < cached->second.expires &&
      "Bearer " + cached->second.value != refused) {
    return "Bearer " + cached->second.value;
  }
  return "Bearer " + fetch_token(http, scope, repository);
}

std::string RegistryAuth::fetch_token(net::HttpClient& http, const std::string& scope,
                                      const std::string& repository) {
  const auto& params = challenge_->params;
  const auto realm = params.find("realm");
  if (realm == params.end()) {
    throw RegistryError("registry " + host_ + " asks for a token but names no token server",
                        "Check the registry's auth configuration.", 401);
  }
  const auto realm_origin = net::Origin::of(realm->second);
  if (!realm_origin) {
    throw RegistryError("registry " + host_ + " names the token server '" + realm->second +
                            "', which is not an http(s) URL",
                        "Check the registry's auth configuration.", 401);
  }
  if (credentials_ && realm_origin->scheme == "http" &&
      !(registry_.scheme == "http" && registry_.is_loopback() && realm_origin->is_loopback())) {
    throw RegistryError("registry " + host_ + " sends the login for " + repository +
                            " to a token server over plain http (" + realm_origin->str() +
                            "); gantry does not send credentials in the clear",
                        "Use a registry whose token server speaks https.", 401, "UNAUTHORIZED");
  }
  const auto service = params.find("service");
  net::HttpRequest request;
  request.credential_origin = realm_origin;
  if (credentials_ && credentials_->identity_token) {
    // docker's OAuth2 flow: the identity token is a refresh token, posted as a form.
    request.method = "POST";
    request.url = realm->second;
    request.headers = {"Content-Type: application/x-www-form-urlencoded"};
    request.body = "grant_type=refresh_token&client_id=gantry&refresh_token=" +
                   net::url_encode(credentials_->secret) + "&scope=" + net::url_encode(scope);
    if (service != params.end()) {
      request.body += "&service=" + net::url_encode(service->second);
    }
  } else {
    std::string url = realm->second;
    url += url.find('?') == std::string::npos ? "?" : "&";
    if (service != params.end()) {
      url += "service=" + net::url_encode(service->second) + "&";
    }
    url += "scope=" + net::url_encode(scope);
    if (credentials_) {
      url += "&account=" + net::url_encode(credentials_->username);
      request.authorization =
          "Basic " + net::base64(credentials_->username + ":" + credentials_->secret);
    }
    request.url = url;
  }
  net::HttpResponse response;
  try {
    response = http.send(request);
  } catch (const net::NetworkError& error) {
    throw RegistryError("cannot reach the token server of " + host_ + ": " + error.what(),
                        "Check that the token server runs.", 0,
                        error.tls() ? RegistryError::kTlsFailure : "");
  }
  if (response.status == 401 || response.status == 403) {
    throw RegistryError(
        "the token server of " + host_ + " refused " +
            (credentials_ ? credentials_->identity_token
                                ? std::string("the identity token")
                                : "the credentials of user '" + credentials_->username + "'"
                          : std::string("anonymous access")) +
            " for " + repository,
        kCredentialsHint, response.status, "UNAUTHORIZED");
  }
  if (response.status != 200) {
    throw RegistryError(
        "the token server of " + host_ + " answered " + std::to_string(response.status),
        "Check that the token server runs.", response.status);
  }
  std::string token;
  long lifetime = 60;
  try {
    const auto json = nlohmann::json::parse(response.body);
    token = json.value("token", json.value("access_token", ""));
    lifetime = std::max(60L, json.value("expires_in", 60L));
  } catch (const nlohmann::json::exception&) {
  }
  if (token.empty()) {
    throw RegistryError("the token server of " + host_ + " answered without a token",
                        "Check the token server.", response.status);
  }
  // Renew a little early, so that a token does not expire during a request.
  tokens_[scope] = {token, Clock::now() + std::chrono::seconds(lifetime - 10)};
  return token;
}

}  // namespace gantry::oci
