#include "diag/token.hpp"

#include "adapters/core/secret_compare.hpp"

namespace satupintu::diag {

bool TokenAccepted(std::string_view authorization, const std::string& token) {
  if (token.empty()) return true;
  constexpr std::string_view kPrefix = "Bearer ";
  if (authorization.substr(0, kPrefix.size()) != kPrefix) return false;
  return adapters::SecretEquals(authorization.substr(kPrefix.size()), token);
}

}  // namespace satupintu::diag
