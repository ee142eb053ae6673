#pragma once
// The checks every Kannel callback passes before anything in it is read. Internal.

#include <optional>

#include "adapters/core/adapter.hpp"
#include "adapters/kannel/config.hpp"
#include "adapters/kannel/form.hpp"

namespace satupintu::adapters::kannel::internal {

// nullopt when the request may be read; else the answer to give: 405 for a method other than
// GET/POST, 403 for a source outside the allow-list, 401 without a secret, 403 with a wrong one.
std::optional<ParsedRequest> Refusal(const Config& config, const IncomingHttp& request,
                                     const Params& query);

}  // namespace satupintu::adapters::kannel::internal
