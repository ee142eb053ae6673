#pragma once
// The shared receiver for channel webhooks. An adapter's pure parse function decides what
// the provider's request means; this layer stores every message and status update it found
// in the journal and answers the provider only after the commit: 2xx means stored.
// What a record holds is inbound/journal_record.hpp's business.

#include <functional>
#include <string>

#include "adapters/core/adapter.hpp"
#include "http/router.hpp"
#include "storage/journal.hpp"

namespace satupintu::inbound {

using ParseFn = std::function<adapters::ParsedRequest(const adapters::IncomingHttp&)>;

// `on_stored` runs after a commit that stored something (it wakes the dispatcher).
void AddChannelWebhook(http::Router& router, const std::string& method, const std::string& path,
                       std::string channel, ParseFn parse, storage::Journal* journal,
                       const std::function<void()>& on_stored = {});

}  // namespace satupintu::inbound
