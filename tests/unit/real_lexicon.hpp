#pragma once
// The real word lists of locales/lexicon, loaded once per test binary.

#include <gtest/gtest.h>

#include <string>

#include "paths/paths.hpp"
#include "understand/lexicon.hpp"

namespace satupintu::understand::testing {

inline const Lexicon& RealLexicon() {
  static const Lexicon lexicon = [] {
    auto loaded = Lexicon::Load(::satupintu::testing::SourceDir() + "/locales/lexicon");
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.error().message;
      return Lexicon();
    }
    return std::move(loaded).value();
  }();
  return lexicon;
}

}  // namespace satupintu::understand::testing
