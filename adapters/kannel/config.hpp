#pragma once
// Kannel settings for one SMS route, resolved by the gateway (password and secret come from its
// secret store), and the checks that keep them safe to splice into URLs.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace satupintu::adapters::kannel {

struct Config {
  // smsbox's sendsms endpoint, e.g. http://127.0.0.1:13013/cgi-bin/sendsms.
  std::string sendsms_url;
  std::string username;  // sendsms-user group
  std::string password;  // ends up in request URLs only
  std::string smsc;      // smsc-id to route through; empty lets Kannel choose
  // Sender id (a modem sends its SIM's number whatever we say). Empty leaves it to Kannel,
  // which then needs default-sender in the sendsms-user group (or global-sender in smsbox):
  // without either, smsbox refuses every request with 400 "Sender missing".
  std::string from;
  // Shared with Kannel through the get-url/post-url and our dlr-url. Unreserved URL characters
  // only: Kannel reads every '%' in those URLs as one of its escapes, so it must never need
  // percent-encoding.
  std::string shared_secret;
  // Addresses Kannel may call us from; empty means loopback only (smsbox on the same host).
  std::vector<std::string> allowed_sources;
  // Our own DLR endpoint Kannel fetches, complete: http://127.0.0.1:8080/kannel/<name>/dlr.
  std::string dlr_url_base;
  int dlr_mask = 31;  // all five events: delivered, failed, buffered, smsc submit, smsc reject
  // Longest text accepted, in concatenated parts; must not exceed the sendsms-user's
  // max-messages or Kannel cuts the text silently.
  std::size_t max_parts = 6;
  // Send "+62..." rather than "62...": AT modems read a number without '+' as national.
  bool plus_prefix = true;
};

// Empty when the config is usable, else why not. Names the field, never its value, because
// it is logged at start-up.
std::string ValidateConfig(const Config& config);

// Characters RFC 3986 never escapes. Ids and the secret we splice into Kannel URLs must be
// made of these alone (see shared_secret).
bool IsUnreservedToken(std::string_view token);

// Whether a request from `remote_address` may be a Kannel callback: in allowed_sources, or
// loopback when that list is empty. IPv4-mapped IPv6 ("::ffff:127.0.0.1") counts as IPv4.
bool IsAllowedSource(const Config& config, std::string_view remote_address);

}  // namespace satupintu::adapters::kannel
