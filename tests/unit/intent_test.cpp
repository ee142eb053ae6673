// Intent and complaint-category recognition (understand::RecognizeIntent) on the real lexicon:
// tricky cases as tables, the lexicon errors of the "intents" and "categories" keys, and the
// accuracy on the hand-labelled corpora in tests/corpus/ (see its README).

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "paths/paths.hpp"
#include "understand/intent.hpp"
#include "understand/lexicon.hpp"
#include "unit/real_lexicon.hpp"

namespace satupintu::understand {
namespace {

const Lexicon& Lex() { return testing::RealLexicon(); }

struct Case {
  const char* text;
  Intent intent;
  const char* category = "";
};

void ExpectCases(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    const auto guess = RecognizeIntent(c.text, Lex());
    EXPECT_EQ(IntentName(guess.intent), std::string(IntentName(c.intent))) << c.text;
    EXPECT_EQ(guess.category, c.category) << c.text;
  }
}

TEST(Intent, Names) {
  for (int i = 0; i <= static_cast<int>(Intent::kGreeting); ++i) {
    const auto intent = static_cast<Intent>(i);
    EXPECT_EQ(IntentFromName(IntentName(intent)), intent);
  }
  EXPECT_STREQ(IntentName(Intent::kRegistryCheck), "registry_check");
  EXPECT_STREQ(IntentName(Intent::kOptOut), "opt_out");
  EXPECT_EQ(IntentFromName("complain"), std::nullopt);
  EXPECT_EQ(IntentFromName(""), std::nullopt);
}

TEST(Intent, TheIssueExamples) {
  ExpectCases({
      {"PKH sy gk cair2 udh 3 bln", Intent::kComplaint, "pkh"},
      {"mau daftar dtks gmn", Intent::kRegistration},
      {"jgn kirim sms lg", Intent::kOptOut},
  });
}

TEST(Intent, GreetingsAndThanksAloneOrDropped) {
  ExpectCases({
      {"halo", Intent::kGreeting},
      {"Assalamualaikum wr wb 🙏", Intent::kGreeting},
      {"sugeng enjing pak", Intent::kGreeting},
      {"sampurasun", Intent::kGreeting},
      {"makasih bnyk pak", Intent::kThanks},
      {"matur suwun sanget", Intent::kThanks},
      {"hatur nuhun", Intent::kThanks},
      {"terima kasih atas bantuannya", Intent::kThanks},
      {"halo pak, PKH saya belum cair", Intent::kComplaint, "pkh"},
      {"selamat pagi bu, mau daftar bansos", Intent::kRegistration},
      {"assalamualaikum, jangan kirim sms lagi ya", Intent::kOptOut},
  });
}

TEST(Intent, Negations) {
  ExpectCases({
      {"saya tidak mau daftar", Intent::kUnknown},
      {"ora arep daftar", Intent::kUnknown},
      {"jangan sms saya lagi", Intent::kOptOut},
      {"tidak mau terima sms lagi", Intent::kOptOut},
      {"saya belum terdaftar, mau daftar", Intent::kRegistration},
      {"sy tdk terdaftar di dtks", Intent::kComplaint, "data"},
      {"ulah ngirim sms deui", Intent::kOptOut},
  });
}

TEST(Intent, OptOutWordsInsideComplaints) {
  ExpectCases({
      {"stop", Intent::kOptOut},
      {"STOP!!!", Intent::kOptOut},
      {"berhenti", Intent::kOptOut},
      {"bantuan sosial sy berhenti", Intent::kComplaint, "lainnya"},
      {"bpnt sy distop", Intent::kComplaint, "sembako"},
      {"mulai", Intent::kOptIn},
      {"mulai bulan 3 pkh tidak cair", Intent::kComplaint, "pkh"},
  });
}

TEST(Intent, JavaneseAndSundanese) {
  ExpectCases({
      {"pkh kulo dereng cair", Intent::kComplaint, "pkh"},
      {"bpnt ku durung metu", Intent::kComplaint, "sembako"},
      {"KIS kula mboten aktif", Intent::kComplaint, "pbi_jk"},
      {"mbah kula mboten angsal bantuan", Intent::kComplaint, "lansia"},
      {"pkh abdi teu acan cair", Intent::kComplaint, "pkh"},
      {"imah abdi kabanjiran teu aya bantuan", Intent::kComplaint, "bencana"},
      {"kula badhe daftar", Intent::kRegistration},
      {"hoyong daftar bantosan", Intent::kRegistration},
      {"nyuwun tulung", Intent::kHelp},
      {"laporan kula pripun", Intent::kTicketStatus},
  });
}

TEST(Intent, CategoryTypos) {
  ExpectCases({
      {"PKHH sy blm cair", Intent::kComplaint, "pkh"},
      {"bnpt sy gk cair", Intent::kComplaint, "sembako"},
      {"smbako blm dpt", Intent::kComplaint, "sembako"},
      {"bantuan rutilau blm ada", Intent::kComplaint, "rutilahu"},
      {"pkhnya blm cair", Intent::kComplaint, "pkh"},
      {"disabiltas anak sy tdk dpt", Intent::kComplaint, "disabilitas"},
      // Not typos of a programme: "phk" (laid off) is not "pkh".
      {"sy kena phk", Intent::kUnknown},
  });
}

TEST(Intent, ProgrammeAloneIsAComplaintOtherwiseTheOtherIntent) {
  ExpectCases({
      {"pkh", Intent::kComplaint, "pkh"},
      {"bansos pkh saya gimana", Intent::kComplaint, "pkh"},
      {"cek pkh", Intent::kRegistryCheck},
      {"mau daftar pkh", Intent::kRegistration},
      {"mau ngadu", Intent::kComplaint},
      {"nama sy dicoret dari pkh", Intent::kComplaint, "pkh"},
      {"nama sy dicoret dari dtks", Intent::kComplaint, "data"},
  });
}

TEST(Intent, OtherIntents) {
  ExpectCases({
      {"status pengaduan", Intent::kTicketStatus},
      {"laporan sy udah sampai mana", Intent::kTicketStatus},
      {"mau bicara dengan petugas", Intent::kHuman},
      {"minta ditelpon", Intent::kHuman},
      {"apakah saya terdaftar", Intent::kRegistryCheck},
      {"menu", Intent::kHelp},
      {"aktifkan lagi", Intent::kOptIn},
      {"ok", Intent::kUnknown},
      {"?", Intent::kUnknown},
      {"", Intent::kUnknown},
      {"3201019999990000", Intent::kUnknown},
  });
}

TEST(Intent, Detail) {
  EXPECT_TRUE(RecognizeIntent("PKH sy gk cair2 udh 3 bln", Lex()).has_detail);
  EXPECT_TRUE(RecognizeIntent("pkh saya belum cair", Lex()).has_detail);
  EXPECT_TRUE(RecognizeIntent("rumah bocor semua, atap mau ambruk", Lex()).has_detail);
  EXPECT_FALSE(RecognizeIntent("mau ngadu", Lex()).has_detail);
  EXPECT_FALSE(RecognizeIntent("mau ngadu pak", Lex()).has_detail);
  EXPECT_FALSE(RecognizeIntent("pkh", Lex()).has_detail);
  EXPECT_FALSE(RecognizeIntent("halo bu, bansos pkh saya gimana", Lex()).has_detail);
  EXPECT_FALSE(RecognizeIntent("mau daftar, sy blm punya rumah", Lex()).has_detail)
      << "only complaints carry detail";
}

TEST(Intent, Deterministic) {
  const std::string text = "assalamualaikum pak, bpnt sy dipotong 20rb sm ketua kelompok";
  const auto first = RecognizeIntent(text, Lex());
  for (int i = 0; i < 100; ++i) {
    const auto again = RecognizeIntent(text, Lex());
    EXPECT_EQ(again.intent, first.intent);
    EXPECT_EQ(again.category, first.category);
    EXPECT_EQ(again.has_detail, first.has_detail);
  }
}

// Issue 17: complaints made in person, the new categories and their order.
TEST(Intent, ReportedInPersonIsAComplaint) {
  ExpectCases({
      {"sdh lapor ke desa", Intent::kComplaint},
      {"sudah lapor ke RT tp tdk ada hasil", Intent::kComplaint},
      {"padahal sudah lapor ke kelurahan", Intent::kComplaint},
      {"sudah lapor ke pak kades", Intent::kComplaint},
      {"pkh belum cair, sudah lapor ke pendamping", Intent::kComplaint, "pkh"},
      {"wis lapor neng deso", Intent::kComplaint},
      {"atos lapor ka desa", Intent::kComplaint},
      // A report made here is still a question about its status.
      {"sudah lapor lewat sms ini, sampai mana", Intent::kTicketStatus},
      {"sudah lapor kemarin", Intent::kTicketStatus},
      {"cek adu hph855", Intent::kTicketStatus},
  });
  // The place is not something the citizen told: no description to keep.
  EXPECT_FALSE(RecognizeIntent("sdh lapor ke desa", Lex()).has_detail);
  EXPECT_TRUE(RecognizeIntent("pkh belum cair, sudah lapor ke pendamping", Lex()).has_detail);
}

TEST(Intent, NewCategoriesAndTheirOrder) {
  ExpectCases({
      {"ada pungli", Intent::kComplaint, "pungli"},
      {"bantuan dipotong 50rb sama ketua kelompok", Intent::kComplaint, "pungli"},
      {"pendamping minta uang 100rb", Intent::kComplaint, "pungli"},
      // A programme named beats the kind of problem.
      {"pkh dipotong ketua kelompok 50rb", Intent::kComplaint, "pkh"},
      // A stranded person beats everything, the person's description included.
      {"nenek terlantar di terminal, mau pulang kampung", Intent::kComplaint, "pemulangan"},
      {"ktp hilang", Intent::kComplaint, "adminduk"},
      {"akta kelahiran anak blm jadi", Intent::kComplaint, "adminduk"},
      // "kartu keluarga sejahtera" is the KKS (Sembako), "kartu keluarga" the KK.
      {"kartu keluarga sejahtera hilang", Intent::kComplaint, "sembako"},
      {"kartu keluarga hilang", Intent::kComplaint, "adminduk"},
      // Neglected children stay "other": not repatriation.
      {"anak terlantar tdk ada yg urus", Intent::kComplaint, "lainnya"},
      {"ora iso daftar bantuan", Intent::kComplaint},
  });
  // A hint counts only when no other category is named.
  EXPECT_EQ(RecognizeCategory("kks hilang", Lex()), "sembako");
  EXPECT_EQ(RecognizeCategory("saldo kks pkh kosong", Lex()), "pkh");
  EXPECT_EQ(RecognizeCategory("kks hilang, bansos tdk cair", Lex()), "sembako");
  EXPECT_EQ(RecognizeCategory("nik di ktp tidak terdaftar di dtks", Lex()), "data");
  // No typo tolerance for the new categories: "terdaftar" is not "terlantar" or "terdampar".
  EXPECT_EQ(RecognizeCategory("terdaftar", Lex()), "");
  EXPECT_EQ(RecognizeCategory("dicoret", Lex()), "");
  // The category of a text whatever its intent (the ADU form's text).
  EXPECT_EQ(RecognizeCategory("pkh belum cair, sudah lapor ke pendamping", Lex()), "pkh");
  EXPECT_EQ(RecognizeCategory("", Lex()), "");
}

// ---------------------------------------------------------------- lexicon keys

TEST(IntentLexicon, LoadsIntentsAndCategories) {
  EXPECT_FALSE(Lex().IntentPhrases(Intent::kComplaint).empty());
  EXPECT_FALSE(Lex().IntentPhrases(Intent::kOptOut).empty());
  EXPECT_TRUE(Lex().IntentPhrases(Intent::kUnknown).empty());
  for (const char* id : {"pkh", "sembako", "pbi_jk", "pip", "rutilahu", "disabilitas", "lansia",
                         "bencana", "data", "lainnya", "pungli", "pemulangan", "adminduk"}) {
    EXPECT_TRUE(Lex().Categories().contains(id)) << id;
  }
  // Stored normalised: "gak cair" is "tidak cair".
  const auto& complaint = Lex().IntentPhrases(Intent::kComplaint);
  EXPECT_NE(std::find(complaint.begin(), complaint.end(), Phrase{"tidak", "cair"}),
            complaint.end());
}

TEST(IntentLexicon, ThanksAndGreetingMergeIntoTheirLists) {
  auto loaded = Lexicon::FromJson({{"id", R"({"language": "id", "thanks": ["makasih"],
      "intents": {"thanks": ["tengkyu"], "greeting": ["met pagi"], "help": ["menu"]}})"}});
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->Thanks().size(), 2U);
  EXPECT_EQ(loaded->Greetings().size(), 1U);
  EXPECT_TRUE(loaded->IntentPhrases(Intent::kThanks).empty());
  EXPECT_EQ(RecognizeIntent("tengkyu", *loaded).intent, Intent::kThanks);
  EXPECT_EQ(RecognizeIntent("met pagi", *loaded).intent, Intent::kGreeting);
  EXPECT_EQ(RecognizeIntent("menu", *loaded).intent, Intent::kHelp);
}

TEST(IntentLexicon, ErrorsNameFileAndKey) {
  struct ErrorCase {
    std::map<std::string, std::string> docs;
    std::string expected;
  };
  const std::vector<ErrorCase> cases = {
      {{{"id", R"({"language": "id", "intents": ["cek"]})"}},
       "id.json: intents: must be an object"},
      {{{"id", R"({"language": "id", "intents": {"complain": ["ngadu"]}})"}},
       "id.json: intents.complain: unknown intent"},
      {{{"id", R"({"language": "id", "intents": {"unknown": ["ok"]}})"}},
       "id.json: intents.unknown: unknown intent"},
      {{{"id", R"({"language": "id", "intents": {"help": "menu"}})"}},
       "id.json: intents.help: must be an array of strings"},
      {{{"id", R"({"language": "id", "intents": {"help": ["menu", 3]}})"}},
       "id.json: intents.help[1]: must be a string"},
      {{{"id", R"({"language": "id", "intents": {"help": ["!!"]}})"}},
       "id.json: intents.help[0]: is empty once folded"},
      {{{"id", R"({"language": "id", "intents": {"help": ["cek"]}})"},
        {"jv", R"({"language": "jv", "intents": {"registry_check": ["Cek"]}})"}},
       "jv.json: intents.registry_check[0]: \"cek\" is already in intents.help"},
      {{{"id", R"({"language": "id", "categories": []})"}},
       "id.json: categories: must be an object"},
      {{{"id", R"({"language": "id", "categories": {"PKH": ["pkh"]}})"}},
       "id.json: categories.PKH: a category id is lower-case a-z and _"},
      {{{"id", R"({"language": "id", "categories": {"pbi-jk": ["kis"]}})"}},
       "id.json: categories.pbi-jk: a category id is lower-case a-z and _"},
      {{{"id", R"({"language": "id", "categories": {"pkh": {"a": 1}}})"}},
       "id.json: categories.pkh: must be an array of strings"},
      {{{"id", R"({"language": "id", "categories": {"pkh": ["pkh"], "sembako": ["PKH"]}})"}},
       "id.json: categories.sembako[0]: \"pkh\" is already in categories.pkh"},
      {{{"id", R"({"language": "id", "categories": {"sembako": ["bpnt"]},
                   "category_hints": {"pkh": ["bpnt"]}})"}},
       "id.json: category_hints.pkh[0]: \"bpnt\" is already in categories.sembako"},
      {{{"id", R"({"language": "id", "reported_to": "desa"})"}},
       "id.json: reported_to: must be an array of strings"},
  };
  for (const auto& c : cases) {
    auto loaded = Lexicon::FromJson(c.docs);
    ASSERT_FALSE(loaded.ok()) << c.expected;
    EXPECT_NE(loaded.error().message.find(c.expected), std::string::npos) << loaded.error().message;
  }
  // Any lower-case id is accepted here: the dialog check compares them with the catalogue.
  EXPECT_TRUE(
      Lexicon::FromJson({{"id", R"({"language": "id", "categories": {"kube": ["kube"]}})"}}).ok());
}

// ---------------------------------------------------------------- corpus

struct Labelled {
  std::string intent, category, text;
};

std::vector<Labelled> ReadCorpus(const std::string& name) {
  std::ifstream in(::satupintu::testing::SourceDir() + "/tests/corpus/" + name);
  std::vector<Labelled> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto tab1 = line.find('\t');
    const auto tab2 = line.find('\t', tab1 + 1);
    if (tab1 == std::string::npos || tab2 == std::string::npos) {
      ADD_FAILURE() << name << ": not intent<TAB>category<TAB>message: " << line;
      continue;
    }
    out.push_back(
        {line.substr(0, tab1), line.substr(tab1 + 1, tab2 - tab1 - 1), line.substr(tab2 + 1)});
  }
  return out;
}

struct Accuracy {
  double intent = 0;
  double category = 0;
};

// Category accuracy is over the complaint lines, and counts a line only when the intent is
// right too. A "lainnya" line is right with "lainnya" or "" (no programme named either way:
// the dialog asks or files it as other).
Accuracy Measure(const std::string& name, bool show_mistakes) {
  const auto corpus = ReadCorpus(name);
  EXPECT_FALSE(corpus.empty()) << name;
  int intent_ok = 0;
  int complaints = 0;
  int category_ok = 0;
  std::map<std::string, std::map<std::string, int>> confusion;  // expected -> got -> count
  for (const auto& l : corpus) {
    EXPECT_TRUE(IntentFromName(l.intent).has_value()) << name << ": " << l.intent;
    EXPECT_EQ(l.intent == "complaint", !l.category.empty()) << name << ": " << l.text;
    const auto guess = RecognizeIntent(l.text, Lex());
    const std::string got = IntentName(guess.intent);
    ++confusion[l.intent][got];
    if (got == l.intent) ++intent_ok;
    bool category_right = true;
    if (l.intent == "complaint") {
      ++complaints;
      category_right = got == l.intent && (guess.category == l.category ||
                                           (l.category == "lainnya" && guess.category.empty()));
      if (category_right) ++category_ok;
    }
    if (show_mistakes && (got != l.intent || !category_right)) {
      std::printf("  mistake: expected %s/%s got %s/%s: %s\n", l.intent.c_str(), l.category.c_str(),
                  got.c_str(), guess.category.c_str(), l.text.c_str());
    }
  }
  Accuracy a;
  a.intent = 100.0 * intent_ok / static_cast<double>(corpus.size());
  a.category = complaints == 0 ? 0 : 100.0 * category_ok / complaints;
  std::printf(
      "%s: %zu messages, intent accuracy %.1f%% (%d/%zu); %d complaints, category "
      "accuracy %.1f%% (%d/%d)\n",
      name.c_str(), corpus.size(), a.intent, intent_ok, corpus.size(), complaints, a.category,
      category_ok, complaints);
  for (const auto& [expected, row] : confusion) {
    std::string line;
    for (const auto& [got, count] : row) {
      if (got != expected) line += " " + got + ":" + std::to_string(count);
    }
    const int right = row.contains(expected) ? row.at(expected) : 0;
    std::printf("  %-15s right %3d  wrong:%s\n", expected.c_str(), right,
                line.empty() ? " -" : line.c_str());
  }
  return a;
}

// Floors just under what was measured (gateway/understand/README.md has the figures and why
// the held-out one is optimistic): held-out and post-hoc files were never tuned on.
constexpr double kHeldOutIntentFloor = 98.0;         // measured 99.2 (123/124)
constexpr double kHeldOutCategoryFloor = 98.0;       // measured 100.0 (51/51)
constexpr double kDevIntentFloor = 99.0;             // measured 100.0 (345/345), tuned on
constexpr double kDevCategoryFloor = 99.0;           // measured 100.0 (171/171), tuned on
constexpr double kPostHocIntentFloor = 75.0;         // measured 77.5 (31/40)
constexpr double kPostHocCategoryFloor = 65.0;       // measured 66.7 (10/15)
constexpr double kDev2026bIntentFloor = 97.0;        // measured 98.2 (109/111), tuned on
constexpr double kDev2026bCategoryFloor = 97.0;      // measured 98.8 (85/86), tuned on
constexpr double kHeldOut2026bIntentFloor = 90.0;    // measured 92.7 (51/55)
constexpr double kHeldOut2026bCategoryFloor = 93.0;  // measured 95.3 (41/43)

TEST(IntentCorpus, Development) {
  const auto a = Measure("intents.tsv", true);
  EXPECT_GE(a.intent, kDevIntentFloor);
  EXPECT_GE(a.category, kDevCategoryFloor);
}

TEST(IntentCorpus, HeldOut) {
  const auto a = Measure("intents_heldout.tsv", false);
  EXPECT_GE(a.intent, kHeldOutIntentFloor);
  EXPECT_GE(a.category, kHeldOutCategoryFloor);
}

// Issue 17's corpus (2026-12-07): 166 messages written before its rules, two thirds to tune
// on, every third one held out (tests/corpus/README.md).
TEST(IntentCorpus, Development2026b) {
  const auto a = Measure("intents_2026b.tsv", true);
  EXPECT_GE(a.intent, kDev2026bIntentFloor);
  EXPECT_GE(a.category, kDev2026bCategoryFloor);
}

TEST(IntentCorpus, HeldOut2026b) {
  const auto a = Measure("intents_2026b_heldout.tsv", false);
  EXPECT_GE(a.intent, kHeldOut2026bIntentFloor);
  EXPECT_GE(a.category, kHeldOut2026bCategoryFloor);
}

// Written after the rules were done and measured once (tests/corpus/README.md); its mistakes
// are printed to show where the method fails, not to tune on.
TEST(IntentCorpus, PostHoc) {
  const auto a = Measure("intents_posthoc.tsv", true);
  EXPECT_GE(a.intent, kPostHocIntentFloor);
  EXPECT_GE(a.category, kPostHocCategoryFloor);
}

}  // namespace
}  // namespace satupintu::understand
