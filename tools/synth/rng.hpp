#pragma once
// The one source of randomness of the generator. xoshiro256** seeded through splitmix64, with
// our own range reduction: the standard distributions leave their algorithms to the library,
// so the same seed would give different files on different standard libraries.

#include <cstddef>
#include <cstdint>
#include <span>

namespace satupintu::synth {

// A stateless 64-bit mix (splitmix64 finaliser): per-village data derived from (seed, index)
// without storing it.
constexpr std::uint64_t Mix(std::uint64_t a, std::uint64_t b = 0) {
  std::uint64_t z = a + 0x9e3779b97f4a7c15ULL * (b + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (std::size_t i = 0; i < 4; ++i) s_[i] = Mix(seed, i);
  }

  std::uint64_t Next() {
    const std::uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n), n >= 1 (multiply-shift on 32 bits: no division, bias below 2^-32 * n).
  std::uint32_t Below(std::uint32_t n) {
    return static_cast<std::uint32_t>(((Next() >> 32) * n) >> 32);
  }
  std::size_t Index(std::size_t n) { return Below(static_cast<std::uint32_t>(n)); }
  // Uniform in [lo, hi].
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<std::uint32_t>(hi - lo + 1)));
  }
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }

  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[Index(items.size())];
  }
  // Index drawn with the given relative weights (all >= 0, sum > 0).
  std::size_t Weighted(std::span<const double> weights);

 private:
  static constexpr std::uint64_t Rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

inline std::size_t Rng::Weighted(std::span<const double> weights) {
  double total = 0;
  for (double w : weights) total += w;
  double r = Unit() * total;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (r < weights[i]) return i;
    r -= weights[i];
  }
  return weights.size() - 1;
}

}  // namespace satupintu::synth
