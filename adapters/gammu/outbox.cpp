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

PartBuild BuildPartRow(const Config& config, std::string_view creator_id, std::string_view address,
                       std::string_view text, int seq, int total, std::uint8_t ref) {
  PartBuild out;
  if (creator_id.empty()) {
    out.error = "creator id is empty (CreatorID is required)";
    return out;
  }
  const auto number = NormalizePhone(address);
  if (!number) {
    out.error = "address is not a phone number";
    return out;
  }
  if (total < 1 || total > static_cast<int>(sms::kMaxParts) || seq < 1 || seq > total) {
    out.error = "part " + std::to_string(seq) + " of " + std::to_string(total) + " is out of range";
    return out;
  }
  if (text.empty()) {
    out.error = "text is empty";
    return out;
  }
  const sms::Analysis analysis = sms::Analyze(text);
  if (analysis.had_invalid_utf8) {
    out.error = "text is not UTF-8";
    return out;
  }
  const std::size_t limit =
      total > 1 ? sms::PartUnits(analysis.encoding) : sms::SingleUnits(analysis.encoding);
  if (analysis.units > limit) {
    out.error =
        "part has " + std::to_string(analysis.units) + " units, limit is " + std::to_string(limit);
    return out;
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  auto hex = [](int v) {
    const auto b = static_cast<unsigned>(v) & 0xFFU;
    return std::string{kHex[b >> 4], kHex[b & 0xFU]};
  };

  OutboxRow row;
  row.destination_number = "+" + *number;
  row.text_decoded = std::string(text);
  row.coding = std::string(analysis.encoding == sms::Encoding::kGsm7 ? kCodingGsm7 : kCodingUcs2);
  row.udh = total > 1 ? "050003" + hex(ref) + hex(total) + hex(seq) : "";
  row.multi_part = "false";
  row.creator_id = std::string(creator_id);
  row.delivery_report = config.delivery_report ? "yes" : "default";
  row.sender_id = config.phone_id;
  out.row = std::move(row);
  return out;
}

}  // namespace satupintu::adapters::gammu
