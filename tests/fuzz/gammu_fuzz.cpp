// Fuzz target for Gammu SMSD's inbox (adapters/gammu): the input is inbox rows, one a line,
// fields separated by '|': ReceivingDateTime|SenderNumber|TextDecoded|Coding|UDH. Invariants:
// ParseConcat yields 1 <= seq <= total; Reassemble consumes every row exactly once (a message,
// skipped or pending), gives the same messages whatever the row order, E.164 senders, ids
// "gammu:<lowest id>:...", at most as many parts received as announced, UTF-8 text when every
// row's text is UTF-8; and after the timeout nothing is left pending.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/gammu/config.hpp"
#include "adapters/gammu/reassembly.hpp"
#include "adapters/gammu/rows.hpp"
#include "adapters/gammu/udh.hpp"
#include "fuzz_check.hpp"
#include "inbound_checks.hpp"

namespace {

using namespace satupintu::adapters::gammu;  // NOLINT(google-build-using-namespace)
using satupintu::fuzz::SplitFields;

constexpr std::int64_t kNow = 1795000000;  // 2026-11-18

std::vector<InboxRow> RowsOf(std::string_view input) {
  std::vector<InboxRow> rows;
  std::int64_t id = 1;
  for (const std::string& line : SplitFields(input, '\n', 64)) {
    const std::vector<std::string> f = SplitFields(line, '|', 5);
    InboxRow row;
    row.id = id++;
    row.receiving_date_time = f[0];
    row.sender_number = f.size() > 1 ? f[1] : "";
    row.text_decoded = f.size() > 2 ? f[2] : "";
    row.coding = f.size() > 3 ? f[3] : std::string(kCodingGsm7);
    row.udh_hex = f.size() > 4 ? f[4] : "";
    row.smsc_number = "+62816124";
    rows.push_back(std::move(row));
  }
  return rows;
}

std::map<std::string, std::string> Texts(const Reassembly& r) {
  std::map<std::string, std::string> texts;
  for (const AssembledMessage& m : r.messages) texts[m.message.provider_id] = m.message.text;
  return texts;
}

void CheckReassembly(const std::vector<InboxRow>& rows, const Reassembly& r) {
  std::vector<std::int64_t> seen(r.skipped_ids);
  seen.insert(seen.end(), r.pending_ids.begin(), r.pending_ids.end());
  bool all_utf8 = true;
  for (const InboxRow& row : rows) all_utf8 = all_utf8 && satupintu::fuzz::IsUtf8(row.text_decoded);
  for (const AssembledMessage& m : r.messages) {
    FUZZ_CHECK(!m.inbox_ids.empty());
    seen.insert(seen.end(), m.inbox_ids.begin(), m.inbox_ids.end());
    const std::int64_t lowest = *std::min_element(m.inbox_ids.begin(), m.inbox_ids.end());
    FUZZ_CHECK(m.message.provider_id.rfind("gammu:" + std::to_string(lowest) + ":", 0) == 0);
    FUZZ_CHECK(satupintu::fuzz::AllDigits(m.message.address));
    FUZZ_CHECK(m.parts_received >= 1 && m.parts_received <= m.parts_total);
    if (!m.partial) FUZZ_CHECK(m.parts_received == m.parts_total);
    if (all_utf8) FUZZ_CHECK(satupintu::fuzz::IsUtf8(m.message.text));
  }
  std::sort(seen.begin(), seen.end());
  FUZZ_CHECK(seen.size() == rows.size());
  for (std::size_t i = 0; i < seen.size(); ++i) FUZZ_CHECK(seen[i] == rows[i].id);
  const std::vector<std::int64_t> processed = r.ProcessedIds();
  FUZZ_CHECK(std::is_sorted(processed.begin(), processed.end()));
  FUZZ_CHECK(processed.size() + r.pending_ids.size() == rows.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const auto concat = ParseConcat(input)) {
    FUZZ_CHECK(concat->total >= 1 && concat->seq >= 1 && concat->seq <= concat->total);
  }
  (void)ParseSmsdTime(input, std::chrono::hours(7));

  Config config;
  config.smsd_utc_offset = std::chrono::hours(7);
  const std::vector<InboxRow> rows = RowsOf(input);
  for (const InboxRow& row : rows) {
    if (const auto concat = ParseConcat(row.udh_hex)) {
      FUZZ_CHECK(concat->total >= 1 && concat->seq >= 1 && concat->seq <= concat->total);
    }
  }
  const Reassembly now = Reassemble(config, rows, kNow);
  CheckReassembly(rows, now);
  std::vector<InboxRow> reversed(rows.rbegin(), rows.rend());
  const Reassembly again = Reassemble(config, reversed, kNow);
  FUZZ_CHECK(Texts(again) == Texts(now));
  FUZZ_CHECK(again.pending_ids.size() == now.pending_ids.size());

  const Reassembly later = Reassemble(config, rows, kNow + 24 * 3600);
  CheckReassembly(rows, later);
  FUZZ_CHECK(later.pending_ids.empty());
  return 0;
}
