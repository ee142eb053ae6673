#pragma once
// Bounded edit distance for typo tolerance.

#include <string>
#include <string_view>

namespace satupintu::text {

// Optimal string alignment distance (insertions, deletions, substitutions and transpositions
// of two adjacent code points, each costing 1; a substring is not edited twice) over the code
// points of `a` and `b`. Returns max_distance + 1 as soon as the distance is known to exceed
// `max_distance` (length difference, or a whole band row above it), so the cost is
// O(max_distance * length) at worst and often less. max_distance < 0 is treated as 0.
// Invalid UTF-8 sequences count as U+FFFD.
int BoundedEditDistance(std::string_view a, std::string_view b, int max_distance);
// The same over decoded code points (callers that compare one string with many keep them
// decoded).
int BoundedEditDistance(std::u32string_view a, std::u32string_view b, int max_distance);

}  // namespace satupintu::text
