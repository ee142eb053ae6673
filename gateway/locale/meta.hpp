#pragma once
// Internal to satupintu_locale: the "_meta" object of a locale file (locales/README.md).

#include <nlohmann/json_fwd.hpp>
#include <set>
#include <string>
#include <vector>

#include "locale/catalog.hpp"
#include "locale/message_args.hpp"

namespace satupintu::locale::internal {

struct Meta {
  std::set<std::string, std::less<>> multipart;
  std::set<std::string, std::less<>> ucs2;
  SampleArgs samples;
};

// Reads `meta` from `file`. Every file may say "complete"; only the reference (id.json) may
// say "multipart", "ucs2" and "samples", which apply to every language. Unknown fields are
// problems, as in the gateway's config.
void ReadMeta(const nlohmann::json& meta, const std::string& file, bool is_reference,
              bool* complete, Meta* out, std::vector<Problem>* problems);

}  // namespace satupintu::locale::internal
