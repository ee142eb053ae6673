#include "text/edit_distance.hpp"

#include <algorithm>
#include <vector>

#include "text/fold.hpp"

namespace satupintu::text {
namespace {

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Banded OSA over any sequence of comparable units. Only cells with |i - j| <= max are
// computed; cells outside the band count as "infinity" (max + 1), which is exact for a bound.
template <typename Seq>
int Bounded(Seq a, Seq b, int max) {
  if (max < 0) max = 0;
  if (a.size() > b.size()) std::swap(a, b);
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  const int over = max + 1;
  if (m - n > max) return over;
  if (n == 0) return m;

  // Trim a common prefix and suffix: they never change the distance.
  int start = 0;
  while (start < n && a[static_cast<std::size_t>(start)] == b[static_cast<std::size_t>(start)]) {
    ++start;
  }
  int end_a = n;
  int end_b = m;
  while (end_a > start &&
         a[static_cast<std::size_t>(end_a - 1)] == b[static_cast<std::size_t>(end_b - 1)]) {
    --end_a;
    --end_b;
  }
  const int la = end_a - start;
  const int lb = end_b - start;
  if (la == 0) return lb <= max ? lb : over;

  auto at_a = [&](int i) { return a[static_cast<std::size_t>(start + i - 1)]; };
  auto at_b = [&](int j) { return b[static_cast<std::size_t>(start + j - 1)]; };

  // Three rows (OSA needs the row before the previous one), lb + 1 columns each.
  thread_local std::vector<int> storage;
  const std::size_t width = static_cast<std::size_t>(lb) + 1;
  storage.assign(3 * width, over);
  int* prev2 = storage.data();
  int* prev = prev2 + width;
  int* cur = prev + width;
  for (int j = 0; j <= std::min(lb, max); ++j) prev[j] = j;

  for (int i = 1; i <= la; ++i) {
    const int lo = std::max(1, i - max);
    const int hi = std::min(lb, i + max);
    // Only the band is computed; the cells just outside it that the next rows read are reset
    // (the three rows are recycled, so anything else there is stale).
    cur[0] = i <= max ? i : over;
    if (lo > 1) cur[lo - 1] = over;
    if (hi < lb) cur[hi + 1] = over;
    int row_min = cur[0];
    for (int j = lo; j <= hi; ++j) {
      const int cost = at_a(i) == at_b(j) ? 0 : 1;
      int v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && at_a(i) == at_b(j - 1) && at_a(i - 1) == at_b(j)) {
        v = std::min(v, prev2[j - 2] + 1);
      }
      cur[j] = std::min(v, over);
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > max) return over;
    int* recycled = prev2;
    prev2 = prev;
    prev = cur;
    cur = recycled;
  }
  return prev[lb] <= max ? prev[lb] : over;
}

}  // namespace

int BoundedEditDistance(std::u32string_view a, std::u32string_view b, int max_distance) {
  return Bounded(a, b, max_distance);
}

int BoundedEditDistance(std::string_view a, std::string_view b, int max_distance) {
  if (IsAscii(a) && IsAscii(b)) return Bounded(a, b, max_distance);
  const std::u32string da = DecodeUtf8(a);
  const std::u32string db = DecodeUtf8(b);
  return Bounded(std::u32string_view(da), std::u32string_view(db), max_distance);
}

}  // namespace satupintu::text
