// A broadcast's text as the officer types it (gateway/broadcast/text_check.hpp): the ICU
// pattern, its placeholders, the content check on the rendered text, the SMS it makes.
#include "broadcast/text_check.hpp"

#include <gtest/gtest.h>

namespace satupintu::broadcast {
namespace {

ContentPolicy Policy() {
  ContentPolicy p;
  p.office_names = {"Dinsos Kab. Tasikmalaya"};
  return p;
}

TEST(BroadcastTextTest, PlaceholdersAreRenderedAndTheSmsCounted) {
  const auto check = CheckText(
      "Dinsos Kab. Tasikmalaya: {nama} di Desa {desa}, PKH tahap 3 cair mulai 15 Agustus di "
      "kantor pos. Balas BERHENTI untuk berhenti.",
      "id", Policy());
  EXPECT_TRUE(check.ok()) << check.error;
  EXPECT_NE(check.sample.find(": Sriwahyuningsih di Desa Sukamaju Kidul Wetan Raya,"),
            std::string::npos)
      << check.sample;
  EXPECT_EQ(check.sms_segments, 1) << check.sample.size() << " bytes";
  EXPECT_FALSE(check.sms_ucs2);
  // The same text with a ticket code and a longer tail: two segments; curly quotes are
  // substituted as the SMS channels do, so they do not force UCS-2; an emoji does.
  const std::string longer =
      "Dinsos Kab. Tasikmalaya: Yth. {nama}, tiket {kode_tiket} di Desa {desa} sudah "
      "\xE2\x80\x9C"
      "diteruskan"
      "\xE2\x80\x9D"
      " ke pendamping PKH. Mohon tunggu kabar "
      "berikutnya dari kami.";
  const auto two = CheckText(longer, "id", Policy());
  EXPECT_TRUE(two.ok());
  EXPECT_EQ(two.sms_segments, 2) << two.sample.size();
  EXPECT_FALSE(two.sms_ucs2);
  EXPECT_TRUE(CheckText(longer + " \xF0\x9F\x99\x8F", "id", Policy()).sms_ucs2);
}

TEST(BroadcastTextTest, OnlyTheRecipientsFirstNameVillageAndTicketMayBeUsed) {
  const auto check =
      CheckText("Dinsos Kab. Tasikmalaya: {nama_lengkap}, NIK {nik}: {nama}", "id", Policy());
  EXPECT_FALSE(check.ok());
  EXPECT_EQ(check.unknown_placeholders, (std::vector<std::string>{"nama_lengkap", "nik"}));
  // A number format on the name is no plain use of it.
  EXPECT_EQ(
      CheckText("Dinsos Kab. Tasikmalaya {nama, number}", "id", Policy()).unknown_placeholders,
      std::vector<std::string>{"nama"});
}

TEST(BroadcastTextTest, BrokenPatternsAndContentProblemsAreReported) {
  const auto broken = CheckText("Dinsos Kab. Tasikmalaya: Yth. {nama", "id", Policy());
  EXPECT_FALSE(broken.ok());
  EXPECT_NE(broken.error.find("not a valid message"), std::string::npos) << broken.error;
  EXPECT_FALSE(CheckText("Dinsos Kab. Tasikmalaya: {0}", "id", Policy()).error.empty())
      << "numbered arguments are refused";
  const auto scam = CheckText("Yth. {nama}, kirim NIK ke bit.ly/daftar", "id", Policy());
  ASSERT_EQ(scam.problems.size(), 3u);
  EXPECT_EQ(scam.problems[0].kind, ContentProblemKind::kLinkNotOfficial);
  EXPECT_EQ(scam.problems[1].kind, ContentProblemKind::kAsksForSecret);
  EXPECT_EQ(scam.problems[2].kind, ContentProblemKind::kNoOfficeName);
  // ICU's quoting: an apostrophe is kept ("Jum'at").
  const auto quoted = CheckText("Dinsos Kab. Tasikmalaya: mulai hari Jum'at.", "id", Policy());
  EXPECT_TRUE(quoted.ok());
  EXPECT_NE(quoted.sample.find("Jum'at"), std::string::npos);
}

}  // namespace
}  // namespace satupintu::broadcast
