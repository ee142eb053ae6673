#pragma once
// The sendsms request for one outbound SMS. Kannel concatenates long texts itself (the
// sendsms-user's max-messages), so the whole text goes in one request; the number of parts it
// will cost is reported so the outbox can count and rate-limit real SMS.

#include <cstddef>
#include <optional>
#include <string>

#include "adapters/core/adapter.hpp"
#include "adapters/kannel/config.hpp"
#include "adapters/sms/analysis.hpp"

namespace satupintu::adapters::kannel {

// A request for the shared sender, or why none was built. The password and the shared secret
// are in call->url only; error never contains them, the text or the number.
struct BuildResult {
  std::optional<HttpCall> call;
  std::string error;
  std::size_t segments = 0;  // SMS parts Kannel will send
  sms::Encoding encoding = sms::Encoding::kGsm7;

  bool ok() const { return call.has_value(); }
};

// GET {sendsms_url}?username&password&to&from&text&coding&charset=UTF-8&dlr-mask&dlr-url&smsc.
// The text is SmartSubstitute()d, then coding is 0 when Analyze() finds it GSM-7, else 2:
// Kannel never picks UCS-2 by itself and would send '?' instead. The dlr-url is
// {dlr_url_base}?id=<message.id>&type=%d&smsc=%i&ts=%T&reply=%A&secret=<shared_secret>,
// percent-encoded as one parameter. Refused: an id that is not an unreserved token (it must
// survive Kannel's '%' escapes unencoded), an address NormalizePhone() rejects, empty or
// invalid UTF-8 text, and text needing more than max_parts parts. Choices and template fields
// are not SMS concepts and are ignored; the dialogs render SMS menus as text.
BuildResult BuildSend(const Config& config, const OutboundMessage& message);

// The dlr-url above, before percent-encoding: for deploy checks and tests.
std::string DlrUrl(const Config& config, std::string_view message_id);

}  // namespace satupintu::adapters::kannel
