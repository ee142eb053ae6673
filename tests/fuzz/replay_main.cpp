// The fuzz targets without libFuzzer (GCC, the normal build): runs every file of a corpus
// directory through LLVMFuzzerTestOneInput, then a fixed number of deterministic mutations of
// them (same seed, same inputs on every run), so CTest exercises the invariants on every build.
//   <target>_replay CORPUS_DIR [MUTATIONS]

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

constexpr std::size_t kMaxInput = 4096;

// Bytes and strings that matter to the targets: CSV structure, encodings, digits, dates, JSON,
// queries and percent escapes, phone prefixes, UDH, surrogates and emoji.
// clang-format off
constexpr std::string_view kTokens[] = {
    "\"", "\"\"", ",", ";", "|", "\t", "\n", "\r\n", "\r", "\xEF\xBB\xBF", "\xE9", "\xC3\xA9",
    "\x81", "\x9D", "\xFF", "\xC3", "0", "9", "40", "-", ".", " ", "/", "29", "02", "00", "3201",
    "0000", "\xE2\x80\x99", "{", "}", "[", "]", ":", "null", "true", "1e999", "-1", "\\u0000",
    "\\ud83d", "%", "%2B", "%zz", "&", "=", "+62", "0812", "050003", "D83D", "#",
    "\xF0\x9F\x99\x8F"};
// clang-format on

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {  // xorshift64*
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1DULL;
  }
  std::size_t Below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(Next() % n); }

 private:
  std::uint64_t state_;
};

void Run(const std::string& input) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

std::string Mutate(std::string s, const std::vector<std::string>& corpus, Rng& rng) {
  const std::size_t steps = 1 + rng.Below(4);
  for (std::size_t i = 0; i < steps; ++i) {
    const std::size_t pos = rng.Below(s.size() + 1);
    switch (rng.Below(6)) {
      case 0:  // flip a byte
        if (!s.empty()) s[rng.Below(s.size())] = static_cast<char>(rng.Next() & 0xFF);
        break;
      case 1:  // insert a token
        s.insert(pos, kTokens[rng.Below(std::size(kTokens))]);
        break;
      case 2:  // erase a range
        s.erase(pos, rng.Below(16));
        break;
      case 3: {  // duplicate a range
        const std::string piece = s.substr(pos, rng.Below(32));
        s.insert(rng.Below(s.size() + 1), piece);
        break;
      }
      case 4: {  // splice in a piece of another corpus file
        const std::string& other = corpus[rng.Below(corpus.size())];
        const std::size_t from = rng.Below(other.size() + 1);
        s.insert(pos, other.substr(from, rng.Below(64)));
        break;
      }
      default:  // cut the end
        s.resize(pos);
        break;
    }
  }
  if (s.size() > kMaxInput) s.resize(kMaxInput);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [MUTATIONS]\n", argv[0]);
    return 2;
  }
  const std::size_t mutations = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 20000;
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    if (entry.is_regular_file()) paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());  // directory order is not stable
  std::vector<std::string> corpus;
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    Run(corpus.back());
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "no corpus files in %s\n", argv[1]);
    return 2;
  }
  Run("");
  Rng rng(0x5A7u);
  std::string current = corpus.front();
  for (std::size_t i = 0; i < mutations; ++i) {
    // Mostly a fresh corpus file, sometimes keep mutating the last input (deeper changes).
    if (rng.Below(4) != 0) current = corpus[rng.Below(corpus.size())];
    current = Mutate(std::move(current), corpus, rng);
    Run(current);
  }
  std::printf("%zu corpus files and %zu mutations: all invariants held\n", corpus.size(),
              mutations);
  return 0;
}
