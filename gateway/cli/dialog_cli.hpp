#pragma once
// `satupintu dialogs check` and `satupintu chat` (no network, no Beast).

#include <string>
#include <vector>

#include "cli/args.hpp"
#include "locale/catalog.hpp"

namespace satupintu::regions {
class RegionIndex;
}

namespace satupintu::cli {

// The villages a gateway offers: the region tree and regions.home_regency ("" nationwide).
struct VillageSource {
  const regions::RegionIndex* index = nullptr;  // not owned
  std::string home_regency;
};

// Everything wrong with the dialogs and the locales at once, each problem naming file, step
// and key: the locale files (keys, ICU syntax, one SMS per message: CheckLocales), the dialog
// definitions (DialogSet::Read), keys the dialogs use that a complete locale lacks, each SMS
// prompt together with its numbered options longer than one SMS in any language (a list of
// villages found by name: every page of the longest list `villages` can give, as the engine
// pages it; without `villages` such a step is itself a problem), WhatsApp button and list
// titles over Meta's limits, and lexicon categories missing from the catalogue.
std::vector<locale::Problem> CheckDialogs(const std::string& locales_dir,
                                          const std::string& dialogs_dir,
                                          const VillageSource* villages);

// `satupintu dialogs check`: CheckDialogs on the configured folders; 1 when anything is wrong.
int DialogsCheck(const Args& flags);

// `satupintu chat`: --channel sms|whatsapp|telegram (sms without it), --address. Reads lines
// from stdin until end of input. On the configured store (its registry checks are real reads,
// audited there; tickets opened are real), or with --scratch on a throwaway store without a
// registry, removed at the end.
int Chat(const Args& flags);

}  // namespace satupintu::cli
