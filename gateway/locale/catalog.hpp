#pragma once
// Everything a citizen or an officer reads comes from locales/<language>.json: a flat object
// of message key -> text. Indonesian ("id") is the reference: every other language must have
// exactly its keys, and a text missing in the citizen's language falls back to Indonesian.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace satupintu::locale {

class Catalog {
 public:
  // Reads every *.json in `dir`. Errors name the file and the key.
  static core::Result<Catalog> Load(const std::string& dir);

  // The text of `key` in `language`, else in Indonesian; the key itself if neither has it
  // (Load refuses catalogs where that could happen for a key Indonesian has).
  const std::string& Text(std::string_view language, std::string_view key) const;
  bool Has(std::string_view key) const;
  std::vector<std::string> Languages() const;

  static constexpr std::string_view kReference = "id";

 private:
  std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> texts_;
  mutable std::string missing_;
};

}  // namespace satupintu::locale
