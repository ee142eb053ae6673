#pragma once
// The locale check run by the tests (and `satupintu dialogs check`): every message of every
// language rendered as it would go out by SMS, with realistic sample arguments, must fit one
// GSM-7 segment (160 septets) unless id.json's _meta marks the key "multipart", and must not
// need UCS-2 unless it marks the key "ucs2" (then: one 70-unit segment unless multipart).
// Separate from satupintu_locale because it needs the SMS rules (adapters/sms).

#include <string>
#include <vector>

#include "locale/catalog.hpp"

namespace satupintu::locale {

// Problems of a loaded (or Read) catalog, in a stable order:
//  - a complete locale missing a key of id.json or having one id.json lacks, a partial locale
//    having a key id.json lacks;
//  - `used_keys` (keys the code or the dialogs use) missing from a complete locale;
//  - an argument a message uses without a value in `samples`;
//  - a message that does not render with the samples, needs UCS-2 or takes more than one SMS.
// Each message is rendered with every combination of its arguments' sample values (the
// texts are substituted as the outbox does: typographic quotes and dashes become GSM-7) and
// the longest rendering is reported.
std::vector<Problem> CheckCatalog(const Catalog& catalog, const SampleArgs& samples,
                                  const std::vector<std::string>& used_keys = {});

// Catalog::Read(dir) and CheckCatalog with id.json's own samples: everything wrong with
// the locale directory at once.
std::vector<Problem> CheckLocales(const std::string& dir,
                                  const std::vector<std::string>& used_keys = {});

}  // namespace satupintu::locale
