#pragma once
// The operator's backup commands (gateway/backup; deploy/README.md "Backup and restore"):
// `satupintu backup --to DIR` beside a running gateway, `satupintu restore --from DIR` with the
// gateway stopped.

#include "cli/args.hpp"

namespace satupintu::cli {

// A backup of the configured gateway's state into a new directory, audited in the live store
// once it is complete. 0 done, 1 failed, 2 usage.
int Backup(const Args& flags);

// Verifies a backup and puts its files back where the configuration names them (--replace to
// overwrite existing ones; --check only verifies). 0 done, 1 refused or failed, 2 usage.
int Restore(const Args& flags);

}  // namespace satupintu::cli
