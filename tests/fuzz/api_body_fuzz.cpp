// Fuzz target for what the REST API (gateway/api) reads from a request before any handler runs:
// the JSON body (ParseBody, StringField), the query (IntParam, PurposeOf, QueryFlag) and the
// bearer token. The input is the body and the query of one request. Invariants: no exception
// escapes; a body is accepted only as a JSON object of at most 16 KiB, and every string field
// read from it is UTF-8; an integer parameter is within its range; an accepted purpose is at
// most 100 bytes of UTF-8; the dumped body parses back to the same JSON.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/context.hpp"
#include "fuzz_check.hpp"
#include "fuzz_util.hpp"
#include "http/message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace satupintu::api;  // NOLINT(google-build-using-namespace): a fuzz target
  using satupintu::fuzz::IsUtf8;
  const std::string input(reinterpret_cast<const char*>(data), size);
  satupintu::http::Request request;
  request.method = "POST";
  request.path = "/api/v1/tickets/ADU-7K3M9Q/actions";
  request.body = input;
  request.query = input;
  request.headers.emplace_back("authorization", "Bearer " + input.substr(0, input.find('\n')));

  const auto body = ParseBody(request);
  if (body.ok()) {
    FUZZ_CHECK(size <= 16 * 1024);
    FUZZ_CHECK(body.value().is_object());
    for (const char* name : {"action", "note", "programme", "answer", "reason", "village_code",
                             "priority", "username", "password", "text", "nik", "phone"}) {
      FUZZ_CHECK(IsUtf8(StringField(body.value(), name)));
    }
    const std::string dumped = body.value().dump();
    FUZZ_CHECK(nlohmann::json::parse(dumped) == body.value());
  }
  const auto page = IntParam(request, "page", 1, 1, 10000);
  if (page.ok()) FUZZ_CHECK(page.value() >= 1 && page.value() <= 10000);
  const auto purpose = PurposeOf(request);
  if (purpose.ok()) FUZZ_CHECK(purpose.value().size() <= 100 && IsUtf8(purpose.value()));
  (void)QueryFlag(request, "unplaced");
  const std::string bearer = BearerOf(request);
  FUZZ_CHECK(bearer.size() <= size);
  return 0;
}
