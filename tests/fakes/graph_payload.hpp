#pragma once
// Wire shapes of the fake Graph API: validation of a send body and the JSON it answers with.
// Kept apart from FakeGraphApi so the HTTP side stays short.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace satupintu::testing::fakes::graph {

struct SendRequest {
  std::string to;
  std::string type;  // "text", "interactive" or "template"
};

// Parses and checks a /messages body against the documented limits. On failure returns
// nullopt and the Graph-style message ("(#100) ...") in `error`.
std::optional<SendRequest> ParseSend(std::string_view body, std::string* error);

// {"error":{"message","type","code","error_subcode"?,"error_data"?,"fbtrace_id"}}
std::string ErrorBody(int code, std::string_view message, std::string_view details = {},
                      int subcode = 0);

std::string SuccessBody(const std::string& to, const std::string& wamid);

struct StatusEvent {
  std::string waba_id;
  std::string phone_number_id;
  std::string display_phone_number;
  std::string wamid;
  std::string recipient;
  std::string status;
  std::int64_t timestamp = 0;
  std::optional<int> error_code;
};

// A status webhook envelope as Meta posts it, non-ASCII escaped as \uXXXX like Meta does.
std::string StatusEnvelope(const StatusEvent& event);

// Title and details Meta uses for the error codes the fake knows.
std::string ErrorTitle(int code);
std::string ErrorDetails(int code);

}  // namespace satupintu::testing::fakes::graph
