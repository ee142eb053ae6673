#pragma once
// Self-signed certificate for the embedded default, so `serve` speaks HTTPS on first start
// without an operator step. Production deployments point the config at real files.

#include <string>
#include <vector>

#include "core/result.hpp"

namespace satupintu::http {

// Writes an EC P-256 key (mode 0600) and a self-signed X.509 certificate valid for about two
// years for the given DNS names and IP addresses. Creates parent directories.
core::Status GenerateSelfSigned(const std::string& cert_file, const std::string& key_file,
                                const std::vector<std::string>& hosts);

}  // namespace satupintu::http
