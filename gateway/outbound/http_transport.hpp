#pragma once
// The Transport of every HTTP peer (WhatsApp Graph API, Telegram Bot API, Kannel sendsms):
// the channel's pure adapter builds the request and classifies the answer; this class does the
// exchange through the shared http::Client. No answer at all (refused, timeout, reset) is
// transient: the sender retries with backoff.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "outbound/transport.hpp"

namespace satupintu::http {
class Client;  // http/client.hpp: linked privately, so the sender's users never see it
}  // namespace satupintu::http

namespace satupintu::outbound {

struct Built {
  std::optional<adapters::HttpCall> call;       // the request, or
  std::optional<adapters::SendResult> decided;  // a verdict reached without asking the peer
  std::string error;  // why no request could be built (permanent), safe for logs
};

class HttpTransport : public Transport {
 public:
  using Build = std::function<Built(const outbox::DuePart&)>;
  using Classify =
      std::function<adapters::SendResult(int, std::string_view, const adapters::Headers&)>;
  using CostFn = std::function<double(const outbox::DuePart&)>;

  HttpTransport(http::Client* client, Build build, Classify classify,
                std::chrono::milliseconds timeout, CostFn cost = {});

  void Send(const outbox::DuePart& part, std::function<void(Attempt)> done) override;
  double Cost(const outbox::DuePart& part) const override;

 private:
  http::Client* client_;
  Build build_;
  Classify classify_;
  std::chrono::milliseconds timeout_;
  CostFn cost_;
};

}  // namespace satupintu::outbound
