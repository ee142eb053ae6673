// Fuzz target for URL and query decoding in gateway/http: ParseUrl (the outbound client's
// URLs), PercentDecode and Request::QueryParam (every query the server reads) and the router's
// path matching. Invariants: a parsed URL has a host, a port, a target starting with '/', no
// whitespace, control or non-ASCII bytes, and written back out parses to the same URL;
// decoding never grows the text; a matched route is one of the patterns with non-empty
// (decoded) parameters.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "http/url.hpp"

namespace {

using namespace satupintu::http;  // NOLINT(google-build-using-namespace): a fuzz target

bool Clean(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F) return false;
  }
  return true;
}

std::string Write(const Url& url) {
  std::string out = url.tls ? "https://" : "http://";
  out += url.ipv6 ? "[" + std::string(url.host) + "]" : std::string(url.host);
  if (!url.default_port) out += ":" + std::to_string(url.port);
  out += url.target;
  return out;
}

void CheckUrl(std::string_view text) {
  const std::optional<Url> url = ParseUrl(text);
  if (!url) return;
  FUZZ_CHECK(!url->host.empty());
  FUZZ_CHECK(Clean(url->host));
  FUZZ_CHECK(!url->target.empty() && url->target[0] == '/');
  FUZZ_CHECK(Clean(url->target));
  FUZZ_CHECK(url->target.find('#') == std::string_view::npos);
  if (url->default_port) FUZZ_CHECK(url->port == (url->tls ? 443 : 80));
  const std::string written = Write(*url);
  const std::optional<Url> again = ParseUrl(written);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->tls == url->tls && again->host == url->host && again->ipv6 == url->ipv6);
  FUZZ_CHECK(again->port == url->port && again->target == url->target);
}

const Router& Routes() {
  static const Router router = [] {
    Router r;
    for (const char* pattern : {"/api/v1/tickets", "/api/v1/tickets/{code}",
                                "/api/v1/tickets/{code}/actions", "/api/v1/reports/{name}",
                                "/webhooks/whatsapp/{channel}", "/kannel/{name}/dlr", "/healthz"}) {
      r.Add("GET", pattern, [](Request, Respond) {});
    }
    r.Add("POST", "/api/v1/tickets/{code}/actions", [](Request, Respond) {});
    return r;
  }();
  return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckUrl(input);

  FUZZ_CHECK(PercentDecode(input).size() <= size);
  Request request;
  request.query = std::string(input);
  for (std::string_view name : {"purpose", "page", "q", "status"}) {
    FUZZ_CHECK(request.QueryParam(name).size() <= size);
  }

  std::map<std::string, std::string, std::less<>> params;
  const Router::Match match = Routes().Find(size % 2 == 0 ? "GET" : "POST", input, &params);
  if (match.handler != nullptr) {
    FUZZ_CHECK(match.status == 200 || match.route.rfind("/", 0) == 0);
    for (const auto& [name, value] : params) {
      FUZZ_CHECK(!value.empty());
      FUZZ_CHECK(value.size() <= size);
    }
  } else {
    FUZZ_CHECK(match.status == 404 || match.status == 405);
  }
  return 0;
}
