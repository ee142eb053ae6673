#include "compose/compose.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "adapters/sms/analysis.hpp"
#include "schema/schema.hpp"
#include "storage/migrations.hpp"
#include "support/process.hpp"

namespace satupintu::compose {
namespace {

Outgoing Base(const std::string& channel, std::string text) {
  Outgoing o;
  o.key = "k-1";
  o.channel = channel;
  o.address = "6281234567890";
  o.text = std::move(text);
  return o;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += p;
  return out;
}

std::string Words(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += "bantuan" + std::to_string(i % 10) + " ";
  return s;
}

TEST(SplitTextTest, SplitsAtSpacesAndLosesNothing) {
  const std::string text = Words(1000);  // 9,000 characters
  const auto parts = SplitText(text, 4096, true);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(Join(parts), text);
  for (const auto& p : parts) {
    EXPECT_LE(p.size(), 4096u);
    EXPECT_EQ(p.back(), ' ') << "cut after a word";
  }
}

TEST(SplitTextTest, CountsUtf16UnitsOrCodePoints) {
  std::string emoji;
  for (int i = 0; i < 10; ++i) emoji += "\xF0\x9F\x99\x8F";  // U+1F64F: 2 UTF-16 units
  EXPECT_EQ(SplitText(emoji, 10, true).size(), 2u);
  EXPECT_EQ(SplitText(emoji, 10, false).size(), 1u);
  for (const auto& p : SplitText(emoji, 3, true)) EXPECT_EQ(p.size(), 4u) << "never half a pair";
  const std::string word(50, 'x');
  const auto hard = SplitText(word, 20, false);
  ASSERT_EQ(hard.size(), 3u) << "a word longer than a part is cut";
  EXPECT_EQ(Join(hard), word);
}

TEST(ComposeTest, NothingIsQueuedOnTheTerminalsChatChannels) {
  EXPECT_TRUE(IsChatChannel("kannel:chat"));
  EXPECT_TRUE(IsChatChannel("telegram:chat"));
  EXPECT_FALSE(IsChatChannel("kannel:chatroom"));
  EXPECT_FALSE(IsChatChannel("chat"));
  EXPECT_FALSE(IsChatChannel("kannel:dinsos"));
  satupintu::testing::TempDir dir;
  auto db = storage::Db::Open(dir.File("c.db"), false);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(storage::ApplyMigrations(*db.value(), schema::Migrations()).ok());
  // A notice for a ticket opened in `satupintu chat`: nothing waits for a channel no gateway has.
  EXPECT_EQ(ComposeIn(*db.value(), Base("kannel:chat", "Tiket ADU-7K3M9Q diproses."), 1000).value(),
            0);
  EXPECT_EQ(db.value()->QueryInt("SELECT COUNT(*) FROM outbox_message").value(), 0);
  EXPECT_GT(
      ComposeIn(*db.value(), Base("kannel:dinsos", "Tiket ADU-7K3M9Q diproses."), 1000).value(), 0);
}

TEST(ComposeTest, KindsAndRefusals) {
  EXPECT_FALSE(Compose(Base("fax:1", "x"), 0).ok());
  auto bad_key = Base("whatsapp:wa", "x");
  bad_key.key = "a#b";
  EXPECT_FALSE(Compose(bad_key, 0).ok());
  EXPECT_FALSE(Compose(Base("whatsapp:wa", ""), 0).ok());
  auto cb = Base("whatsapp:wa", "");
  cb.callback_query_id = "q";
  EXPECT_FALSE(Compose(cb, 0).ok()) << "callback answers are Telegram's";
  auto template_only = Base("telegram:tg", "");
  template_only.template_name = "status_update";
  EXPECT_FALSE(Compose(template_only, 0).ok()) << "templates are WhatsApp's";
  template_only.channel = "whatsapp:wa";
  auto whatsapp_template = Compose(template_only, 0);
  ASSERT_TRUE(whatsapp_template.ok());
  EXPECT_EQ(whatsapp_template->parts, std::vector<std::string>{""});
}

TEST(ComposeTest, WhatsAppLongTextWithChoicesPutsButtonsOnAShortLastPart) {
  auto o = Base("whatsapp:wa", Words(600));  // 5,400 characters
  o.choices = {{"1", "Ya"}, {"2", "Tidak"}};
  auto m = Compose(o, 1000);
  ASSERT_TRUE(m.ok());
  ASSERT_GE(m->parts.size(), 2u);
  EXPECT_EQ(Join(m->parts), o.text);
  EXPECT_LE(m->parts.back().size(), 1024u);
  EXPECT_EQ(m->expires_at_ms, 1000 + o.ttl_ms);
  outbox::DuePart last;
  last.text = m->parts.back();
  last.body_json = m->body_json;
  last.seq = last.total = static_cast<int>(m->parts.size());
  auto msg = ToAdapterMessage(last);
  ASSERT_EQ(msg.choices.size(), 2u);
  EXPECT_EQ(msg.choices[1].second, "Tidak");
  outbox::DuePart first = last;
  first.seq = 1;
  EXPECT_TRUE(ToAdapterMessage(first).choices.empty()) << "only the last part has buttons";
}

TEST(ComposeTest, KannelIsOnePartGammuOnePerSegmentChoicesAsLines) {
  auto o = Base("kannel:modem", "Pilih layanan:");
  o.choices = {{"a", "Pengaduan"}, {"b", "Cek status"}};
  auto k = Compose(o, 0);
  ASSERT_TRUE(k.ok());
  ASSERT_EQ(k->parts.size(), 1u);
  EXPECT_EQ(k->parts[0], "Pilih layanan:\n1. Pengaduan\n2. Cek status");
  auto long_text = Base("gammu:modem", Words(40));  // 360 GSM-7 characters: 3 segments
  auto g = Compose(long_text, 0);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->parts.size(), 3u);
  EXPECT_EQ(Join(g->parts), long_text.text);
  auto smart = Base("kannel:modem",
                    "\xE2\x80\x9C"
                    "ok"
                    "\xE2\x80\x9D");  // curly quotes
  EXPECT_EQ(Compose(smart, 0)->parts[0], "\"ok\"") << "smart substitution keeps GSM-7";
  EXPECT_FALSE(Compose(Base("kannel:modem", Words(120)), 0).ok()) << "more than 6 SMS";
}

TEST(ComposeTest, TelegramCallbackAnswerAndContactButton) {
  auto cb = Base("telegram:bot", "");
  cb.address = "tg:42";
  cb.callback_query_id = "cbq-1";
  auto m = Compose(cb, 0);
  ASSERT_TRUE(m.ok());
  outbox::DuePart p;
  p.body_json = m->body_json;
  EXPECT_EQ(CallbackQueryOf(p), "cbq-1");
  auto share = Base("telegram:bot", "Bagikan nomor HP Anda");
  share.request_contact = true;
  share.choices = {{"share", "Bagikan nomor"}};
  auto s = Compose(share, 0);
  p.body_json = s->body_json;
  p.text = s->parts[0];
  EXPECT_TRUE(ToAdapterMessage(p).request_contact);
  EXPECT_EQ(CallbackQueryOf(p), "");
}

}  // namespace
}  // namespace satupintu::compose
