#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "region_data.hpp"
#include "regions/name_key.hpp"
#include "regions/region_index.hpp"
#include "text/fold.hpp"

namespace satupintu::regions {
namespace {

using testing::HaveData;
using testing::RealIndex;

class RegionIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(HaveData());
    index_ = RealIndex();
    ASSERT_EQ(index_->size(), 38u + 514u + 7285u + 83762u);
  }

  static std::vector<std::string> Codes(const std::vector<SearchHit>& hits) {
    std::vector<std::string> codes;
    codes.reserve(hits.size());
    for (const auto& h : hits) codes.push_back(h.region->code);
    return codes;
  }

  std::shared_ptr<const RegionIndex> index_;
};

TEST(RegionCode, Normalize) {
  EXPECT_EQ(NormalizeCode("3201012001"), "32.01.01.2001");
  EXPECT_EQ(NormalizeCode("32.01.01.2001"), "32.01.01.2001");
  EXPECT_EQ(NormalizeCode(" 32 01-01 2001 "), "32.01.01.2001");
  EXPECT_EQ(NormalizeCode("3201"), "32.01");
  EXPECT_EQ(NormalizeCode("32"), "32");
  EXPECT_EQ(NormalizeCode("320101"), "32.01.01");
  EXPECT_EQ(NormalizeCode("32010120"), std::nullopt);
  EXPECT_EQ(NormalizeCode("32a1"), std::nullopt);
  EXPECT_EQ(NormalizeCode(""), std::nullopt);
  EXPECT_EQ(LevelOfCode("32.01.01.2001"), Level::kVillage);
  EXPECT_EQ(LevelOfCode("32.0101"), std::nullopt);
  EXPECT_EQ(ParentOfCode("32.01.01.2001"), "32.01.01");
  EXPECT_EQ(ParentOfCode("32"), "");
}

TEST(RegionNameKey, PrefixesAndHints) {
  EXPECT_EQ(DataKey(Level::kRegency, "Kabupaten Bogor").compact, "bogor");
  EXPECT_EQ(DataKey(Level::kRegency, "Kota Administrasi Jakarta Pusat").spaced, "jakarta pusat");
  EXPECT_EQ(DataKey(Level::kRegency, "Kabupaten Administrasi Kepulauan Seribu").spaced,
            "kepulauan seribu");
  EXPECT_EQ(DataKey(Level::kProvince, "Daerah Khusus Ibukota Jakarta").spaced, "jakarta");
  EXPECT_EQ(DataKey(Level::kVillage, "Kota Baru").spaced, "kota baru");  // a village's name

  auto variants = QueryVariants("  Kel. MENTENG ");
  ASSERT_EQ(variants.size(), 2u);
  EXPECT_TRUE(variants[0].literal);
  EXPECT_EQ(variants[0].key.spaced, "kel menteng");
  EXPECT_EQ(variants[1].key.spaced, "menteng");
  EXPECT_EQ(variants[1].hint.level, Level::kVillage);
  EXPECT_EQ(variants[1].hint.kind, Kind::kKelurahan);

  variants = QueryVariants("kab. bogor");
  ASSERT_EQ(variants.size(), 2u);
  EXPECT_EQ(variants[1].hint.kind, Kind::kKabupaten);
  variants = QueryVariants("Prov. Jabar");
  ASSERT_EQ(variants.size(), 3u);
  EXPECT_EQ(variants[2].key.spaced, "jawa barat");
  EXPECT_TRUE(QueryVariants(" ... ").empty());
  EXPECT_EQ(QueryVariants("kota").size(), 1u);  // nothing left after the prefix: kept whole
}

TEST_F(RegionIndexTest, FindChildrenPath) {
  const Region* v = index_->Find("3202111001");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v, index_->Find("32.02.11.1001"));
  EXPECT_EQ(v->name, "Cibadak");
  EXPECT_EQ(v->level, Level::kVillage);
  EXPECT_EQ(index_->Find("32.02.11.9999"), nullptr);
  EXPECT_EQ(index_->Find("nonsense"), nullptr);

  const auto path = index_->Path("3202111001");
  ASSERT_EQ(path.size(), 4u);
  EXPECT_EQ(path[1]->name, "Cibadak");  // the kecamatan
  EXPECT_EQ(path[2]->name, "Kabupaten Sukabumi");
  EXPECT_EQ(path[3]->name, "Jawa Barat");
  EXPECT_EQ(index_->Label(*v), "Cibadak, Kec. Cibadak, Kab. Sukabumi");
  EXPECT_EQ(index_->Label(*path[1]), "Kec. Cibadak, Kab. Sukabumi, Jawa Barat");
  EXPECT_EQ(index_->Label(*index_->Find("31.71")),
            "Kota Adm. Jakarta Pusat, Daerah Khusus Ibukota Jakarta");

  const auto kecamatan = index_->Children("32.01");
  EXPECT_EQ(kecamatan.size(), 40u);
  for (const auto& k : kecamatan) {
    EXPECT_EQ(k.level, Level::kDistrict);
    EXPECT_EQ(k.parent, "32.01");
  }
  const auto villages = index_->Children("320211");
  ASSERT_EQ(villages.size(), 10u);
  EXPECT_EQ(villages.front().code, "32.02.11.1001");
  EXPECT_EQ(villages.back().code, "32.02.11.2010");
  EXPECT_TRUE(index_->Children("3202111001").empty());
  EXPECT_EQ(index_->Children("").size(), 0u);
  EXPECT_EQ(index_->Children("32").size(), 27u);  // Jawa Barat: 18 kabupaten, 9 kota
}

TEST_F(RegionIndexTest, KabupatenVersusKota) {
  auto hits = index_->Search("kab bogor");
  ASSERT_GE(hits.size(), 2u);
  EXPECT_EQ(hits[0].region->code, "32.01");
  EXPECT_EQ(hits[0].how, MatchKind::kExact);
  EXPECT_EQ(hits[1].region->code, "32.71");
  EXPECT_EQ(hits[1].how, MatchKind::kExact);

  hits = index_->Search("Kota Bogor");
  ASSERT_GE(hits.size(), 2u);
  EXPECT_EQ(hits[0].region->code, "32.71");
  EXPECT_EQ(hits[1].region->code, "32.01");

  hits = index_->Search("KABUPATEN   sukabumi");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].region->code, "32.02");
  EXPECT_DOUBLE_EQ(hits[0].score, 1.0);
}

TEST_F(RegionIndexTest, KelurahanMenteng) {
  auto hits = index_->Search("kel. menteng");
  ASSERT_GE(hits.size(), 4u);
  // The three kelurahan named Menteng (Jakarta Pusat, Bogor, Palangka Raya) before the
  // kecamatan Menteng.
  EXPECT_EQ(hits[0].region->code, "31.71.06.1001");
  EXPECT_EQ(hits[0].label, "Menteng, Kec. Menteng, Kota Adm. Jakarta Pusat");
  EXPECT_EQ(hits[1].region->code, "32.71.04.1001");
  EXPECT_EQ(hits[2].region->code, "62.71.03.1002");
  EXPECT_EQ(hits[3].region->code, "31.71.06");
  EXPECT_EQ(hits[3].how, MatchKind::kExact);
  ASSERT_EQ(hits[0].path.size(), 3u);
  EXPECT_EQ(hits[0].path[2]->code, "31");

  // "Menteng Atas" and "Menteng Dalam" contain the word; "Mentengsari" starts with it.
  hits = index_->Search("menteng", {.level = Level::kVillage, .limit = 20});
  std::vector<std::string> kinds;
  kinds.reserve(hits.size());
  for (const auto& h : hits) kinds.push_back(h.region->name + ":" + MatchKindName(h.how));
  EXPECT_EQ(kinds.front(), "Menteng:exact");
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "Mentengsari:prefix"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "Menteng Atas:prefix"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "Ujung Menteng:contains"), kinds.end());
}

TEST_F(RegionIndexTest, SameNameInManyRegenciesRestrictedByWithin) {
  const auto all = index_->Search("desa sukamaju", {.level = Level::kVillage, .limit = 200});
  ASSERT_EQ(all.size(), 200u);
  // 119 villages are named Sukamaju or "Suka Maju"; then names that start with it
  // ("Sukamaju Baru"). Desa before kelurahan: the query said "desa".
  std::size_t exact = 0;
  std::size_t exact_kelurahan = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].how != MatchKind::kExact) continue;
    EXPECT_EQ(exact, i) << "exact matches come first";
    ++exact;
    if (all[i].region->code[9] == '1') {
      ++exact_kelurahan;
    } else {
      EXPECT_EQ(exact_kelurahan, 0u) << "a desa after a kelurahan: " << all[i].region->code;
    }
  }
  EXPECT_EQ(exact, 119u);
  EXPECT_GT(exact_kelurahan, 0u);
  EXPECT_EQ(all[exact].how, MatchKind::kPrefix);

  auto in_sukabumi = index_->Search("Sukamaju", {.within = "3202", .limit = 100});
  // Then Sukaraja (kecamatan and village), two edits away.
  ASSERT_EQ(in_sukabumi.size(), 8u);
  EXPECT_EQ(in_sukabumi[6].how, MatchKind::kTypo);
  EXPECT_EQ(in_sukabumi[6].region->code, "32.02.33");
  EXPECT_EQ(in_sukabumi[7].region->code, "32.02.33.2004");
  in_sukabumi.resize(6);
  EXPECT_EQ(Codes(in_sukabumi),
            (std::vector<std::string>{"32.02.03.2004", "32.02.10.2006", "32.02.30.2008",
                                      "32.02.36.2002", "32.02.39.2003", "32.02.46.2002"}));
  EXPECT_EQ(in_sukabumi[0].label, "Sukamaju, Kec. Cikakak, Kab. Sukabumi");

  const auto in_cikembar = index_->Search("suka maju", {.within = "32.02.10"});
  ASSERT_EQ(in_cikembar.size(), 1u);
  EXPECT_EQ(in_cikembar[0].region->code, "32.02.10.2006");

  // A large scope (the province) takes the indexed path; the results must agree.
  const auto in_jabar = index_->Search("Sukamaju", {.within = "32", .limit = 100});
  std::size_t from_sukabumi = 0;
  for (const auto& h : in_jabar) {
    EXPECT_TRUE(h.region->code.starts_with("32.")) << h.region->code;
    if (h.region->code.starts_with("32.02.")) ++from_sukabumi;
  }
  EXPECT_EQ(from_sukabumi, 8u);

  EXPECT_TRUE(index_->Search("Sukamaju", {.within = "99"}).empty());
  EXPECT_TRUE(index_->Search("Sukamaju", {.within = "32.02.10.2006"}).empty());
}

TEST_F(RegionIndexTest, Typos) {
  auto hits = index_->Search("tasikmalya", {.level = Level::kRegency});
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].how, MatchKind::kTypo);
  EXPECT_EQ(hits[0].distance, 1);
  EXPECT_EQ(hits[0].region->code, "32.06");  // Kabupaten before Kota by name? same name: by code
  EXPECT_EQ(hits[1].region->code, "32.78");

  hits = index_->Search("kab bgoor");  // transposition in a short name
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].region->code, "32.01");
  EXPECT_EQ(hits[0].how, MatchKind::kTypo);

  hits = index_->Search("Cibadka", {.within = "32.02"});  // within: the scan path
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].region->code, "32.02.11");
  EXPECT_EQ(hits[0].how, MatchKind::kTypo);

  // Two edits only for long names; short ones get one.
  EXPECT_TRUE(index_->Search("bgr", {.level = Level::kRegency}).empty());
  hits = index_->Search("Kab. Sukabumni");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].region->code, "32.02");
  hits = index_->Search("Kab. Skabumni");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].region->code, "32.02");
  EXPECT_EQ(hits[0].distance, 2);

  // Exact beats typo, whatever the level.
  hits = index_->Search("bogor", {.limit = 50});
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].how, MatchKind::kExact);
  for (std::size_t i = 1; i < hits.size(); ++i) {
    EXPECT_LE(static_cast<int>(hits[i - 1].how), static_cast<int>(hits[i].how));
  }
}

// The trigram filter must never lose a name within the allowed edits: a sample of real
// village names, each mutated by one edit (two for long names), is found nationwide.
TEST_F(RegionIndexTest, TypoFilterLosesNothing) {
  std::size_t checked = 0;
  // Villages are stored contiguously in code order; 11.01.01.2001 is the first.
  const Region* first = index_->Find("11.01.01.2001");
  ASSERT_NE(first, nullptr);
  for (std::size_t i = 0; i < 83762; i += 97) {
    const Region& r = first[i];
    ASSERT_EQ(r.level, Level::kVillage);
    std::string name = text::FoldForMatch(r.name);
    std::string compact;
    for (char c : name) {
      if (c != ' ') compact.push_back(c);
    }
    if (compact.size() < 5 || compact.size() > 30) continue;
    bool ascii = true;
    for (char c : compact) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
    if (!ascii) continue;
    std::string typo = compact;
    switch (i % 3) {
      case 0:
        std::swap(typo[1], typo[2]);  // transposition
        break;
      case 1:
        typo.erase(typo.size() / 2, 1);  // deletion
        break;
      default:
        typo[typo.size() / 2] = typo[typo.size() / 2] == 'x' ? 'q' : 'x';  // substitution
    }
    if (typo.size() >= 8) typo.insert(typo.begin(), 'k');  // a second edit for long names
    const auto hits = index_->Search(typo, {.level = Level::kVillage, .limit = 100000});
    bool found = false;
    for (const auto& h : hits) found = found || h.region == &r;
    EXPECT_TRUE(found) << r.name << " as " << typo;
    ++checked;
  }
  EXPECT_GT(checked, 700u);
}

// Names made of a repeated syllable have too few distinct trigrams for the count filter;
// they are still found with typos.
TEST_F(RegionIndexTest, RepetitiveNamesWithTypos) {
  auto hits =
      index_->Search("batibatii", {.level = Level::kDistrict});  // 9 distinct trigrams, k = 2
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].region->name, "Bati Bati");
  EXPECT_EQ(hits[0].how, MatchKind::kTypo);
  hits = index_->Search("lewa lewaa", {.level = Level::kVillage});
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].region->name, "Lewa-lewa");
}

TEST(RegionLetterCounts, BoundEditDistance) {
  const auto a = CountLetters(U"sukamaju");
  EXPECT_TRUE(CountsWithin(a, CountLetters(U"sukamuja"), 0));  // anagram: counts cannot tell
  EXPECT_TRUE(CountsWithin(a, CountLetters(U"sukamaja"), 1));  // substitution: 2
  EXPECT_FALSE(CountsWithin(a, CountLetters(U"sukamaja"), 0));
  EXPECT_TRUE(CountsWithin(a, CountLetters(U"sukmaju"), 1));  // deletion: 1
  EXPECT_FALSE(CountsWithin(a, CountLetters(U"bogor"), 2));
}

// The index is immutable: readers on several threads get the same answers.
TEST_F(RegionIndexTest, ConcurrentReaders) {
  const std::vector<std::string> queries = {"kab bogor", "kel. menteng",   "sukamaju", "tasikmalya",
                                            "Bati-Bati", "desa suka maju", "jabar",    "cibadka"};
  std::vector<std::vector<std::string>> expected;
  expected.reserve(queries.size());
  for (const auto& q : queries) expected.push_back(Codes(index_->Search(q)));
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 25; ++round) {
        const std::size_t i = static_cast<std::size_t>(t + round) % queries.size();
        if (Codes(index_->Search(queries[i])) != expected[i]) ++mismatches;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST_F(RegionIndexTest, ProvincesByShortForms) {
  for (const auto& [query, code] :
       std::vector<std::pair<std::string, std::string>>{{"DKI Jakarta", "31"},
                                                        {"dki", "31"},
                                                        {"D.I. Yogyakarta", "34"},
                                                        {"DIY", "34"},
                                                        {"jabar", "32"},
                                                        {"Prov. Jawa Timur", "35"},
                                                        {"NTT", "53"},
                                                        {"papua barat daya", "96"}}) {
    const auto hits = index_->Search(query, {.level = Level::kProvince});
    ASSERT_FALSE(hits.empty()) << query;
    EXPECT_EQ(hits[0].region->code, code) << query;
  }
}

TEST_F(RegionIndexTest, LimitLevelAndEmpty) {
  EXPECT_EQ(index_->Search("sungai", {.limit = 5}).size(), 5u);
  EXPECT_TRUE(index_->Search("", {}).empty());
  EXPECT_TRUE(index_->Search("!!!", {}).empty());
  EXPECT_TRUE(index_->Search("bogor", {.limit = 0}).empty());
  for (const auto& h : index_->Search("baru", {.level = Level::kDistrict, .limit = 50})) {
    EXPECT_EQ(h.region->level, Level::kDistrict);
  }
  // A village named "Kota Baru" is found as written, not as "Baru" with a "Kota" prefix.
  auto hits = index_->Search("Kota Baru", {.level = Level::kVillage});
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].region->name, "Kota Baru");
}

TEST_F(RegionIndexTest, ResolveDtksNames) {
  auto r = index_->Resolve("JAWA BARAT", "KAB. SUKABUMI", "CIKEMBAR", "SUKAMAJU");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->code, "32.02.10.2006");
  EXPECT_FALSE(r->any_approximate());

  r = index_->Resolve("Prov. Jawa Barat", "Kota Sukabumi", "Kec. Cikole", "Kel. Cikole");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(index_->Find(r->code)->name, "Cikole");
  EXPECT_TRUE(r->code.starts_with("32.72."));

  r = index_->Resolve("DKI JAKARTA", "KOTA ADM. JAKARTA PUSAT", "MENTENG", "MENTENG");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->code, "31.71.06.1001");

  // One typo at a level is accepted and flagged.
  r = index_->Resolve("JAWA BARAT", "KAB SUKABUMI", "CIKEMBR", "SUKAMAJU");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->code, "32.02.10.2006");
  EXPECT_EQ(r->approximate, (std::array<bool, 4>{false, false, true, false}));

  // Errors name the DTKS column, never the name.
  r = index_->Resolve("JAWA BARAT", "KAB SUKABUMI", "CIKEMBARXYZ", "SUKAMAJU");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "unknown region: kecamatan");
  r = index_->Resolve("JAWA BARAT", "BOGOR", "CIBINONG", "CIBINONG");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "ambiguous region: kabupaten_kota");
  r = index_->Resolve("JAWA BARAT", "KAB BOGOR", "CIBINONG", "NOWHERE");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "unknown region: desa_kelurahan");
  r = index_->Resolve("", "KAB BOGOR", "CIBINONG", "CIBINONG");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "unknown region: provinsi");
}

// A deployment's own regency first: its Sukamaju, not one of the many others; a name only found
// elsewhere still comes back.
TEST_F(RegionIndexTest, TheHomeRegencyComesFirstAndTheRestOnlyWhenItHasNothing) {
  SearchOptions home;
  home.prefer = "32.02";
  home.limit = 20;
  const auto hits = index_->Search("Sukamaju", home);
  ASSERT_FALSE(hits.empty());
  for (const auto& h : hits) {
    EXPECT_EQ(h.region->code.rfind("32.02.", 0), 0u) << h.label;
  }
  const auto nationwide = index_->Search("Sukamaju", {.limit = 20});
  EXPECT_TRUE(std::any_of(nationwide.begin(), nationwide.end(), [](const SearchHit& h) {
    return h.region->code.rfind("32.02.", 0) != 0;
  })) << "without a home regency the others are there";

  const auto elsewhere = index_->Search("kel. menteng atas", home);
  ASSERT_FALSE(elsewhere.empty());
  EXPECT_EQ(elsewhere[0].region->name, "Menteng Atas");
  EXPECT_EQ(elsewhere[0].region->code.rfind("31.", 0), 0u);
}

}  // namespace
}  // namespace satupintu::regions
