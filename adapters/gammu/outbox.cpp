#include "adapters/gammu/outbox.hpp"

#include "adapters/core/phone.hpp"
#include "adapters/sms/analysis.hpp"
#include "adapters/sms/split.hpp"
#include "adapters/sms/substitute.hpp"

namespace satupintu::adapters::gammu {

std::uint8_t ConcatRef(std::string_view message_id) {
  std::uint32_t hash = 2166136261U;
  for (const char c : message_id) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619U;
  }
  return static_cast<std::uint8_t>(hash ^ (hash >> 8) ^ (hash >> 16) ^ (hash >> 24));
}

OutboxBuild BuildOutbox(const Config& config, const OutboundMessage& message, std::uint8_t ref) {
  OutboxBuild out;
  if (message.id.empty()) {
    out.error = "message id is empty (CreatorID is required)";
    return out;
  }
  const auto number = NormalizePhone(message.address);
  if (!number) {
    out.error = "address is not a phone number";
    return out;
  }
  const std::string text = sms::SmartSubstitute(message.text);
  const sms::Analysis analysis = sms::Analyze(text);
  if (text.empty()) {
    out.error = "text is empty";
    return out;
  }
  if (analysis.had_invalid_utf8) {
    out.error = "text is not UTF-8";
    return out;
  }
  if (analysis.segments > config.max_parts) {
    out.error = "text needs " + std::to_string(analysis.segments) + " parts, limit is " +
                std::to_string(config.max_parts);
    return out;
  }
  const auto parts = sms::Split(text, ref);
  if (parts.empty()) {
    out.error = "text cannot be split";
    return out;
  }
  const std::string coding{analysis.encoding == sms::Encoding::kGsm7 ? kCodingGsm7 : kCodingUcs2};

  OutboxMessage rows;
  rows.first.destination_number = "+" + *number;
  rows.first.text_decoded = parts.front().text;
  rows.first.coding = coding;
  rows.first.udh = parts.size() > 1 ? parts.front().udh_hex : "";
  rows.first.multi_part = parts.size() > 1 ? "true" : "false";
  rows.first.creator_id = message.id;
  rows.first.delivery_report = config.delivery_report ? "yes" : "default";
  rows.first.sender_id = config.phone_id;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    OutboxMultipartRow row;
    row.sequence_position = parts[i].seq;
    row.text_decoded = parts[i].text;
    row.coding = coding;
    row.udh = parts[i].udh_hex;
    rows.more.push_back(std::move(row));
  }
  out.outbox = std::move(rows);
  return out;
}

}  // namespace satupintu::adapters::gammu
