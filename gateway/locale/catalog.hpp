#pragma once
// Everything a citizen or an officer reads comes from locales/<language>.json: a flat object
// of message key -> ICU MessageFormat pattern, plus an optional "_meta" object (see
// locales/README.md). Indonesian ("id") is the reference and the default: complete locales
// (id and en always) have exactly its keys, partial ones (jv, su) a subset, and a message
// missing in the citizen's language is rendered from Indonesian.
//
// Every pattern is parsed when the catalog loads, so a typo in a translation stops the
// gateway at start-up instead of reaching a citizen as "{nama}".

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "locale/message_args.hpp"

namespace satupintu::locale {

// One thing wrong with the locale files, located by file and key (key empty for the file).
struct Problem {
  std::string file;
  std::string key;
  std::string what;

  std::string ToString() const;  // "file: key: what"
};

class Catalog {
 public:
  Catalog();

  // Reads every <language>.json in `dir` (not subfolders). Refuses, listing every problem
  // with its file and key (and ICU's error for a pattern), when id.json or en.json is missing
  // or incomplete, a partial locale has a key id.json lacks, a pattern does not parse, a
  // translation uses an argument the Indonesian message does not have, or _meta is wrong.
  static core::Result<Catalog> Load(const std::string& dir);

  // As Load, but keeps everything that could be read and appends the problems instead of
  // failing: for `satupintu dialogs check` and CheckCatalog, which report all at once.
  static Catalog Read(const std::string& dir, std::vector<Problem>* problems);

  // The message formatted with `args` in `language`'s conventions (id_ID: "1.234.567",
  // "31 Desember 2024"). A key the language lacks comes from Indonesian, an unknown language
  // is Indonesian. Errors (safe to show: no argument values): unknown key, an argument the
  // message needs is missing or of the wrong kind, ICU failure.
  core::Result<std::string> Render(std::string_view language, std::string_view key,
                                   const Args& args = {}) const;

  // The text of a message without arguments ("Jum'at" stays "Jum'at"; "''" becomes "'"), in
  // `language` else Indonesian; the key itself if neither has it. For a message with
  // arguments this is the raw pattern: use Render.
  const std::string& Text(std::string_view language, std::string_view key) const;

  bool Has(std::string_view key) const;                            // Indonesian has it
  std::vector<std::string> Languages() const;                      // sorted
  std::vector<std::string> Keys(std::string_view language) const;  // the file's own keys
  bool IsComplete(std::string_view language) const;
  // Arguments of the message in `language` (else Indonesian) with the kind each is used as.
  std::map<std::string, ArgKind> Arguments(std::string_view language, std::string_view key) const;

  // From id.json's _meta: keys allowed to take more than one SMS, keys allowed to need
  // UCS-2, and the sample arguments the SMS-length check renders with.
  bool IsMultipart(std::string_view key) const;
  bool MayBeUcs2(std::string_view key) const;
  const SampleArgs& Samples() const;

  static constexpr std::string_view kReference = "id";
  static constexpr std::string_view kMetaKey = "_meta";

  struct Data;

 private:
  std::shared_ptr<Data> data_;
};

}  // namespace satupintu::locale
