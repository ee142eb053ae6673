#include "adapters/gammu/reassembly.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "adapters/core/phone.hpp"
#include "adapters/gammu/udh.hpp"

namespace satupintu::adapters::gammu {
namespace {

struct Group {
  std::string address;
  int total = 1;
  std::vector<const InboxRow*> rows;      // every row, repeats included, ascending ID
  std::map<int, const InboxRow*> by_seq;  // the first row seen for each sequence number
};

bool ParseDigits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > text.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

std::uint64_t Fnv1a(std::string_view a, std::string_view b) {
  std::uint64_t hash = 14695981039346656037ULL;
  auto mix = [&hash](std::string_view s) {
    for (const char c : s) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 1099511628211ULL;
    }
  };
  mix(a);
  mix("\n");
  mix(b);
  return hash;
}

// Form encoding keeps raw one line per part whatever the text contains.
void AppendField(std::string& out, std::string_view name, std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (!out.empty() && out.back() != '\n') out += '&';
  out += name;
  out += '=';
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0x0F];
    }
  }
}

std::string RawRows(const std::vector<const InboxRow*>& rows) {
  std::string raw;
  for (const InboxRow* row : rows) {
    if (!raw.empty()) raw += '\n';
    AppendField(raw, "ID", std::to_string(row->id));
    AppendField(raw, "ReceivingDateTime", row->receiving_date_time);
    AppendField(raw, "SenderNumber", row->sender_number);
    AppendField(raw, "Coding", row->coding);
    AppendField(raw, "UDH", row->udh_hex);
    AppendField(raw, "SMSCNumber", row->smsc_number);
    AppendField(raw, "TextDecoded", row->text_decoded);
  }
  return raw;
}

AssembledMessage Assemble(const Config& config, const Group& group, bool partial) {
  const InboxRow& first = *group.rows.front();
  AssembledMessage out;
  char hash[17];
  std::snprintf(
      hash, sizeof(hash), "%016llx",
      static_cast<unsigned long long>(Fnv1a(first.sender_number, first.receiving_date_time)));
  out.message.provider_id = "gammu:" + std::to_string(first.id) + ":" + hash;
  out.message.address = group.address;
  bool binary = false;
  for (const auto& [seq, row] : group.by_seq) {
    if (row->coding == kCoding8bit) binary = true;
    out.message.text += row->text_decoded;
  }
  if (binary) {
    // 8-bit parts are WAP push, SIM updates and the like: nothing a citizen typed.
    out.message.kind = MessageKind::kUnsupported;
    out.message.text.clear();
  }
  out.message.sent_at_s =
      ParseSmsdTime(first.receiving_date_time, config.smsd_utc_offset).value_or(0);
  out.message.raw = RawRows(group.rows);
  for (const InboxRow* row : group.rows) out.inbox_ids.push_back(row->id);
  out.parts_received = static_cast<int>(group.by_seq.size());
  out.parts_total = group.total;
  out.partial = partial;
  return out;
}

}  // namespace

std::vector<std::int64_t> Reassembly::ProcessedIds() const {
  std::vector<std::int64_t> ids = skipped_ids;
  for (const auto& message : messages) {
    ids.insert(ids.end(), message.inbox_ids.begin(), message.inbox_ids.end());
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::optional<std::int64_t> ParseSmsdTime(std::string_view text, std::chrono::seconds utc_offset) {
  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' ||
      (text[10] != ' ' && text[10] != 'T') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  if (!ParseDigits(text, 0, 4, year) || !ParseDigits(text, 5, 2, month) ||
      !ParseDigits(text, 8, 2, day) || !ParseDigits(text, 11, 2, hour) ||
      !ParseDigits(text, 14, 2, minute) || !ParseDigits(text, 17, 2, second)) {
    return std::nullopt;
  }
  if (text.size() > 19 && text[19] != '.') return std::nullopt;
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(year),
                                         std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  const auto local = std::chrono::sys_days(date) + std::chrono::hours(hour) +
                     std::chrono::minutes(minute) + std::chrono::seconds(second);
  return (local - utc_offset).time_since_epoch().count();
}

Reassembly Reassemble(const Config& config, const std::vector<InboxRow>& rows, std::int64_t now_s) {
  std::vector<const InboxRow*> sorted;
  sorted.reserve(rows.size());
  for (const auto& row : rows) sorted.push_back(&row);
  std::sort(sorted.begin(), sorted.end(),
            [](const InboxRow* a, const InboxRow* b) { return a->id < b->id; });

  Reassembly out;
  std::vector<Group> groups;                            // in order of their lowest ID
  std::unordered_map<std::string, std::size_t> latest;  // concat key -> newest group
  for (const InboxRow* row : sorted) {
    auto address = NormalizePhone(row->sender_number);
    if (!address) {
      out.skipped_ids.push_back(row->id);
      out.notes.push_back("inbox " + std::to_string(row->id) + ": sender is not a phone number");
      continue;
    }
    const auto concat = ParseConcat(row->udh_hex);
    if (!concat || concat->total == 1) {
      Group single;
      single.address = std::move(*address);
      single.rows.push_back(row);
      single.by_seq.emplace(1, row);
      groups.push_back(std::move(single));
      continue;
    }
    const std::string key = *address + (concat->wide_ref ? "/w" : "/n") +
                            std::to_string(concat->ref) + "/" + std::to_string(concat->total);
    const int seq = concat->seq;
    auto it = latest.find(key);
    if (it != latest.end()) {
      Group& group = groups[it->second];
      auto held = group.by_seq.find(seq);
      if (held == group.by_seq.end()) {
        group.rows.push_back(row);
        group.by_seq.emplace(seq, row);
        continue;
      }
      if (held->second->text_decoded == row->text_decoded && held->second->coding == row->coding) {
        group.rows.push_back(row);  // the network delivered this part twice
        continue;
      }
    }
    Group group;
    group.address = std::move(*address);
    group.total = concat->total;
    group.rows.push_back(row);
    group.by_seq.emplace(seq, row);
    latest[key] = groups.size();
    groups.push_back(std::move(group));
  }

  const std::int64_t timeout_s = config.partial_timeout.count();
  for (const Group& group : groups) {
    if (static_cast<int>(group.by_seq.size()) == group.total) {
      out.messages.push_back(Assemble(config, group, false));
      continue;
    }
    bool expired = false;
    for (const InboxRow* row : group.rows) {
      const auto at = ParseSmsdTime(row->receiving_date_time, config.smsd_utc_offset);
      // A time more than the timeout ahead (SMSD's host clock was wrong) would hold the group
      // until then: it gives up like a time that does not parse.
      if (!at || now_s - *at >= timeout_s || *at - now_s >= timeout_s) expired = true;
    }
    if (expired) {
      out.messages.push_back(Assemble(config, group, true));
      out.notes.push_back("inbox " + std::to_string(group.rows.front()->id) + ": gave up after " +
                          std::to_string(group.by_seq.size()) + " of " +
                          std::to_string(group.total) + " parts");
    } else {
      for (const InboxRow* row : group.rows) out.pending_ids.push_back(row->id);
    }
  }
  return out;
}

}  // namespace satupintu::adapters::gammu
