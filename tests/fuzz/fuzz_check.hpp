#pragma once
// FUZZ_CHECK: an invariant of a fuzz target. On failure it prints the condition and aborts, so
// libFuzzer saves the input and the replay driver fails its CTest test (asserts may be compiled
// out; this is not).

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                                     \
  do {                                                                                       \
    if (!(cond)) {                                                                           \
      std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (false)
