#pragma once
// How the shared sender hands one outbox part to a peer. HTTP peers (WhatsApp, Telegram,
// Kannel) share one implementation over the gateway's HTTP client; Gammu SMSD's "peer" is a
// row in its SQL outbox. A transport does the I/O for one attempt and reports the adapter's
// verdict; it never touches the outbox itself: the sender records the outcome.

#include <functional>
#include <string>

#include "adapters/core/adapter.hpp"
#include "outbox/outbox_store.hpp"

namespace satupintu::outbound {

// One peer exchange, for the channel log. Texts are redacted by the channel log before
// they are stored; transports fill in what they saw.
struct Exchange {
  std::string method;
  std::string url;
  std::string request_body;
  int http_status = 0;  // 0: no HTTP answer (connect error, timeout, SQL transport)
  std::string response_body;
  std::string error;  // transport-level error, safe for logs
  double elapsed_ms = 0;
};

struct Attempt {
  adapters::SendResult result;
  Exchange exchange;
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Performs one attempt to send `part`. `done` runs exactly once, on any thread, possibly
  // before Send returns.
  virtual void Send(const outbox::DuePart& part, std::function<void(Attempt)> done) = 0;
  // What the part costs against the channel's rate: 1 for a chat message, the number of
  // SMS segments for a Kannel text that Kannel concatenates itself.
  virtual double Cost(const outbox::DuePart& part) const {
    (void)part;
    return 1.0;
  }
};

}  // namespace satupintu::outbound
