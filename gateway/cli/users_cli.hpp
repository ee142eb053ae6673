#pragma once
// The administrator's user commands (no network, no Beast): `satupintu users add|list|passwd|
// disable`. Output is for operators, in English; it never shows a password, a token, a phone
// number in clear or a hash. Changes are written with an audit entry in one transaction. Each
// returns the exit code (0 done, 1 failed, 2 usage); flags and help are in the command table.

#include "cli/args.hpp"

namespace satupintu::cli {

int UsersAdd(const Args& flags);
int UsersList(const Args& flags);
int UsersPasswd(const Args& flags);
int UsersDisable(const Args& flags);
int UsersAlerts(const Args& flags);

}  // namespace satupintu::cli
