// The content check of a broadcast (gateway/broadcast/content.hpp): what an officer of the
// social office might write, refused or let through.
#include "broadcast/content.hpp"

#include <gtest/gtest.h>

namespace satupintu::broadcast {
namespace {

ContentPolicy Tasikmalaya() {
  ContentPolicy p;
  p.office_names = {"Dinas Sosial Kabupaten Tasikmalaya", "Dinsos Kab. Tasikmalaya"};
  p.official_domains = {"go.id"};
  return p;
}

std::vector<std::string> Kinds(std::string_view text) {
  std::vector<std::string> kinds;
  for (const auto& p : CheckContent(text, Tasikmalaya())) {
    kinds.emplace_back(ContentProblemName(p.kind));
  }
  return kinds;
}

using Kinds_ = std::vector<std::string>;

TEST(BroadcastContentTest, OfficialAnnouncementsPass) {
  for (const char* text : {
           "Dinsos Kab. Tasikmalaya: pencairan PKH tahap 3 mulai 15 Agustus di kantor pos "
           "kecamatan. Bawa KTP, KK dan kartu KKS asli.",
           "Dinas Sosial Kabupaten Tasikmalaya: jangan berikan NIK, PIN atau kode OTP kepada "
           "siapa pun. Kemensos tidak pernah meminta data lewat WA.",
           "DINSOS KAB TASIKMALAYA - cek status di https://cekbansos.kemensos.go.id atau "
           "www.tasikmalayakab.go.id/bansos. Info: dinsos@tasikmalayakab.go.id",
           "Dinsos Kab. Tasikmalaya: bantuan Rp.300.000 a.n. penerima, Jl.Merdeka No. 5, s.d. "
           "Jumat. Balas BERHENTI untuk tidak menerima pesan ini.",
       }) {
    EXPECT_EQ(Kinds(text), Kinds_{}) << text;
  }
}

TEST(BroadcastContentTest, LinksOutsideTheOfficialDomainsAreRefused) {
  const auto problems = CheckContent(
      "Dinsos Kab. Tasikmalaya: daftar di bit.ly/bansos-2026 atau https://kemensos-go.id.com/x "
      "(juga http://www.bansos-kemensos.xyz).",
      Tasikmalaya());
  std::vector<std::string> hosts;
  for (const auto& p : problems) {
    EXPECT_EQ(p.kind, ContentProblemKind::kLinkNotOfficial);
    hosts.push_back(p.detail);
  }
  EXPECT_EQ(hosts, (Kinds_{"bit.ly", "kemensos-go.id.com", "bansos-kemensos.xyz"}));
  // "go.id" must be the end of the host, not a part of a label.
  EXPECT_EQ(Kinds("Dinsos Kab. Tasikmalaya: lihat fakego.id/x"), Kinds_{"link_not_official"});
  EXPECT_EQ(Kinds("Dinsos Kab. Tasikmalaya: tanya di admin@gmail.com"),
            Kinds_{"link_not_official"});
  EXPECT_EQ(Kinds("Dinsos Kab. Tasikmalaya: lihat HTTPS://KEMENSOS.GO.ID/PKH."), Kinds_{});
}

TEST(BroadcastContentTest, AskingForNikKkPinOtpOrAccountIsRefused) {
  for (const char* text : {
           "Dinsos Kab. Tasikmalaya: balas SMS ini dengan NIK dan nama lengkap.",
           "Dinsos Kab. Tasikmalaya: kirimkan foto KK ke nomor 0812 3456 7890.",
           "Dinsos Kab. Tasikmalaya: masukkan kode OTP yang Anda terima.",
           "Dinsos Kab. Tasikmalaya: konfirmasi data dengan membalas nomor induk kependudukan.",
           "Dinsos Kab. Tasikmalaya: ketik NIK#NAMA kirim ke 99123.",
           "Dinsos Kab. Tasikmalaya: isi nomor rekening Anda agar dana cair.",
           "Dinsos Kab. Tasikmalaya: sebutkan PIN kartu KKS kepada petugas.",
       }) {
    EXPECT_EQ(Kinds(text), Kinds_{"asks_for_secret"}) << text;
  }
  const auto p = CheckContent("Dinsos Kab. Tasikmalaya: Kirim NIK Anda.", Tasikmalaya());
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].detail, "kirim ... nik");
}

TEST(BroadcastContentTest, TheOfficeMustBeNamedAndTheTextNotEmpty) {
  EXPECT_EQ(Kinds("Pencairan PKH tahap 3 mulai 15 Agustus."), Kinds_{"no_office_name"});
  EXPECT_EQ(Kinds("Dinas Sosial: pencairan PKH mulai 15 Agustus."), Kinds_{"no_office_name"})
      << "which office: the regency's name is part of it";
  EXPECT_EQ(Kinds("  \n "), Kinds_{"empty"});
  // Every problem at once, in order.
  EXPECT_EQ(Kinds("Kirim NIK ke bit.ly/x"),
            (Kinds_{"link_not_official", "asks_for_secret", "no_office_name"}));
  // Without configured names the name is not checked (the configuration check requires one).
  EXPECT_TRUE(CheckContent("Pencairan PKH.", ContentPolicy{}).empty());
}

}  // namespace
}  // namespace satupintu::broadcast
