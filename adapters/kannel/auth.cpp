#include "adapters/kannel/auth.hpp"

#include "adapters/core/secret_compare.hpp"

#include <string>

#include "adapters/kannel/webhook.hpp"

namespace satupintu::adapters::kannel::internal {
namespace {

ParsedRequest Refuse(int status, std::string note) {
  ParsedRequest out;
  out.http_status = status;
  out.notes.push_back(std::move(note));
  return out;
}

}  // namespace

std::optional<ParsedRequest> Refusal(const Config& config, const IncomingHttp& request,
                                     const Params& query) {
  if (request.method != "GET" && request.method != "POST") {
    return Refuse(405, "kannel callback: method not GET or POST");
  }
  // The source first: a stranger learns nothing about the secret, not even whether it is set.
  if (!IsAllowedSource(config, request.remote_address)) {
    return Refuse(403, "kannel callback: source address not allowed");
  }
  std::string secret(request.Header(kSecretHeader));
  if (secret.empty()) secret = Find(query, kSecretParam).value_or(std::string());
  if (secret.empty()) return Refuse(401, "kannel callback: secret missing");
  if (config.shared_secret.empty() || !SecretEquals(secret, config.shared_secret)) {
    return Refuse(403, "kannel callback: wrong secret");
  }
  return std::nullopt;
}

}  // namespace satupintu::adapters::kannel::internal
