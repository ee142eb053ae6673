#pragma once
// Kannel's calls into satupintu: an sms-service get-url/post-url carrying a citizen's SMS (MO)
// and the dlr-url Kannel fetches for each delivery event of our SMS (DLR). Both are answered
// with an empty body: whatever an sms-service's URL answers, Kannel may send back to the
// citizen as an SMS.

#include <string_view>

#include "adapters/core/adapter.hpp"
#include "adapters/kannel/config.hpp"

namespace satupintu::adapters::kannel {

// Where the secret may travel instead of the query, e.g. when a proxy in front adds it.
inline constexpr std::string_view kSecretHeader = "x-satupintu-secret";
inline constexpr std::string_view kSecretParam = "secret";

// GET: every field in the query (from, to, text, coding, charset, ts, id, smsc, secret).
// POST: the text is the body, its charset in Content-Type; fields missing from the query are
// taken from X-Kannel-From/-Coding/-Time/-SMSC.
ParsedRequest ParseMo(const Config& config, const IncomingHttp& request);

// GET or POST with id (ours), type (%d), smsc (%i), ts (%T), reply (%A) and secret.
ParsedRequest ParseDlr(const Config& config, const IncomingHttp& request);

}  // namespace satupintu::adapters::kannel
