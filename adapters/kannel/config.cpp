#include "adapters/kannel/config.hpp"

#include "adapters/sms/analysis.hpp"

namespace satupintu::adapters::kannel {
namespace {

constexpr std::string_view kMappedIpv4Prefix = "::ffff:";
constexpr std::size_t kMaxSecretLength = 256;
constexpr int kAllDlrEvents = 31;

bool IsUrlChar(char c) {
  // Printable ASCII without space: enough for a URL and keeps header injection out.
  return c > ' ' && c < 0x7f;
}

// An http(s) URL without a query of its own: we append "?...".
std::string CheckBaseUrl(std::string_view url, std::string_view field) {
  const std::string name(field);
  const bool https = url.starts_with("https://");
  if (!https && !url.starts_with("http://")) return "kannel " + name + " must start with http://";
  if (url.size() <= (https ? 8U : 7U)) return "kannel " + name + " has no host";
  for (char c : url) {
    if (!IsUrlChar(c)) return "kannel " + name + " contains spaces or control characters";
  }
  if (url.find_first_of("?#") != std::string_view::npos) {
    return "kannel " + name + " must not carry a query or fragment";
  }
  return {};
}

bool IsAddressChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' ||
         c == ':';
}

std::string_view Unmapped(std::string_view address) {
  if (address.starts_with(kMappedIpv4Prefix) && address.find('.') != std::string_view::npos) {
    address.remove_prefix(kMappedIpv4Prefix.size());
  }
  return address;
}

bool IsLoopback(std::string_view address) {
  return address == "::1" || address.starts_with("127.");
}

}  // namespace

bool IsUnreservedToken(std::string_view token) {
  if (token.empty()) return false;
  for (char c : token) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == '~';
    if (!ok) return false;
  }
  return true;
}

bool IsAllowedSource(const Config& config, std::string_view remote_address) {
  const std::string_view address = Unmapped(remote_address);
  if (address.empty()) return false;
  if (config.allowed_sources.empty()) return IsLoopback(address);
  for (const std::string& allowed : config.allowed_sources) {
    if (Unmapped(allowed) == address) return true;
  }
  return false;
}

std::string ValidateConfig(const Config& config) {
  if (auto error = CheckBaseUrl(config.sendsms_url, "sendsms_url"); !error.empty()) return error;
  if (auto error = CheckBaseUrl(config.dlr_url_base, "dlr_url_base"); !error.empty()) {
    return error;
  }
  if (config.dlr_url_base.find('%') != std::string::npos ||
      config.dlr_url_base.find('{') != std::string::npos) {
    // Kannel would take '%' for its own escapes; '{' means the gateway left a placeholder.
    return "kannel dlr_url_base must not contain '%' or '{'";
  }
  if (config.username.empty()) return "kannel username is empty";
  if (config.password.empty()) return "kannel password is empty";
  if (!config.smsc.empty() && !IsUnreservedToken(config.smsc)) {
    return "kannel smsc must be made of A-Za-z0-9._~-";
  }
  if (config.shared_secret.empty()) return "kannel shared_secret is empty";
  if (config.shared_secret.size() > kMaxSecretLength || !IsUnreservedToken(config.shared_secret)) {
    return "kannel shared_secret must be 1-256 characters of A-Za-z0-9._~-";
  }
  for (const std::string& source : config.allowed_sources) {
    bool ok = !source.empty();
    for (char c : source) ok = ok && IsAddressChar(c);
    if (!ok) return "kannel allowed_sources holds something that is not an IP address";
  }
  if (config.dlr_mask < 0 || config.dlr_mask > kAllDlrEvents) {
    return "kannel dlr_mask must be 0-31";
  }
  if (config.max_parts < 1 || config.max_parts > sms::kMaxParts) {
    return "kannel max_parts must be 1-255";
  }
  return {};
}

}  // namespace satupintu::adapters::kannel
