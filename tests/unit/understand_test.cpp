// Input understanding on the real lexicon (locales/lexicon/) with messages written the way
// citizens write SMS: informal Indonesian, Javanese, Sundanese, typos, emoji, curly quotes.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/core/phone.hpp"
#include "paths/paths.hpp"
#include "understand/choice.hpp"
#include "understand/date.hpp"
#include "understand/identity.hpp"
#include "understand/lexicon.hpp"
#include "understand/normalize.hpp"
#include "understand/one_shot.hpp"
#include "unit/real_lexicon.hpp"

namespace satupintu::understand {
namespace {

using registry_io::CivilDate;

const Lexicon& Lex() { return testing::RealLexicon(); }

constexpr CivilDate kToday{2025, 9, 15};

std::string Norm(std::string_view text) { return NormalizeMessage(text, Lex()).Joined(); }

// ---------------------------------------------------------------- lexicon

TEST(Lexicon, LoadsTheThreeLanguages) {
  auto loaded = Lexicon::Load(::satupintu::testing::SourceDir() + "/locales/lexicon");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->Languages(), (std::vector<std::string>{"id", "jv", "su"}));
  ASSERT_NE(loaded->Expand("gk"), nullptr);
  EXPECT_EQ(*loaded->Expand("gk"), "tidak");
  ASSERT_NE(loaded->Number("loro"), nullptr);
  EXPECT_EQ(*loaded->Number("loro"), 2);
  ASSERT_NE(loaded->Number("tilu"), nullptr);
  EXPECT_EQ(*loaded->Number("tilu"), 3);
  ASSERT_NE(loaded->Month("agt"), nullptr);
  EXPECT_EQ(*loaded->Month("agt"), 8);
  EXPECT_EQ(loaded->Month("agustusan"), nullptr);
  EXPECT_TRUE(loaded->IsNegator("mboten"));
  // Phrases are stored normalised: "gak jadi" in a list would be matched as "tidak jadi".
  EXPECT_TRUE(ContainsPhrase({"tidak", "tahu"}, loaded->UnknownAnswers()));
}

TEST(Lexicon, MissingDirectoryIsAnError) {
  auto loaded = Lexicon::Load("/nonexistent/lexicon");
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("/nonexistent/lexicon"), std::string::npos);
}

TEST(Lexicon, ErrorsNameFileAndKey) {
  struct Case {
    std::map<std::string, std::string> docs;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {{{"id", "[1, 2]"}}, "id.json: not a JSON object"},
      {{{"id", R"({"language": "jv"})"}}, "id.json: language: must be \"id\""},
      {{{"id", R"({"language": "id", "yess": []})"}}, "id.json: yess: unknown key"},
      {{{"id", R"({"language": "id", "yes": "ya"})"}}, "id.json: yes: must be an array"},
      {{{"id", R"({"language": "id", "abbreviations": {"y g": "yang"}})"}},
       "id.json: abbreviations.y g: the key must be one word"},
      {{{"id", R"({"language": "id", "abbreviations": {"yg": ""}})"}},
       "id.json: abbreviations.yg: must be a non-empty string"},
      {{{"id", R"({"language": "id", "numbers": {"satu": "1"}})"}},
       "id.json: numbers.satu: must be an integer 0-100"},
      {{{"id", R"({"language": "id", "months": {"mei": 13}})"}},
       "id.json: months.mei: must be an integer 1-12"},
      {{{"id", R"({"language": "id", "no": ["..."]})"}}, "id.json: no[0]: is empty once folded"},
      {{{"id", R"({"language": "id", "negators": ["tidak sama"]})"}},
       "id.json: negators[0]: must be one word"},
      {{{"id", R"({"language": "id", "numbers": {"lima": 5}})"},
        {"jv", R"({"language": "jv", "numbers": {"lima": 4}})"}},
       "jv.json: numbers.lima: differs from the value in id.json"},
      {{{"id", R"({"language": "id", "abbreviations": {"gk": "tidak"}, "yes": ["ya"],
                   "no": ["gk"]})"},
        {"su", R"({"language": "su", "yes": ["tidak"]})"}},
       "\"tidak\" is both a yes and a no word"},
  };
  for (const auto& c : cases) {
    auto loaded = Lexicon::FromJson(c.docs);
    ASSERT_FALSE(loaded.ok()) << c.expected;
    EXPECT_NE(loaded.error().message.find(c.expected), std::string::npos) << loaded.error().message;
  }
}

// ---------------------------------------------------------------- normalisation

TEST(Normalize, InformalIndonesian) {
  EXPECT_EQ(Norm("PKH sy gk cair2 udh 3 bln"), "pkh saya tidak cair cair sudah 3 bulan");
  EXPECT_EQ(Norm("mau daftar dtks gmn"), "mau daftar dtks bagaimana");
  EXPECT_EQ(Norm("jgn kirim sms lg"), "jangan kirim sms lagi");
  EXPECT_EQ(Norm("Tolonggg pakkk!!! 🙏🙏"), "tolong bapak");
  EXPECT_EQ(Norm("knp blm dpt bansos, krn org lain dpt"),
            "kenapa belum dapat bansos karena orang lain dapat");
  EXPECT_EQ(Norm("gpp"), "tidak apa apa");
  EXPECT_EQ(Norm("mksh bnyk"), "makasih banyak");
}

TEST(Normalize, KeepsLegitimateDoublesAndNumbers) {
  EXPECT_EQ(Norm("Maaf, saat ini"), "maaf saat ini");
  EXPECT_EQ(Norm("Rp 300.000"), "rp 300 000");
  EXPECT_EQ(Norm("1000"), "1000");
  EXPECT_EQ(Norm("Hallo"), "hallo");
}

TEST(Normalize, Reduplication) {
  EXPECT_EQ(Norm("kata2"), "kata kata");
  EXPECT_EQ(Norm("anak2nya sakit2an"), "anak anaknya sakit sakitan");
  EXPECT_EQ(Norm("ke2"), "ke 2");
  EXPECT_EQ(Norm("2 org"), "2 orang");
  EXPECT_EQ(Norm("b2"), "b2");
}

TEST(Normalize, CurlyQuotesAccentsAndFullWidth) {
  EXPECT_EQ(Norm("“Bantuan” PKH—belum…"), "bantuan pkh belum");
  EXPECT_EQ(Norm("Ｓｙ mau tanya"), "saya mau tanya");
  EXPECT_EQ(Norm("Désémber"), "desember");
  EXPECT_EQ(Norm(""), "");
  EXPECT_EQ(Norm("🙏🙏🙏"), "");
}

TEST(Normalize, JavaneseAndSundanese) {
  EXPECT_EQ(Norm("ra ngerti"), "ora mengerti");
  EXPECT_EQ(Norm("Suwun nggih"), "matur nuwun nggih");
  EXPECT_EQ(Norm("hn pisan"), "hatur nuhun pisan");
}

// ---------------------------------------------------------------- choices

const std::vector<std::string> kCategories = {"Bantuan PKH",
                                              "Sembako / BPNT",
                                              "Kesehatan (PBI-JK/KIS)",
                                              "Pendidikan (PIP/KIP)",
                                              "Rumah tidak layak huni (RTLH)",
                                              "Lainnya"};

std::optional<std::size_t> Pick(std::string_view text,
                                const std::vector<std::string>& options = kCategories) {
  return ParseChoice(text, options, Lex()).index;
}

TEST(Choice, ByNumber) {
  EXPECT_EQ(Pick("1"), 0u);
  EXPECT_EQ(Pick("1."), 0u);
  EXPECT_EQ(Pick(" 2) "), 1u);
  EXPECT_EQ(Pick("no 3"), 2u);
  EXPECT_EQ(Pick("No.3"), 2u);
  EXPECT_EQ(Pick("nomor 4"), 3u);
  EXPECT_EQ(Pick("pilih 2"), 1u);
  EXPECT_EQ(Pick("Sy pilih no 5 aja"), 4u);
  EXPECT_EQ(Pick("yg ke 2"), 1u);
  EXPECT_EQ(Pick("6️⃣"), 5u);
}

TEST(Choice, ByNumberWord) {
  EXPECT_EQ(Pick("satu"), 0u);
  EXPECT_EQ(Pick("Dua"), 1u);
  EXPECT_EQ(Pick("yang kedua"), 1u);
  EXPECT_EQ(Pick("pertama"), 0u);
  EXPECT_EQ(Pick("siji"), 0u);  // Javanese
  EXPECT_EQ(Pick("nomer telu"), 2u);
  EXPECT_EQ(Pick("papat"), 3u);
  EXPECT_EQ(Pick("tilu"), 2u);  // Sundanese
  EXPECT_EQ(Pick("opat"), 3u);
  EXPECT_EQ(Pick("kahiji"), 0u);
}

TEST(Choice, ByLabel) {
  EXPECT_EQ(Pick("pkh"), 0u);
  EXPECT_EQ(Pick("PKH sy gk cair2"), 0u);
  EXPECT_EQ(Pick("sembako"), 1u);
  EXPECT_EQ(Pick("bpnt"), 1u);
  EXPECT_EQ(Pick("kesehtan"), 2u);  // one edit
  EXPECT_EQ(Pick("kesehat"), 2u);   // prefix
  EXPECT_EQ(Pick("KIS"), 2u);
  EXPECT_EQ(Pick("pendidkan anak"), 3u);
  EXPECT_EQ(Pick("rumah"), 4u);
  EXPECT_EQ(Pick("lainya"), 5u);
}

TEST(Choice, Villages) {
  const std::vector<std::string> villages = {"Sukamaju", "Sukamanah", "Cibeureum",
                                             "Sukamaju Kidul"};
  EXPECT_EQ(Pick("sukamanah", villages), 1u);
  EXPECT_EQ(Pick("cibereum", villages), 2u);
  // Both "Sukamaju" and "Sukamaju Kidul" are full matches; the one with more words wins.
  EXPECT_EQ(Pick("sukamaju kidul", villages), 3u);
  EXPECT_EQ(Pick("sukamaju", villages), 0u);
}

TEST(Choice, Rejects) {
  auto c = ParseChoice("7", kCategories, Lex());
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(c.failure, ChoiceFailure::kOutOfRange);
  EXPECT_STREQ(ChoiceFailureCode(c.failure), "choice.out_of_range");
  EXPECT_EQ(ParseChoice("0", kCategories, Lex()).failure, ChoiceFailure::kOutOfRange);
  EXPECT_EQ(ParseChoice("sepuluh", kCategories, Lex()).failure, ChoiceFailure::kOutOfRange);
  EXPECT_EQ(ParseChoice("", kCategories, Lex()).failure, ChoiceFailure::kEmpty);
  EXPECT_EQ(ParseChoice("pilih", kCategories, Lex()).failure, ChoiceFailure::kEmpty);
  EXPECT_EQ(ParseChoice("😭😭", kCategories, Lex()).failure, ChoiceFailure::kEmpty);
  EXPECT_EQ(ParseChoice("sy mau tanya", kCategories, Lex()).failure, ChoiceFailure::kNoMatch);
  EXPECT_EQ(ParseChoice("pkk", kCategories, Lex()).failure, ChoiceFailure::kNoMatch);

  const std::vector<std::string> aid = {"Bantuan PKH", "Bantuan Sembako", "Bantuan Pendidikan"};
  auto ambiguous = ParseChoice("bantuan", aid, Lex());
  EXPECT_FALSE(ambiguous.ok());
  EXPECT_EQ(ambiguous.failure, ChoiceFailure::kAmbiguous);
  EXPECT_EQ(ambiguous.candidates, (std::vector<std::size_t>{0, 1, 2}));
  auto two = ParseChoice("pkh sembako", aid, Lex());
  EXPECT_EQ(two.failure, ChoiceFailure::kAmbiguous);
  EXPECT_EQ(two.candidates, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(ParseChoice("bantuan sembako", aid, Lex()).index, 1u);
}

// ---------------------------------------------------------------- yes / no

YesNo Yn(std::string_view text) { return ParseYesNo(text, Lex()); }

TEST(YesNo, Yes) {
  for (const char* text : {"ya",      "Ya betul",     "iyaaa",
                           "y",       "Y.",           "OK",
                           "oke pak", "siap",         "Betul sekali",
                           "bener",   "sdh benar",    "setuju 👍",
                           "nggih",   "Inggih leres", "iyo",
                           "muhun",   "enya",         "sumuhun leres",
                           "👍",       "“Ya”",         "iya tp blm cair"}) {
    EXPECT_EQ(Yn(text), YesNo::kYes) << text;
  }
}

// The English messages ask for YES or NO; "no" is not read as "nomor" there.
TEST(YesNo, EnglishYesAndNo) {
  for (const char* text : {"yes", "YES", "Yes."}) EXPECT_EQ(Yn(text), YesNo::kYes) << text;
  for (const char* text : {"no", "NO", "No."}) EXPECT_EQ(Yn(text), YesNo::kNo) << text;
}

TEST(YesNo, No) {
  for (const char* text : {"tidak",       "gak",
                           "Gak jadi",    "ngga",
                           "enggak pak",  "bukan",
                           "salah",       "jangan",
                           "batal",       "tdk benar",
                           "belum betul", "mboten",
                           "ora",         "ra sido",
                           "ora sida",    "henteu",
                           "teu",         "sanes",
                           "embung",      "durung leres",
                           "👎",           "Tidak. Data salah"}) {
    EXPECT_EQ(Yn(text), YesNo::kNo) << text;
  }
}

TEST(YesNo, Unknown) {
  for (const char* text : {"", "???", "halo", "ya tidak", "iya gak", "sy mau tanya knp tdk cair",
                           "PKH sy gk cair2 udh 3 bln", "3201011201850001", "😂", "mungkin",
                           "tdk salah", "Tidak, salah"}) {
    EXPECT_EQ(Yn(text), YesNo::kUnknown) << text;
  }
}

// ---------------------------------------------------------------- dates

CivilDate D(int y, int m, int d) { return CivilDate{y, m, d}; }

ParsedDate Date(std::string_view text) { return ParseDayFirstDate(text, Lex(), kToday); }

TEST(Date, NumericForms) {
  EXPECT_EQ(Date("17-08-2025").date, D(2025, 8, 17));
  EXPECT_EQ(Date("17/8/25").date, D(2025, 8, 17));
  EXPECT_EQ(Date("17.08.1985").date, D(1985, 8, 17));
  EXPECT_EQ(Date("5 3 1990").date, D(1990, 3, 5));
  EXPECT_EQ(Date("tgl lahir: 05-03-1990").date, D(1990, 3, 5));
  EXPECT_EQ(Date("17081985").date, D(1985, 8, 17));
  EXPECT_EQ(Date("170885").date, D(1985, 8, 17));
  EXPECT_EQ(Date("1985-08-17").date, D(1985, 8, 17));
}

TEST(Date, TwoDigitYearPicksTheCenturyNotInTheFuture) {
  EXPECT_EQ(Date("15/9/25").date, D(2025, 9, 15));  // today
  EXPECT_EQ(Date("16/9/25").date, D(1925, 9, 16));  // tomorrow in 2025 -> 1925
  EXPECT_EQ(Date("1/1/60").date, D(1960, 1, 1));
  EXPECT_EQ(Date("1/1/05").date, D(2005, 1, 1));
  EXPECT_EQ(Date("29/2/00").date, D(2000, 2, 29));
}

TEST(Date, MonthNames) {
  EXPECT_EQ(Date("17 Agustus 2025").date, D(2025, 8, 17));
  EXPECT_EQ(Date("17 agt 2025").date, D(2025, 8, 17));
  EXPECT_EQ(Date("17-Agu-1985").date, D(1985, 8, 17));
  EXPECT_EQ(Date("17agustus1985").date, D(1985, 8, 17));
  EXPECT_EQ(Date("1 Mei 70").date, D(1970, 5, 1));
  EXPECT_EQ(Date("2 Pebruari 1988").date, D(1988, 2, 2));
  EXPECT_EQ(Date("30 Nopember 1979").date, D(1979, 11, 30));
  EXPECT_EQ(Date("12 DES 2001").date, D(2001, 12, 12));
  EXPECT_EQ(Date("9 sept 1999").date, D(1999, 9, 9));
  EXPECT_EQ(Date("17 agustsu 1985").date, D(1985, 8, 17));   // transposition
  EXPECT_EQ(Date("3 sepetember 1980").date, D(1980, 9, 3));  // inserted letter
  EXPECT_EQ(Date("lahir tgl 3 Januari 1980 di Klaten").date, D(1980, 1, 3));
}

TEST(Date, Rejects) {
  struct Case {
    const char* text;
    DateError error;
  };
  for (const Case& c : std::vector<Case>{
           {"", DateError::kEmpty},
           {"  ", DateError::kEmpty},
           {"lupa", DateError::kFormat},
           {"17 agustus", DateError::kFormat},
           {"17-08", DateError::kFormat},
           {"17 agustus 2025 jam 10", DateError::kFormat},
           {"17-08-2025 / 18-08-2025", DateError::kFormat},
           {"17 08 202", DateError::kFormat},
           {"17 pasar 2025", DateError::kMonth},
           {"31-04-2020", DateError::kInvalid},
           {"29-02-2023", DateError::kInvalid},
           {"31 Juni 1990", DateError::kInvalid},
           {"12-13-1990", DateError::kInvalid},
           {"0/1/1990", DateError::kInvalid},
           {"16-09-2025", DateError::kFuture},
           {"1 Januari 2030", DateError::kFuture},
           {"1/1/1850", DateError::kTooOld},
       }) {
    const auto parsed = Date(c.text);
    EXPECT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.error, c.error) << c.text << " -> " << DateErrorCode(parsed.error);
  }
  EXPECT_STREQ(DateErrorCode(DateError::kInvalid), "date.invalid");
}

// ---------------------------------------------------------------- NIK

NikAnswer Nik(std::string_view text) { return ParseNikInput(text, Lex(), kToday); }

TEST(NikInput, Accepts) {
  auto a = Nik("3201011201850001");
  ASSERT_TRUE(a.ok()) << a.Code();
  EXPECT_EQ(a.nik.digits, "3201011201850001");
  EXPECT_EQ(a.nik.birth_date, D(1985, 1, 12));
  EXPECT_STREQ(a.Code(), "nik.ok");
  EXPECT_TRUE(Nik("NIK sy 3201-0112-0185-0001 pak").ok());
  EXPECT_TRUE(Nik("3201 0112 0185 0001").ok());
  EXPECT_TRUE(Nik("nik: 3201.0112.0185.0001 🙏").ok());
  auto woman = Nik("3201015201850002");
  ASSERT_TRUE(woman.ok());
  EXPECT_EQ(woman.nik.sex, registry_io::Sex::kFemale);
}

TEST(NikInput, UnknownIsAnAnswer) {
  for (const char* text :
       {"tidak tahu", "Gak tau", "gk tw pak", "tdk punya", "blm punya KTP", "lupa", "KTP sy hilang",
        "ndak ngerti", "ora ngerti", "mboten gadhah", "lali", "teu terang", "teu gaduh", "poho",
        "DON'T KNOW", "I don’t know", "dont know", "do not know"}) {
    const auto a = Nik(text);
    EXPECT_EQ(a.kind, NikAnswer::Kind::kUnknown) << text;
    EXPECT_STREQ(a.Code(), "nik.unknown") << text;
  }
}

TEST(NikInput, SpecificErrors) {
  struct Case {
    const char* text;
    const char* code;
  };
  for (const Case& c : std::vector<Case>{
           {"Siti Aminah", "nik.missing"},
           {"?", "nik.missing"},
           {"", "nik.missing"},
           {"320101120185000", "nik.length"},
           {"32010112018500011", "nik.length"},
           {"3201011201850001 dan kk 3201010101010001", "nik.characters"},
           {"9901011201850001", "nik.province"},
           {"3200011201850001", "nik.regency"},
           {"3270011201850001", "nik.regency"},
           {"3201013213850001", "nik.date"},
           {"3201017202850001", "nik.date"},  // woman, day 32
           {"3201011201850000", "nik.serial"},
       }) {
    const auto a = Nik(c.text);
    EXPECT_FALSE(a.ok()) << c.text;
    EXPECT_STREQ(a.Code(), c.code) << c.text;
  }
}

// ---------------------------------------------------------------- phone

TEST(Phone, LocalForms) {
  EXPECT_EQ(ParsePhone("081234567890").e164, "+6281234567890");
  EXPECT_EQ(ParsePhone("0812-3456-7890").e164, "+6281234567890");
  EXPECT_EQ(ParsePhone("0812.3456.7890").e164, "+6281234567890");
  EXPECT_EQ(ParsePhone("62 812 3456 7890").e164, "+6281234567890");
  EXPECT_EQ(ParsePhone("+62 812-3456-7890").e164, "+6281234567890");
  EXPECT_EQ(ParsePhone("+6281234567890").e164, "+6281234567890");
  EXPECT_EQ(ParsePhone("no hp sy 0812 3456 7890").e164, "+6281234567890");
  EXPECT_EQ(ParsePhone("WA: + 62 812 3456 7890 ya").e164, "+6281234567890");
  EXPECT_EQ(ParsePhone("(022) 7234567").e164, "+62227234567");
}

// ParsePhone is self-contained (understand must not depend on adapters), so check that for
// every input it accepts it gives exactly the channels' canonical sender form with '+'.
TEST(Phone, AgreesWithTheAdaptersCanonicalForm) {
  const std::vector<std::string> accepted = {
      "081234567890",       "0812-3456-7890",     "0812.3456.7890", "(0812) 3456 7890",
      "62 812 3456 7890",   "+62 812-3456-7890",  "+6281234567890", "006281234567890",
      "0062 812 3456 7890", "81234567890",        "812 3456 7890",  "(022) 7234567",
      "022-7234567",        "+62 22 7234567",     "0274 512345",    "08123456789",
      "0812345678901",      "+62 8123 4567 8901", "6285712345678",  "0857 1234 5678",
      "021 5551234",        "+62 (21) 555-1234",  "0811234567",     "62811234567"};
  for (const auto& input : accepted) {
    const auto ours = ParsePhone(input);
    const auto theirs = adapters::NormalizePhone(input);
    ASSERT_TRUE(ours.ok()) << input << ": " << PhoneErrorCode(ours.error);
    ASSERT_TRUE(theirs.has_value()) << input;
    EXPECT_EQ(ours.e164, "+" + *theirs) << input;
  }
  // And the other way round: what NormalizePhone refuses or places abroad, ParsePhone refuses.
  const std::vector<std::string> refused = {"0812",
                                            "08123456789012345",
                                            "+0812 3456 7890",
                                            "62 0812 3456 7890",
                                            "+65 9123 4567",
                                            "0065 9123 4567",
                                            "1234567890",
                                            "+1 202 555 0143",
                                            "0812 3456 7890 atau 0813 1111 2222",
                                            "00",
                                            "+62 812"};
  for (const auto& input : refused) {
    const auto ours = ParsePhone(input);
    const auto theirs = adapters::NormalizePhone(input);
    EXPECT_FALSE(ours.ok()) << input;
    EXPECT_TRUE(!theirs.has_value() || theirs->rfind("62", 0) != 0) << input;
  }
  EXPECT_EQ(ParsePhone("+65 9123 4567").error, PhoneError::kNotIndonesian);
  EXPECT_EQ(ParsePhone("+0812 3456 7890").error, PhoneError::kFormat);
}

TEST(Phone, Rejects) {
  EXPECT_EQ(ParsePhone("").error, PhoneError::kMissing);
  EXPECT_EQ(ParsePhone("gak punya hp").error, PhoneError::kMissing);
  EXPECT_EQ(ParsePhone("0812").error, PhoneError::kFormat);
  EXPECT_EQ(ParsePhone("0812 3456 7890 atau 0813 1111 2222").error, PhoneError::kFormat);
  EXPECT_EQ(ParsePhone("08123456789012345").error, PhoneError::kFormat);
  EXPECT_EQ(ParsePhone("+65 9123 4567").error, PhoneError::kNotIndonesian);
  EXPECT_STREQ(PhoneErrorCode(PhoneError::kNotIndonesian), "phone.not_indonesian");
}

// ---------------------------------------------------------------- one-shot forms

TEST(OneShot, HashStyle) {
  auto a = SplitOneShot("ADU#3201011201850001#PKH sy blm cair 3 bln");
  ASSERT_TRUE(a.has_value());
  EXPECT_TRUE(a->ok());
  EXPECT_EQ(a->keyword, "ADU");
  EXPECT_EQ(a->fields, (std::vector<std::string>{"3201011201850001", "PKH sy blm cair 3 bln"}));

  auto reg = SplitOneShot("  reg#3201 0112 0185 0001#3201010101100003#");
  ASSERT_TRUE(reg.has_value());
  EXPECT_TRUE(reg->ok());
  EXPECT_EQ(reg->keyword, "REG");
  EXPECT_EQ(reg->fields, (std::vector<std::string>{"3201 0112 0185 0001", "3201010101100003"}));

  auto star = SplitOneShot("Daftar*3201011201850001*3201010101100003");
  ASSERT_TRUE(star.has_value());
  EXPECT_EQ(star->keyword, "DAFTAR");
  EXPECT_EQ(star->fields.size(), 2u);

  // The free text keeps separators of another kind and its inner spaces.
  auto slash = SplitOneShot("adu / 3201011201850001 / rumah bocor#atap rusak / tlg");
  ASSERT_TRUE(slash.has_value());
  EXPECT_EQ(slash->fields,
            (std::vector<std::string>{"3201011201850001", "rumah bocor#atap rusak / tlg"}));
}

TEST(OneShot, SpaceStyle) {
  auto cek = SplitOneShot("cek SP-7K2Q");
  ASSERT_TRUE(cek.has_value());
  EXPECT_TRUE(cek->ok());
  EXPECT_EQ(cek->keyword, "CEK");
  EXPECT_EQ(cek->fields, (std::vector<std::string>{"SP-7K2Q"}));

  auto spaced = SplitOneShot("CEK adu hph855");
  ASSERT_TRUE(spaced.has_value());
  EXPECT_TRUE(spaced->ok());
  EXPECT_EQ(spaced->fields, (std::vector<std::string>{"adu hph855"}));

  auto dtks = SplitOneShot("DTKS 3201 0112 0185 0001 Siti  Aminah");
  ASSERT_TRUE(dtks.has_value());
  EXPECT_TRUE(dtks->ok());
  EXPECT_EQ(dtks->fields, (std::vector<std::string>{"3201 0112 0185 0001", "Siti  Aminah"}));

  auto reg = SplitOneShot("REG 3201011201850001 3201010101100003");
  ASSERT_TRUE(reg.has_value());
  EXPECT_TRUE(reg->ok());
  EXPECT_EQ(reg->fields.size(), 2u);

  auto adu = SplitOneShot("Adu 3201011201850001 jalan desa rusak, tlg dibantu");
  ASSERT_TRUE(adu.has_value());
  EXPECT_EQ(adu->fields,
            (std::vector<std::string>{"3201011201850001", "jalan desa rusak, tlg dibantu"}));
}

TEST(OneShot, Rejects) {
  EXPECT_FALSE(SplitOneShot("").has_value());
  EXPECT_FALSE(SplitOneShot("halo pak").has_value());
  EXPECT_FALSE(SplitOneShot("aduan sy blm dibalas").has_value());  // not the keyword ADU
  EXPECT_FALSE(SplitOneShot("PKH sy gk cair").has_value());
  EXPECT_FALSE(SplitOneShot("cek2 status").has_value());

  auto short_adu = SplitOneShot("ADU#3201011201850001#");
  ASSERT_TRUE(short_adu.has_value());
  EXPECT_EQ(short_adu->error, OneShotError::kMissingFields);
  EXPECT_STREQ(OneShotErrorCode(short_adu->error), "oneshot.missing_fields");

  auto bare = SplitOneShot("CEK");
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(bare->error, OneShotError::kMissingFields);

  // CEK's code is the rest of the message ("CEK adu hph855"): whether it is a code is the
  // dialog's question (NormalizeTicketCode), so a sentence after CEK is one field.
  auto chatty = SplitOneShot("cek status dtks saya");
  ASSERT_TRUE(chatty.has_value());
  EXPECT_TRUE(chatty->ok());
  EXPECT_EQ(chatty->fields, (std::vector<std::string>{"status dtks saya"}));

  auto extra = SplitOneShot("REG 3201011201850001 3201010101100003 3201010101100004");
  ASSERT_TRUE(extra.has_value());
  EXPECT_EQ(extra->error, OneShotError::kTooManyFields);
  EXPECT_STREQ(OneShotErrorCode(extra->error), "oneshot.too_many_fields");

  const OneShotForm custom[] = {{"LAPOR", 1, true}};
  auto lapor = SplitOneShot("lapor*jalan rusak", custom);
  ASSERT_TRUE(lapor.has_value());
  EXPECT_EQ(lapor->fields, (std::vector<std::string>{"jalan rusak"}));
  EXPECT_FALSE(SplitOneShot("ADU#1#x", custom).has_value());
}

}  // namespace
}  // namespace satupintu::understand
