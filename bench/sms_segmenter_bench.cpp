// SMS encoding analysis and splitting (adapters/sms). Analyze runs for every outbound SMS and
// must stay above 1,000,000 typical messages/s on one core; Split runs only for long ones.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "adapters/sms/analysis.hpp"
#include "adapters/sms/split.hpp"
#include "adapters/sms/substitute.hpp"

namespace {

namespace sms = satupintu::adapters::sms;

std::string Repeat(const std::string& piece, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

// Roughly what the outbox sees: mostly short prompts, some long notices with extension
// characters, and echoed citizen text with typography or emoji.
std::vector<std::string> MessageMix() {
  const std::vector<std::string> prompts = {
      "Balas 1 untuk cek status bantuan, 2 untuk ubah data, 3 untuk bicara dengan petugas.",
      "Terima kasih. Pengaduan Anda tercatat dengan nomor 2026-11-0042.",
      "Mohon kirim NIK 16 digit Anda.",
      "Jadwal pencairan PKH tahap IV: 25 November 2026 di kantor pos terdekat.",
      "Maaf, kami tidak mengerti. Balas MENU untuk melihat pilihan.",
      "Data Anda sudah diperbarui. Balas YA jika benar, TIDAK jika salah.",
  };
  const std::string notice = Repeat(
      "Info [BPNT]: saldo Rp200.000 {tahap 4} cair ~25/11; bawa KTP & KK | tanya di desa. ", 4);
  const std::vector<std::string> echoed = {
      "Pak, saya sudah ke kantor desa tapi katanya data saya \xE2\x80\x9C"
      "belum masuk\xE2\x80\x9D"
      "\xE2\x80\xA6 bagaimana?",
      "Terima kasih banyak \xF0\x9F\x99\x8F\xF0\x9F\x99\x8F semoga lancar",
      "Anak saya sakit \xF0\x9F\x98\xA2 apakah bisa dapat bantuan KIS?",
  };
  std::vector<std::string> mix;
  for (int round = 0; round < 4; ++round) {
    mix.insert(mix.end(), prompts.begin(), prompts.end());
  }
  mix.push_back(notice);
  mix.push_back(notice);
  mix.insert(mix.end(), echoed.begin(), echoed.end());
  return mix;
}

void BM_AnalyzeMix(benchmark::State& state) {
  const std::vector<std::string> mix = MessageMix();
  std::size_t bytes = 0;
  for (const auto& m : mix) bytes += m.size();
  for (auto _ : state) {
    for (const auto& m : mix) benchmark::DoNotOptimize(sms::Analyze(m));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(mix.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
  state.counters["avg_bytes"] = static_cast<double>(bytes) / static_cast<double>(mix.size());
}
BENCHMARK(BM_AnalyzeMix);

void BM_AnalyzeLongGsm7(benchmark::State& state) {
  const std::string text =
      Repeat("Info [BPNT]: saldo Rp200.000 {tahap 4} cair ~25/11; bawa KTP & KK | tanya di desa. ",
             4)
          .substr(0, 300);
  for (auto _ : state) benchmark::DoNotOptimize(sms::Analyze(text));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AnalyzeLongGsm7);

void BM_AnalyzeEmoji(benchmark::State& state) {
  const std::string text = "Terima kasih banyak \xF0\x9F\x99\x8F\xF0\x9F\x99\x8F semoga lancar";
  for (auto _ : state) benchmark::DoNotOptimize(sms::Analyze(text));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AnalyzeEmoji);

void BM_SmartSubstituteEchoed(benchmark::State& state) {
  const std::string text =
      "Pak, data saya \xE2\x80\x9C"
      "belum masuk\xE2\x80\x9D\xE2\x80\xA6 "
      "bagaimana\xE2\x80\x94mohon dibantu?";
  for (auto _ : state) benchmark::DoNotOptimize(sms::SmartSubstitute(text));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SmartSubstituteEchoed);

void BM_SplitThreePartsGsm7(benchmark::State& state) {
  const std::string text = Repeat("Bantuan sosial untuk keluarga penerima manfaat [PKH]. ", 8);
  if (sms::Analyze(text).segments != 3) state.SkipWithError("expected a 3-part message");
  std::uint8_t ref = 0;
  for (auto _ : state) benchmark::DoNotOptimize(sms::Split(text, ref++));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SplitThreePartsGsm7);

void BM_SplitThreePartsUcs2(benchmark::State& state) {
  const std::string text = Repeat("Terima kasih \xF0\x9F\x99\x8F ", 10);
  if (sms::Analyze(text).segments != 3) state.SkipWithError("expected a 3-part message");
  std::uint8_t ref = 0;
  for (auto _ : state) benchmark::DoNotOptimize(sms::Split(text, ref++));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SplitThreePartsUcs2);

}  // namespace

BENCHMARK_MAIN();
