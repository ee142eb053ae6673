#pragma once
// The operator's retention command: `satupintu privacy purge [--dry-run]`.

#include "cli/args.hpp"

namespace satupintu::cli {

// One purge pass now with the config's retention (privacy/purge.hpp), audited as the operator;
// --dry-run only counts what is due. Prints the counts per class; 0 done, 1 failed.
int PrivacyPurge(const Args& flags);

}  // namespace satupintu::cli
