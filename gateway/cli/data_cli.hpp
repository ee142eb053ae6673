#pragma once
// The data officer's commands (no network, no Beast): `satupintu regions import|search`,
// `satupintu registry import|status|lookup`, `satupintu audit verify|export`. Each takes what
// followed its words (cli/args.hpp) and returns the exit code (0 done, 1 failed, 2 usage or
// configuration error). Their flags and help are in the command table (cli.cpp).

#include "cli/args.hpp"

namespace satupintu::cli {

int RegionsImport(const Args& flags);
int RegionsSearch(const Args& flags);
int RegistryImport(const Args& flags);
int RegistryStatus(const Args& flags);
int RegistryLookup(const Args& flags);
int AuditVerify(const Args& flags);
int AuditExport(const Args& flags);

}  // namespace satupintu::cli
