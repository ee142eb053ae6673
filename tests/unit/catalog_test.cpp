// The locale catalog on real files: ICU MessageFormat for id_ID, fallbacks, _meta, the
// refusals at load, and the SMS-length check, including over the real locales/ directory.

#include "locale/catalog.hpp"

#include <gtest/gtest.h>
#include <unicode/timezone.h>
#include <cstdlib>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "locale/catalog_check.hpp"
#include "paths/paths.hpp"

namespace satupintu::locale {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

// A fresh directory of locale files, removed at the end (no test support library: this
// executable links only the locale libraries).
class LocaleDir {
 public:
  LocaleDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "locale-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~LocaleDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  LocaleDir(const LocaleDir&) = delete;
  LocaleDir& operator=(const LocaleDir&) = delete;

  void Write(const std::string& name, const std::string& json) const {
    std::ofstream(path_ + "/" + name, std::ios::binary | std::ios::trunc) << json;
  }
  void Remove(const std::string& name) const { std::filesystem::remove(path_ + "/" + name); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string Join(const std::vector<Problem>& problems) {
  std::string out;
  for (const auto& p : problems) out += p.ToString() + "\n";
  return out;
}

bool Mentions(const std::vector<Problem>& problems, const std::string& file, const std::string& key,
              const std::string& what) {
  for (const auto& p : problems) {
    if (p.file == file && p.key == key && p.what.find(what) != std::string::npos) return true;
  }
  return false;
}

const std::string kSource = ::satupintu::testing::SourceDir();

std::string Text(const core::Result<std::string>& rendered) {
  return rendered.ok() ? rendered.value() : "<error: " + rendered.error().message + ">";
}

// ---- The real locales/ directory -------------------------------------------------------

TEST(RealLocales, LoadAndPassTheCheck) {
  auto catalog = Catalog::Load(kSource + "/locales");
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  EXPECT_TRUE(catalog->IsComplete("id"));
  EXPECT_TRUE(catalog->IsComplete("en"));
  const auto problems =
      CheckLocales(kSource + "/locales", {"channel.text_only", "channel.list_button"});
  EXPECT_TRUE(problems.empty()) << Join(problems);
}

TEST(RealLocales, JavaneseAndSundaneseArePartialAndFallBackToIndonesian) {
  auto catalog = Catalog::Load(kSource + "/locales");
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  for (const char* language : {"jv", "su"}) {
    EXPECT_FALSE(catalog->IsComplete(language)) << language;
    for (const auto& key : catalog->Keys(language)) {
      if (key == "channel.list_button") continue;  // "Pilih" in all three languages
      EXPECT_NE(catalog->Text(language, key), catalog->Text("id", key))
          << language << " " << key << " is a copy of the Indonesian text";
    }
  }
  EXPECT_EQ(catalog->Text("xx", "channel.text_only"), catalog->Text("id", "channel.text_only"));
}

// ---- Loading ---------------------------------------------------------------------------

TEST(CatalogLoad, IndonesianIsTheReferenceAndFallback) {
  LocaleDir dir;
  dir.Write("id.json", R"({"a": "satu", "b": "dua"})");
  dir.Write("en.json", R"({"a": "one", "b": "two"})");
  auto ok = Catalog::Load(dir.path());
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->Text("en", "a"), "one");
  EXPECT_EQ(ok->Text("jv", "b"), "dua") << "unknown language falls back to Indonesian";
  EXPECT_EQ(ok->Text("id", "zzz"), "zzz") << "unknown key: the key itself";
  dir.Write("en.json", R"({"a": "one", "c": "three"})");
  auto bad = Catalog::Load(dir.path());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("en.json: b: missing"), std::string::npos);
  EXPECT_NE(bad.error().message.find("en.json: c: not in id.json"), std::string::npos);
}

TEST(CatalogLoad, IndonesianAndEnglishAreRequiredAndComplete) {
  LocaleDir dir;
  dir.Write("id.json", R"({"a": "satu"})");
  auto no_en = Catalog::Load(dir.path());
  ASSERT_FALSE(no_en.ok());
  EXPECT_NE(no_en.error().message.find("en.json: missing"), std::string::npos);
  dir.Write("en.json", R"({"_meta": {"complete": false}, "a": "one"})");
  auto partial_en = Catalog::Load(dir.path());
  ASSERT_FALSE(partial_en.ok());
  EXPECT_NE(partial_en.error().message.find("en.json: _meta: must be complete"), std::string::npos);
  dir.Remove("id.json");
  dir.Write("en.json", R"({"a": "one"})");
  auto no_id = Catalog::Load(dir.path());
  ASSERT_FALSE(no_id.ok());
  EXPECT_NE(no_id.error().message.find("id.json: missing"), std::string::npos);
}

TEST(CatalogLoad, PartialLocalesFallBackKeyByKey) {
  LocaleDir dir;
  dir.Write("id.json", R"({"salam": "Selamat pagi", "menu": "Ketik MENU"})");
  dir.Write("en.json", R"({"salam": "Good morning", "menu": "Send MENU"})");
  dir.Write("jv.json", R"({"_meta": {"complete": false}, "salam": "Sugeng enjing"})");
  auto catalog = Catalog::Load(dir.path());
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  EXPECT_EQ(Text(catalog->Render("jv", "salam")), "Sugeng enjing");
  EXPECT_EQ(Text(catalog->Render("jv", "menu")), "Ketik MENU");
  EXPECT_EQ(catalog->Text("jv", "menu"), "Ketik MENU");
  EXPECT_EQ(Text(catalog->Render("fr", "salam")), "Selamat pagi") << "unknown locale is Indonesian";
  EXPECT_EQ(catalog->Languages(), (std::vector<std::string>{"en", "id", "jv"}));
  EXPECT_EQ(catalog->Keys("jv"), (std::vector<std::string>{"salam"}));

  // Without "complete": false a locale must have every key; a partial one no extra key.
  dir.Write("su.json", R"({"salam": "Wilujeng enjing"})");
  dir.Write("jv.json", R"({"_meta": {"complete": false}, "salam": "Sugeng enjing", "x": "y"})");
  auto bad = Catalog::Load(dir.path());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("su.json: menu: missing"), std::string::npos);
  EXPECT_NE(bad.error().message.find("jv.json: x: not in id.json"), std::string::npos);
}

TEST(CatalogLoad, ABadPatternRefusesTheLoadNamingFileKeyAndIcuError) {
  LocaleDir dir;
  dir.Write("id.json", R"({"ok": "Baik", "tiket": "Anda punya {n, plural, other {# tiket}"})");
  dir.Write("en.json", R"({"ok": "Fine", "tiket": "You have {n, plural, other {# tickets}}"})");
  dir.Write("su.json", R"({"_meta": {"complete": false}, "ok": "{nama, nonsense}"})");
  auto bad = Catalog::Load(dir.path());
  ASSERT_FALSE(bad.ok());
  const auto& message = bad.error().message;
  EXPECT_NE(message.find("id.json: tiket: ICU: U_"), std::string::npos) << message;
  EXPECT_NE(message.find("offset"), std::string::npos) << message;
  EXPECT_NE(message.find("su.json: ok: ICU: U_"), std::string::npos) << message;

  std::vector<Problem> problems;
  const Catalog partial = Catalog::Read(dir.path(), &problems);
  EXPECT_TRUE(Mentions(problems, "id.json", "tiket", "ICU: U_")) << Join(problems);
  EXPECT_EQ(Text(partial.Render("en", "ok")), "Fine") << "Read keeps what parsed";
}

TEST(CatalogLoad, ArgumentsAreNamedAndTranslationsUseOnlyIndonesiansArguments) {
  LocaleDir dir;
  dir.Write("id.json",
            R"({"a": "Halo {nama}", "b": "Tiket {kode}", "c": "Pada {tgl, date, long}"})");
  dir.Write("en.json",
            R"({"a": "Hello {0}", "b": "Ticket {kode} for {nik}", "c": "On {tgl, number}"})");
  auto bad = Catalog::Load(dir.path());
  ASSERT_FALSE(bad.ok());
  const auto& message = bad.error().message;
  EXPECT_NE(message.find("en.json: a: ICU: numbered argument {0}"), std::string::npos) << message;
  EXPECT_NE(message.find("en.json: b: argument {nik} is not in id.json's message"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("en.json: c: argument {tgl} is a number here but a date in id.json"),
            std::string::npos)
      << message;
}

TEST(CatalogLoad, MetaIsCheckedLikeConfig) {
  LocaleDir dir;
  dir.Write("id.json", R"({"_meta": {"complete": true, "multipart": ["nope"], "colour": 1,
    "samples": {"nama": ["Ani", {"date": "2024-02-30"}], "n": 3}}, "a": "x"})");
  dir.Write("en.json", R"({"_meta": {"multipart": ["a"]}, "a": "x", "_note": "hi"})");
  std::vector<Problem> problems;
  const Catalog catalog = Catalog::Read(dir.path(), &problems);
  EXPECT_TRUE(Mentions(problems, "id.json", "_meta", "colour: unknown field")) << Join(problems);
  EXPECT_TRUE(Mentions(problems, "id.json", "_meta", "nope: listed but not a message"))
      << Join(problems);
  EXPECT_TRUE(Mentions(problems, "id.json", "_meta", "samples: nama:")) << Join(problems);
  EXPECT_TRUE(Mentions(problems, "en.json", "_meta", "multipart: belongs in id.json"))
      << Join(problems);
  EXPECT_TRUE(Mentions(problems, "en.json", "_note", "reserved")) << Join(problems);
  ASSERT_EQ(catalog.Samples().at("n").size(), 1u);
  EXPECT_EQ(std::get<std::int64_t>(catalog.Samples().at("n")[0]), 3);
}

TEST(CatalogLoad, OtherFilesAreNotLanguages) {
  LocaleDir dir;
  dir.Write("id.json", R"({"a": "satu"})");
  dir.Write("en.json", R"({"a": "one"})");
  dir.Write("Keywords.json", R"({})");
  auto bad = Catalog::Load(dir.path());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("Keywords.json: not a language code"), std::string::npos);
  dir.Remove("Keywords.json");
  std::filesystem::create_directory(dir.path() + "/lexicon");
  dir.Write("lexicon/id.json", R"({"yes": ["ya"]})");
  EXPECT_TRUE(Catalog::Load(dir.path()).ok()) << "subfolders are not read";
}

// ---- Rendering -------------------------------------------------------------------------

class Rendering : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("id.json", R"({
      "hari": "Kantor buka Senin sampai Jum'at.",
      "kutip": "Ketik '{'kode'}' atau ''BATAL''.",
      "tiket": "{n, plural, =0 {Tidak ada tiket} one {Satu tiket} other {# tiket}} untuk {nama}.",
      "jumlah": "Tercatat {count, number} jiwa.",
      "bantuan": "Bantuan {uang, number, ::currency/IDR precision-integer} cair {tgl, date, long}.",
      "lahir": "Lahir {tgl, date, short}, {tgl, date, medium}.",
      "sapa": "{jk, select, l {Bapak} p {Ibu} other {Bapak/Ibu}} {nama}",
      "urut": "Antrian ke-{pos}"
    })");
    dir_.Write("en.json", R"({
      "hari": "The office is open Monday to Friday.",
      "kutip": "Send '{'code'}' or ''CANCEL''.",
      "tiket": "{n, plural, =0 {No tickets} one {One ticket} other {# tickets}} for {nama}.",
      "jumlah": "{count, number} people recorded.",
      "bantuan": "Aid of {uang, number, ::currency/IDR precision-integer} paid on {tgl, date, long}.",
      "lahir": "Born {tgl, date, short}, {tgl, date, medium}.",
      "sapa": "{jk, select, l {Mr} p {Mrs} other {Mr/Mrs}} {nama}",
      "urut": "Queue number {pos}"
    })");
    dir_.Write("jv.json", R"({"_meta": {"complete": false},
      "bantuan": "Bantuan {uang, number, ::currency/IDR precision-integer} cair {tgl, date, long}."})");
    auto catalog = Catalog::Load(dir_.path());
    ASSERT_TRUE(catalog.ok()) << catalog.error().message;
    catalog_ = std::move(catalog).value();
  }

  std::string R(std::string_view language, std::string_view key, const Args& args = {}) {
    auto out = catalog_.Render(language, key, args);
    EXPECT_TRUE(out.ok()) << out.error().message;
    return out.ok() ? *out : std::string();
  }

  LocaleDir dir_;
  Catalog catalog_;
};

TEST_F(Rendering, ApostrophesInIndonesianTextAreLiteral) {
  EXPECT_EQ(catalog_.Text("id", "hari"), "Kantor buka Senin sampai Jum'at.");
  EXPECT_EQ(R("id", "hari"), "Kantor buka Senin sampai Jum'at.");
  // Quoting is still there for the rare brace: '{' quotes, '' is one apostrophe.
  EXPECT_EQ(catalog_.Text("id", "kutip"), "Ketik {kode} atau 'BATAL'.");
}

TEST_F(Rendering, PluralsFollowEachLanguagesRules) {
  // Indonesian has no "one" category: =1 selects by value, "one" never applies.
  EXPECT_EQ(R("id", "tiket", {{"n", std::int64_t{0}}, {"nama", "Siti"}}),
            "Tidak ada tiket untuk Siti.");
  EXPECT_EQ(R("id", "tiket", {{"n", std::int64_t{1}}, {"nama", "Siti"}}), "1 tiket untuk Siti.");
  EXPECT_EQ(R("id", "tiket", {{"n", std::int64_t{1234}}, {"nama", "Siti"}}),
            "1.234 tiket untuk Siti.");
  EXPECT_EQ(R("en", "tiket", {{"n", std::int64_t{1}}, {"nama", "Siti"}}), "One ticket for Siti.");
  EXPECT_EQ(R("en", "tiket", {{"n", std::int64_t{1234}}, {"nama", "Siti"}}),
            "1,234 tickets for Siti.");
}

TEST_F(Rendering, NumbersAndDatesAreFormattedForIndonesia) {
  EXPECT_EQ(R("id", "jumlah", {{"count", std::int64_t{1234567}}}), "Tercatat 1.234.567 jiwa.");
  EXPECT_EQ(R("id", "jumlah", {{"count", 2.5}}), "Tercatat 2,5 jiwa.");
  const Date independence{year{2024}, month{8}, day{17}};
  const std::string aid =
      R("id", "bantuan", {{"uang", std::int64_t{600000}}, {"tgl", independence}});
  EXPECT_NE(aid.find("Rp"), std::string::npos) << aid;
  EXPECT_NE(aid.find("600.000"), std::string::npos) << aid;
  EXPECT_NE(aid.find("cair 17 Agustus 2024."), std::string::npos) << aid;
  const std::string born = R("id", "lahir", {{"tgl", Date{year{1985}, month{12}, day{31}}}});
  EXPECT_EQ(born, "Lahir 31/12/85, 31 Des 1985.");
  const std::string en =
      R("en", "bantuan", {{"uang", std::int64_t{600000}}, {"tgl", independence}});
  EXPECT_NE(en.find("600,000"), std::string::npos) << en;
  EXPECT_NE(en.find("August 17, 2024"), std::string::npos) << en;
  // Javanese has its own locale data in ICU; the day must be the same day.
  const std::string jv =
      R("jv", "bantuan", {{"uang", std::int64_t{600000}}, {"tgl", independence}});
  EXPECT_NE(jv.find("17"), std::string::npos) << jv;
  EXPECT_NE(jv.find("2024"), std::string::npos) << jv;
}

TEST_F(Rendering, TheDayIsTheSameInEveryServerTimeZone) {
  const Date day1{year{2025}, month{1}, day{1}};
  std::unique_ptr<icu::TimeZone> saved(icu::TimeZone::createDefault());
  for (const char* zone : {"UTC", "Asia/Jakarta", "Asia/Jayapura", "Pacific/Honolulu"}) {
    // Date formats take ICU's default zone when the catalog is built: load again under each.
    icu::TimeZone::adoptDefault(icu::TimeZone::createTimeZone(zone));
    auto catalog = Catalog::Load(dir_.path());
    ASSERT_TRUE(catalog.ok());
    auto text = catalog->Render("id", "lahir", {{"tgl", day1}});
    ASSERT_TRUE(text.ok());
    EXPECT_EQ(*text, "Lahir 01/01/25, 1 Jan 2025.") << zone;
  }
  icu::TimeZone::setDefault(*saved);
}

TEST_F(Rendering, SelectAndPlainArguments) {
  EXPECT_EQ(R("id", "sapa", {{"jk", "p"}, {"nama", "Siti Aminah"}}), "Ibu Siti Aminah");
  EXPECT_EQ(R("id", "sapa", {{"jk", "x"}, {"nama", "Siti"}}), "Bapak/Ibu Siti");
  EXPECT_EQ(R("id", "urut", {{"pos", std::int64_t{12345}}}), "Antrian ke-12.345");
  EXPECT_EQ(R("id", "urut", {{"pos", "A-12"}}), "Antrian ke-A-12");
  // Extra arguments are ignored; braces in values are not patterns.
  EXPECT_EQ(R("id", "urut", {{"pos", "{x}"}, {"other", std::int64_t{1}}}), "Antrian ke-{x}");
}

TEST_F(Rendering, ErrorsNameTheKeyAndArgumentButNoValue) {
  auto unknown = catalog_.Render("id", "tidak.ada");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, core::ErrorCode::kNotFound);
  auto missing = catalog_.Render("id", "tiket", {{"n", std::int64_t{2}}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "message tiket: argument {nama} is missing");
  auto wrong = catalog_.Render("id", "tiket", {{"n", "3275012345678901"}, {"nama", "Siti"}});
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().message, "message tiket: argument {n} must be a number");
  EXPECT_EQ(wrong.error().message.find("3275"), std::string::npos);
  auto date = catalog_.Render("id", "lahir", {{"tgl", std::int64_t{1}}});
  ASSERT_FALSE(date.ok());
  EXPECT_EQ(date.error().message, "message lahir: argument {tgl} must be a date");
  auto invalid = catalog_.Render("id", "lahir", {{"tgl", Date{year{2023}, month{2}, day{29}}}});
  EXPECT_FALSE(invalid.ok());
  EXPECT_EQ(catalog_.Arguments("id", "tiket"),
            (std::map<std::string, ArgKind>{{"n", ArgKind::kNumber}, {"nama", ArgKind::kAny}}));
}

TEST_F(Rendering, CopiesShareTheMessagesAndRenderFromManyThreads) {
  const Catalog copy = catalog_;
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&copy, &wrong, t] {
      for (int i = 0; i < 500; ++i) {
        const std::int64_t n = t * 1000 + i + 2;
        auto text = copy.Render("id", "tiket", {{"n", n}, {"nama", "Ani"}});
        const std::string expected =
            (n >= 1000 ? std::to_string(n / 1000) + "." : std::string()) +
            (n >= 1000 ? std::string(3 - std::to_string(n % 1000).size(), '0') : std::string()) +
            std::to_string(n % 1000) + " tiket untuk Ani.";
        if (!text.ok() || *text != expected) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

// ---- The SMS check ---------------------------------------------------------------------

class SmsCheck : public ::testing::Test {
 protected:
  // Realistic worst cases: a long name as on a KTP, a long village name, six-digit numbers.
  void WriteIndonesian(const std::string& meta, const std::string& extra = "") {
    dir_.Write("id.json", R"({"_meta": {)" + meta + R"(,
      "samples": {
        "nama": ["Ani", "Raden Ajeng Siti Nurhalizah Kusumawardhani Prameswari"],
        "desa": ["Kota", "Sukamaju Kidul Wetan Kecamatan Cibeureum Kulon"],
        "kode": ["ADU-2024-001234"],
        "n": [1, 123456],
        "tgl": [{"date": "2024-09-30"}]
      }},
      "ringkas": "Tiket {kode} {tgl, date, short}: {nama}, {desa}. Benar? 1=Ya 2=Tidak",
      "panjang": "Terima kasih {nama}. Pengaduan Anda dari Desa {desa} sudah kami terima dengan nomor {kode}. Petugas akan menghubungi Anda dalam {n, plural, other {# hari kerja}}. Simpan nomor ini."
      )" + extra + "}");
  }
  void WriteEnglish(const std::string& extra = "") {
    dir_.Write("en.json", R"({
      "ringkas": "Ticket {kode} {tgl, date, short}: {nama}, {desa}. Right? 1=Yes 2=No",
      "panjang": "Thank you {nama}. Your complaint from {desa} village was received as {kode}. An officer will contact you within {n, plural, one {# working day} other {# working days}}. Keep this number."
      )" + extra + "}");
  }
  std::vector<Problem> Check(const std::vector<std::string>& used = {}) {
    return CheckLocales(dir_.path(), used);
  }

  LocaleDir dir_;
};

TEST_F(SmsCheck, ALongMessageMustBeMarkedMultipart) {
  WriteIndonesian(R"("multipart": [])");
  WriteEnglish();
  auto problems = Check();
  EXPECT_TRUE(Mentions(problems, "id.json", "panjang", "takes 2 SMS with the samples"))
      << Join(problems);
  EXPECT_TRUE(Mentions(problems, "en.json", "panjang", "one SMS holds 160")) << Join(problems);
  // With short samples only, the same text would fit: the long name is what breaks it.
  EXPECT_FALSE(Mentions(problems, "id.json", "ringkas", "SMS")) << Join(problems);

  WriteIndonesian(R"("multipart": ["panjang"])");
  problems = Check();
  EXPECT_TRUE(problems.empty()) << Join(problems);
}

TEST_F(SmsCheck, UnicodeOnlyWhereAllowed) {
  WriteIndonesian(
      R"("multipart": ["panjang"])",
      R"(, "salam": "Terima kasih 🙏", "kutip": "“Terima kasih” – petugas", "aksen": "Façade")");
  WriteEnglish(R"(, "salam": "Thank you", "kutip": "Thanks", "aksen": "Façade")");
  auto problems = Check();
  EXPECT_TRUE(Mentions(problems, "id.json", "salam", "needs UCS-2 for U+1F64F")) << Join(problems);
  EXPECT_TRUE(Mentions(problems, "id.json", "aksen", "needs UCS-2 for U+00E7 'ç'"))
      << Join(problems);
  EXPECT_FALSE(Mentions(problems, "id.json", "kutip", "UCS-2"))
      << "typographic quotes and dashes are substituted as the outbox does\n"
      << Join(problems);

  WriteIndonesian(
      R"("multipart": ["panjang"], "ucs2": ["salam", "aksen"])",
      R"(, "salam": "Terima kasih 🙏", "kutip": "“Terima kasih” – petugas", "aksen": "Façade {nama} {desa} {nama}")");
  WriteEnglish(R"(, "salam": "Thank you", "kutip": "Thanks", "aksen": "Façade")");
  problems = Check();
  EXPECT_FALSE(Mentions(problems, "id.json", "salam", "")) << Join(problems);
  EXPECT_TRUE(Mentions(problems, "id.json", "aksen", "UCS-2 units; one SMS holds 70"))
      << Join(problems);
}

TEST_F(SmsCheck, EveryArgumentNeedsASampleAndEveryUsedKeyAMessage) {
  WriteIndonesian(R"("multipart": ["panjang"])", R"(, "baru": "Halo {panggilan}")");
  WriteEnglish(R"(, "baru": "Hello {panggilan}")");
  dir_.Write("jv.json",
             R"({"_meta": {"complete": false}, "ringkas": "Tiket {kode}", "lawas": "x"})");
  auto problems = Check({"ringkas", "menu.utama"});
  EXPECT_TRUE(Mentions(problems, "id.json", "baru", "no sample value for argument {panggilan}"))
      << Join(problems);
  EXPECT_TRUE(Mentions(problems, "id.json", "menu.utama", "used but missing")) << Join(problems);
  EXPECT_TRUE(Mentions(problems, "en.json", "menu.utama", "used but missing")) << Join(problems);
  EXPECT_FALSE(Mentions(problems, "jv.json", "menu.utama", "")) << "jv is partial";
  EXPECT_TRUE(Mentions(problems, "jv.json", "lawas", "not in id.json")) << Join(problems);
  // Each problem once, although both Read and CheckCatalog see the key sets.
  int count = 0;
  for (const auto& p : problems) count += (p.file == "jv.json" && p.key == "lawas");
  EXPECT_EQ(count, 1) << Join(problems);
}

TEST_F(SmsCheck, CheckCatalogReportsMissingKeysOfACatalogReadLeniently) {
  WriteIndonesian(R"("multipart": ["panjang"])");
  dir_.Write("en.json",
             R"({"ringkas": "Ticket {kode} for {nama} in {desa} filed {tgl, date, long}.",
    "lebih": "extra"})");
  std::vector<Problem> read_problems;
  const Catalog catalog = Catalog::Read(dir_.path(), &read_problems);
  auto problems = CheckCatalog(catalog, catalog.Samples());
  EXPECT_TRUE(Mentions(problems, "en.json", "panjang", "missing")) << Join(problems);
  EXPECT_TRUE(Mentions(problems, "en.json", "lebih", "not in id.json")) << Join(problems);
}

}  // namespace
}  // namespace satupintu::locale
