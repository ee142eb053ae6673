#include "outbound/http_transport.hpp"

#include "http/client.hpp"

namespace satupintu::outbound {

HttpTransport::HttpTransport(http::Client* client, Build build, Classify classify,
                             std::chrono::milliseconds timeout, CostFn cost)
    : client_(client),
      build_(std::move(build)),
      classify_(std::move(classify)),
      timeout_(timeout),
      cost_(std::move(cost)) {}

double HttpTransport::Cost(const outbox::DuePart& part) const { return cost_ ? cost_(part) : 1.0; }

void HttpTransport::Send(const outbox::DuePart& part, std::function<void(Attempt)> done) {
  Built built = build_(part);
  if (!built.call) {
    Attempt a;
    if (built.decided) {
      a.result = *built.decided;
    } else {
      a.result.verdict = adapters::SendVerdict::kPermanent;
      a.result.error_code = "unsendable";
      a.result.reason = built.error.empty() ? "no request could be built" : built.error;
    }
    a.exchange.error = a.result.reason;
    return done(std::move(a));
  }
  http::ClientRequest request;
  request.method = built.call->method;
  request.url = built.call->url;
  request.headers = built.call->headers;
  request.body = built.call->body;
  request.timeout = timeout_;
  Exchange exchange;
  exchange.method = request.method;
  exchange.url = request.url;
  exchange.request_body = request.body;
  client_->Send(std::move(request), [this, exchange = std::move(exchange),
                                     done = std::move(done)](http::ClientResponse r) mutable {
    Attempt a;
    a.exchange = std::move(exchange);
    a.exchange.http_status = r.status;
    a.exchange.response_body = std::move(r.body);
    a.exchange.error = r.error;
    a.exchange.elapsed_ms = r.elapsed_ms;
    if (r.status == 0) {
      a.result.verdict = adapters::SendVerdict::kTransient;
      a.result.error_code = "transport";
      a.result.reason = r.error + (r.request_sent ? " (request was sent)" : "");
    } else {
      a.result = classify_(r.status, a.exchange.response_body, r.headers);
    }
    done(std::move(a));
  });
}

}  // namespace satupintu::outbound
