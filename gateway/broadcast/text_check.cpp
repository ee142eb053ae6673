#include "broadcast/text_check.hpp"

#include "adapters/sms/analysis.hpp"
#include "adapters/sms/substitute.hpp"
#include "locale/ad_hoc_message.hpp"

namespace satupintu::broadcast {

TextCheck CheckText(std::string_view pattern, std::string_view language,
                    const ContentPolicy& policy) {
  TextCheck out;
  auto message = locale::AdHocMessage::Compile(pattern, language);
  if (!message.ok()) {
    out.error = message.error().message;
    return out;
  }
  const locale::Args samples = {
      {std::string(kPlaceholderName), std::string("Sriwahyuningsih")},
      {std::string(kPlaceholderVillage), std::string("Sukamaju Kidul Wetan Raya")},
      {std::string(kPlaceholderTicket), std::string("ADU-7KQ2MX")},
  };
  for (const auto& [name, kind] : message->arguments()) {
    if (!samples.contains(name) || kind != locale::ArgKind::kAny) {
      out.unknown_placeholders.push_back(name);
    }
  }
  if (!out.unknown_placeholders.empty()) return out;
  auto rendered = message->Render(samples);
  if (!rendered.ok()) {
    out.error = rendered.error().message;
    return out;
  }
  out.sample = std::move(rendered).value();
  out.problems = CheckContent(out.sample, policy);
  const auto sms = adapters::sms::Analyze(adapters::sms::SmartSubstitute(out.sample));
  out.sms_segments = static_cast<int>(sms.segments);
  out.sms_ucs2 = sms.encoding == adapters::sms::Encoding::kUcs2;
  return out;
}

}  // namespace satupintu::broadcast
