// Conversation state at rest: the seal itself (round trip, tampering, another citizen, another
// key) and the runtime on a real SQLite store: what a citizen typed mid-dialog is not in the
// file, a restart still resumes, and a state that does not open restarts at the menu.

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "app/chat_session.hpp"
#include "app/dialog_stack.hpp"
#include "config/config.hpp"
#include "conversation/services.hpp"
#include "conversation/state_seal.hpp"
#include "core/metrics.hpp"
#include "locale/catalog.hpp"
#include "paths/paths.hpp"
#include "schema/schema.hpp"
#include "storage/store.hpp"
#include "support/process.hpp"

namespace satupintu {
namespace {

using conversation::StateSeal;

const std::string kState = R"({"v":1,"flow":"complaint","slots":{"nik":"3206014508850003"}})";

// "Today" of the dialogs is the office's day, whatever zone the server runs in (TZ is not
// consulted): 00:30 WIB on 7 December is 17:30 UTC on the 6th.
TEST(OfficeDay, TheDayTurnsAtMidnightInTheOfficesZoneNotTheServers) {
  constexpr std::int64_t k0030Wib = 1796578200000;  // 2026-12-06T17:30:00Z
  constexpr std::int64_t k2359Wib = 1796576399000;  // 2026-12-06T16:59:59Z
  EXPECT_EQ(conversation::OfficeDayOf(k0030Wib, 420).ToIso(), "2026-12-07");
  EXPECT_EQ(conversation::OfficeDayOf(k2359Wib, 420).ToIso(), "2026-12-06");
  EXPECT_EQ(conversation::OfficeDayOf(k0030Wib, 0).ToIso(), "2026-12-06");
  EXPECT_EQ(conversation::OfficeDayOf(k0030Wib, 540).ToIso(), "2026-12-07");  // WIT
  EXPECT_EQ(conversation::OfficeDayOf(0, 420).ToIso(), "1970-01-01");
}

TEST(StateSeal, OpensOnlyUnalteredForTheSameCitizenAndKey) {
  const StateSeal seal("0123456789abcdef0123456789abcdef");
  const std::string sealed = seal.Seal(kState, 42);
  ASSERT_TRUE(StateSeal::LooksSealed(sealed));
  EXPECT_EQ(sealed.find("3206014508850003"), std::string::npos);
  EXPECT_EQ(sealed.find("complaint"), std::string::npos);
  EXPECT_EQ(seal.Open(sealed, 42).value_or(""), kState);

  EXPECT_FALSE(seal.Open(sealed, 43).has_value()) << "another citizen's row";
  for (std::size_t at : {std::size_t{4}, std::size_t{20}, sealed.size() - 1}) {
    std::string altered = sealed;
    altered[at] = static_cast<char>(altered[at] ^ 0x01);
    EXPECT_FALSE(seal.Open(altered, 42).has_value()) << "byte " << at;
  }
  EXPECT_FALSE(seal.Open(sealed.substr(0, sealed.size() - 1), 42).has_value());
  EXPECT_FALSE(seal.Open(kState, 42).has_value()) << "clear JSON is not a sealed state";
  EXPECT_FALSE(seal.Open("", 42).has_value());

  const StateSeal other("fedcba9876543210fedcba9876543210");
  EXPECT_FALSE(other.Open(sealed, 42).has_value()) << "another key";
}

TEST(StateSeal, EverySealIsFreshAndEmptyStatesWork) {
  const StateSeal seal("0123456789abcdef0123456789abcdef");
  const std::string a = seal.Seal(kState, 7);
  const std::string b = seal.Seal(kState, 7);
  EXPECT_NE(a, b) << "a random nonce per seal: equal states do not look equal";
  EXPECT_EQ(seal.Open(b, 7).value_or(""), kState);
  EXPECT_EQ(seal.Open(seal.Seal("", 7), 7).value_or("x"), "");

  // Without a key file: a key for this process only, still never clear.
  const StateSeal ephemeral("");
  const StateSeal ephemeral2("");
  const std::string e = ephemeral.Seal(kState, 7);
  EXPECT_EQ(ephemeral.Open(e, 7).value_or(""), kState);
  EXPECT_FALSE(ephemeral2.Open(e, 7).has_value());
  EXPECT_FALSE(seal.Open(e, 7).has_value());
}

class ConversationAtRest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.store.path = dir_.File("store.db");
    config_.locales.dir = ::satupintu::testing::SourceDir() + "/locales";
    config_.dialogs.dir = ::satupintu::testing::SourceDir() + "/dialogs";
    config_.regions.data_dir = dir_.File("no-regions");
    config_.registry.hash_key_file = dir_.File("no-registry.key");
    auto catalog = locale::Catalog::Load(config_.locales.dir);
    ASSERT_TRUE(catalog.ok()) << catalog.error().message;
    catalog_ = std::move(catalog).value();
    Open();
  }
  void TearDown() override { Close(); }

  void Open() {
    storage::StoreOptions o;
    o.migrations = schema::Migrations();
    o.path = config_.store.path;
    auto s = storage::Store::Open(o, &metrics_);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::move(s).value();
    auto built = app::BuildDialogStack(config_, *store_, catalog_);
    ASSERT_TRUE(built.ok()) << built.error().message;
    stack_ = std::move(built).value();
    session_ = std::make_unique<app::ChatSession>(store_.get(), stack_.get(),
                                                  app::ChatChannel::kSms, "6281100000001");
  }
  void Close() {
    session_.reset();
    stack_.reset();
    if (store_) store_->Close();
    store_.reset();
  }
  std::string Say(const std::string& text) {
    const auto replies = session_->Say(text);
    return replies.empty() ? "" : replies.front();
  }
  // The stored states, read straight from the file with the gateway closed.
  std::vector<std::string> StoredStates(
      const std::string& sql = "SELECT state FROM conversation") const {
    std::vector<std::string> out;
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(config_.store.path.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK);
    while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
      const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, 0));
      out.emplace_back(
          p == nullptr ? ""
                       : std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt, 0))));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return out;
  }
  void Exec(const std::string& sql) const {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(config_.store.path.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  // Menu -> complaint -> PKH -> the NIK: the state now holds it.
  void TypeTheNik() {
    EXPECT_EQ(Say("MENU").rfind("Layanan SLRT", 0), 0u);
    EXPECT_EQ(Say("1").rfind("Soal apa?", 0), 0u);
    EXPECT_EQ(Say("1").rfind("Kirim NIK Anda", 0), 0u);
    EXPECT_EQ(Say("3206014508850003"), "Tulis nama lengkap Anda sesuai KTP.");
  }

  testing::TempDir dir_;
  config::Config config_;
  core::MetricsRegistry metrics_;
  locale::Catalog catalog_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<app::DialogStack> stack_;
  std::unique_ptr<app::ChatSession> session_;
};

TEST_F(ConversationAtRest, WhatTheCitizenTypedIsNotInTheFileAndARestartResumes) {
  TypeTheNik();
  Close();
  const std::string key_file = dir_.File("conversation.key");
  struct stat st {};
  ASSERT_EQ(::stat(key_file.c_str(), &st), 0) << "created beside the store on first start";
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto states = StoredStates();
  ASSERT_EQ(states.size(), 1u);
  EXPECT_TRUE(StateSeal::LooksSealed(states[0]));
  for (const char* clear : {"3206014508850003", "0003", "complaint", "nik", "pkh"}) {
    EXPECT_EQ(states[0].find(clear), std::string::npos) << clear;
  }

  Open();
  EXPECT_EQ(Say("Siti Aminah"), "Tulis nama desa/kelurahan tempat tinggal Anda.");
  Close();
  for (const char* clear : {"Siti", "Aminah", "3206014508850003"}) {
    EXPECT_EQ(StoredStates()[0].find(clear), std::string::npos) << clear;
  }
}

TEST_F(ConversationAtRest, AStateThatDoesNotOpenStartsAgainAtTheMenu) {
  TypeTheNik();
  Close();
  // Altered in the file: the seal refuses it, the citizen is not stuck.
  Exec(
      "UPDATE conversation SET state = CAST(substr(state, 1, 30) || 'x' || substr(state, 32) "
      "AS BLOB)");
  Open();
  EXPECT_EQ(Say("Siti Aminah").rfind("Layanan SLRT", 0), 0u);
  Close();

  // The key file lost: a new one is made; the dialog in progress starts again, nothing fails.
  Open();
  TypeTheNik();
  Close();
  std::filesystem::remove(dir_.File("conversation.key"));
  Open();
  EXPECT_EQ(Say("Siti Aminah").rfind("Layanan SLRT", 0), 0u);
  EXPECT_TRUE(std::filesystem::exists(dir_.File("conversation.key")));
}

TEST_F(ConversationAtRest, AClearStateFromBeforeSealingIsReadOnceThenSealed) {
  TypeTheNik();
  Close();
  // What the gateway wrote before states were sealed: the same state as JSON text.
  Exec(
      "UPDATE conversation SET state = "
      "'{\"v\":1,\"flow\":\"complaint\",\"step\":\"name_with_nik\",\"lang\":\"id\",\"slots\":"
      "{\"category\":\"pkh\",\"nik\":\"3206014508850003\"}}'");
  Open();
  EXPECT_EQ(Say("Siti Aminah"), "Tulis nama desa/kelurahan tempat tinggal Anda.");
  Close();
  const auto states = StoredStates();
  ASSERT_EQ(states.size(), 1u);
  EXPECT_TRUE(StateSeal::LooksSealed(states[0]));
  EXPECT_EQ(states[0].find("3206014508850003"), std::string::npos);
}

}  // namespace
}  // namespace satupintu
