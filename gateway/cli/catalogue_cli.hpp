#pragma once
// The administrator's catalogue commands: `satupintu catalogue list|add|rename|retire|restore`
// for programmes and complaint categories (tickets/catalogue.hpp). The command line is the
// host's operator, like `users add`: no role check; every change is written with its audit
// entry (actor cli:<login>, action catalogue.<kind>.<verb>) in one transaction, and a category
// change that would make the citizens' list longer than one SMS is refused and undone. Each
// returns the exit code (0 done, 1 failed or refused, 2 usage).

#include "cli/args.hpp"

namespace satupintu::cli {

int CatalogueList(const Args& flags);
int CatalogueAdd(const Args& flags);
int CatalogueRename(const Args& flags);
int CatalogueRetire(const Args& flags);
int CatalogueRestore(const Args& flags);

}  // namespace satupintu::cli
