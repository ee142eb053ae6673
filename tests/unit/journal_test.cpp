#include "storage/journal.hpp"

#include <gtest/gtest.h>

#include <future>

#include "schema/schema.hpp"
#include "support/process.hpp"

namespace satupintu::storage {
namespace {

class JournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions options;
    options.migrations = schema::Migrations();
    options.path = dir_.File("j.db");
    store_ = std::move(Store::Open(options, &metrics_)).value();
    journal_ = std::make_unique<Journal>(store_.get(), &metrics_);
  }

  core::Result<AppendOutcome> Append(std::vector<InboundRecord> records) {
    std::promise<core::Result<AppendOutcome>> done;
    auto f = done.get_future();
    journal_->Append(std::move(records), "req-1",
                     [&](core::Result<AppendOutcome> r) { done.set_value(std::move(r)); });
    return f.get();
  }

  std::int64_t Rows() {
    auto db = Db::Open(dir_.File("j.db"), true);
    return db.value()->QueryInt("SELECT COUNT(*) FROM inbound_journal").value();
  }

  testing::TempDir dir_;
  core::MetricsRegistry metrics_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Journal> journal_;
};

TEST_F(JournalTest, StoresEachProviderIdOnce) {
  auto r = Append({{"telegram", "1", "{}"}, {"telegram", "2", "{}"}, {"telegram", "1", "{}"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stored, 2);
  EXPECT_EQ(r->duplicates, 1);
  ASSERT_EQ(r->journal_ids.size(), 3u);
  EXPECT_GT(r->journal_ids[0], 0);
  EXPECT_EQ(r->journal_ids[2], 0);

  auto again = Append({{"telegram", "1", "{}"}, {"telegram", "2", "{}"}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->stored, 0);
  EXPECT_EQ(again->duplicates, 2);
  EXPECT_EQ(Rows(), 2);
}

TEST_F(JournalTest, SameIdOnAnotherChannelIsAnotherMessage) {
  auto r = Append({{"telegram", "42", "a"}, {"whatsapp", "42", "b"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->stored, 2);
}

TEST_F(JournalTest, KeepsPayloadAndRequestId) {
  ASSERT_TRUE(Append({{"kannel", "m-1", "text=halo"}}).ok());
  auto db = Db::Open(dir_.File("j.db"), true);
  EXPECT_EQ(db.value()->QueryText("SELECT payload FROM inbound_journal").value(), "text=halo");
  EXPECT_EQ(db.value()->QueryText("SELECT request_id FROM inbound_journal").value(), "req-1");
  EXPECT_EQ(db.value()->QueryText("SELECT state FROM inbound_journal").value(), "new");
}

TEST_F(JournalTest, ClosedStoreStoresNothingAndSaysUnavailable) {
  store_->Close();
  auto r = Append({{"telegram", "9", "{}"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kUnavailable);
  EXPECT_EQ(Rows(), 0);
}

TEST_F(JournalTest, CountsStoredAndDuplicateMessagesPerChannel) {
  ASSERT_TRUE(Append({{"sms", "a", ""}, {"sms", "a", ""}}).ok());
  const auto text = metrics_.Render();
  EXPECT_NE(text.find(R"(satupintu_journal_messages_total{channel="sms",result="stored"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(satupintu_journal_messages_total{channel="sms",result="duplicate"} 1)"),
            std::string::npos);
}

}  // namespace
}  // namespace satupintu::storage
