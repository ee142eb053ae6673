#pragma once
// The administrator's user commands (no network, no Beast): `satupintu users add|list|passwd|
// disable`. Output is for operators, in English; it never shows a password, a token, a phone
// number in clear or a hash.

#include <map>
#include <string>

#include "config/config.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::app {

extern const char* const kUsersUsage;

// users.key_file, or "users.key" beside the store file when it is empty.
std::string UsersKeyFile(const config::Config& config);

// `sub`: add, list, passwd or disable; `flags`: the --flags without their dashes
// ("password-stdin" present when given). `db`: the main store, migrated. Changes are written
// with an audit entry in one transaction. Returns the exit code (0 done, 1 failed, 2 usage).
int UsersCommand(const config::Config& config, storage::Db& db, const std::string& sub,
                 const std::map<std::string, std::string>& flags);

}  // namespace satupintu::app
