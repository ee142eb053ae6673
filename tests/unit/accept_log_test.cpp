// The acceptance log (issue 19, fewer duplicates after a crash): what is appended is read back
// after a "crash" (a new reader), damaged or cut lines are skipped, ids that cannot be written
// plainly are refused, and the two files stay small while never dropping a line whose part the
// store has not recorded yet.
#include "outbound/accept_log.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>

#include "support/process.hpp"

namespace satupintu::outbound {
namespace {

std::vector<std::int64_t> PartIds(const std::string& base) {
  auto entries = AcceptLog::Read(base);
  EXPECT_TRUE(entries.ok());
  std::vector<std::int64_t> ids;
  if (!entries.ok()) return ids;
  for (const auto& e : entries.value()) ids.push_back(e.part_id);
  return ids;
}

TEST(AcceptLogTest, WhatIsAppendedIsReadBackByTheNextStart) {
  testing::TempDir dir;
  const std::string base = dir.File("store.db");
  {
    auto log = AcceptLog::Open(base);
    ASSERT_TRUE(log.ok());
    ASSERT_TRUE(log.value()->Append(7, "wamid.HBgLNjI4MTI=").ok());
    ASSERT_TRUE(log.value()->Append(8, "").ok());  // Kannel: no id of the peer's
    ASSERT_TRUE(log.value()->Append(9, "1234").ok());
    EXPECT_EQ(log.value()->outstanding(), 3);
  }  // the process dies: nothing recorded
  auto entries = AcceptLog::Read(base);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].part_id, 7);
  EXPECT_EQ((*entries)[0].provider_message_id, "wamid.HBgLNjI4MTI=");
  EXPECT_EQ((*entries)[1].part_id, 8);
  EXPECT_EQ((*entries)[1].provider_message_id, "");
  EXPECT_EQ((*entries)[2].provider_message_id, "1234");

  struct stat st {};
  ASSERT_EQ(::stat((base + ".a").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "owner only";

  // Reopened, the lines stay until start-up has put them in the store and clears them.
  auto again = AcceptLog::Open(base);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(PartIds(base).size(), 3u);
  ASSERT_TRUE(again.value()->Clear().ok());
  EXPECT_TRUE(PartIds(base).empty());
}

TEST(AcceptLogTest, OffersNotYetAnsweredAreReadBackUnderTheMarker) {
  testing::TempDir dir;
  const std::string base = dir.File("store.db");
  {
    auto log = AcceptLog::Open(base);
    ASSERT_TRUE(log.ok());
    auto offered = log.value()->Offer(11);
    ASSERT_TRUE(offered.ok());
    ASSERT_TRUE(log.value()->Offer(12).ok());
    // Part 11: the peer accepted it; its offer is released once the acceptance is written.
    ASSERT_TRUE(log.value()->Append(11, "wamid.11").ok());
    log.value()->Recorded(offered.value());
  }  // killed: part 12 is with the peer, unanswered
  auto all = AcceptLog::ReadAll(base);
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->offers_logged);
  ASSERT_EQ(all->accepted.size(), 1u);
  EXPECT_EQ(all->accepted[0].part_id, 11);
  // The released offer is still in the file (only whole files are emptied): a part with both
  // lines counts as accepted.
  EXPECT_EQ(all->offered, (std::vector<std::int64_t>{11, 12}));
  // A log written without offers (an older binary) has no marker: nothing may be inferred.
  testing::WriteFile(base + ".a", AcceptLine(5, "x"));
  testing::WriteFile(base + ".b", "");
  all = AcceptLog::ReadAll(base);
  ASSERT_TRUE(all.ok());
  EXPECT_FALSE(all->offers_logged);
  EXPECT_TRUE(all->offered.empty());
  EXPECT_EQ(all->accepted.size(), 1u);
  // A damaged offer is not one.
  std::string line = OfferLine(77);
  line[0] = '8';
  testing::WriteFile(base + ".a", line);
  EXPECT_TRUE(AcceptLog::ReadAll(base)->offered.empty());
}

TEST(AcceptLogTest, NoFilesMeansNothingAccepted) {
  testing::TempDir dir;
  auto entries = AcceptLog::Read(dir.File("never.db"));
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(entries->empty());
}

TEST(AcceptLogTest, DamagedAndCutLinesAreSkipped) {
  testing::TempDir dir;
  const std::string base = dir.File("store.db");
  {
    std::ofstream out(base + ".a", std::ios::binary);
    out << AcceptLine(1, "good.1");
    std::string damaged = AcceptLine(2, "good.2");
    damaged[0] = '3';  // another part id under the same checksum
    out << damaged;
    out << "garbage without a checksum\n";
    out << std::string(5, '\0') << "\n";  // what a power loss can leave
    out << AcceptLine(4, "good.4");
    const std::string cut = AcceptLine(5, "good.5");
    out << cut.substr(0, cut.size() - 1);  // no end of line: the write never finished
  }
  EXPECT_EQ(PartIds(base), (std::vector<std::int64_t>{1, 4}));
  EXPECT_EQ(ParseAcceptLine("0 x 00000000"), std::nullopt);
  EXPECT_EQ(ParseAcceptLine(""), std::nullopt);
}

TEST(AcceptLogTest, IdsThatCannotBeWrittenPlainlyAreRefused) {
  testing::TempDir dir;
  auto log = AcceptLog::Open(dir.File("store.db"));
  ASSERT_TRUE(log.ok());
  for (const char* id : {"two words", "line\nbreak", "caf\xc3\xa9", "tab\t"}) {
    auto r = log.value()->Append(1, id);
    ASSERT_FALSE(r.ok()) << id;
    EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  }
  EXPECT_EQ(log.value()->outstanding(), 0);
  EXPECT_TRUE(PartIds(dir.File("store.db")).empty());
}

// 5,000 acceptances, each recorded soon after, through files that turn at 512 bytes: the log
// stays small; a line whose record is still pending is kept however many turns pass.
TEST(AcceptLogTest, FilesTakeTurnsAndKeepEveryUnrecordedLine) {
  testing::TempDir dir;
  const std::string base = dir.File("store.db");
  auto opened = AcceptLog::Open(base, 512);
  ASSERT_TRUE(opened.ok());
  auto& log = *opened.value();
  auto pending = log.Append(1, "slow.record");  // its store write is stuck for now
  ASSERT_TRUE(pending.ok());
  std::vector<AcceptLog::Ticket> lagging;
  for (std::int64_t id = 2; id <= 5000; ++id) {
    auto t = log.Append(id, "wamid." + std::to_string(id));
    ASSERT_TRUE(t.ok());
    lagging.push_back(t.value());
    if (lagging.size() > 3) {  // records land a few answers behind
      log.Recorded(lagging.front());
      lagging.erase(lagging.begin());
    }
  }
  const auto ids = PartIds(base);
  EXPECT_NE(std::find(ids.begin(), ids.end(), 1), ids.end()) << "the unrecorded line stays";
  for (const auto t : lagging) log.Recorded(t);
  EXPECT_EQ(log.outstanding(), 1);
  log.Recorded(pending.value());
  EXPECT_EQ(log.outstanding(), 0);
  // With the first line pending the files could not take turns: one of them grew. Once it is
  // recorded they take turns again and what is left is bounded by two turns.
  for (std::int64_t id = 5001; id <= 7000; ++id) {
    auto t = log.Append(id, "wamid." + std::to_string(id));
    ASSERT_TRUE(t.ok());
    log.Recorded(t.value());
  }
  EXPECT_LE(log.bytes(), 2 * 512u + 64u);
  const auto after = PartIds(base);
  EXPECT_EQ(std::find(after.begin(), after.end(), 1), after.end()) << "recorded, then dropped";
}

}  // namespace
}  // namespace satupintu::outbound
