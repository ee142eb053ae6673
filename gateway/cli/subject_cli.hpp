#pragma once
// The data-protection officer's commands for a citizen's request about their own data (UU
// 27/2022): `satupintu subject export|erase|restrict` (gateway/subject). The person is named by
// --nik or --phone; every command needs --purpose and --by (who handles the request) and is
// one transaction with its audit row (actor cli:<login>, action subject.<verb>, object the
// masked NIK or phone). Each returns the exit code (0 done, 1 failed, refused or nobody found,
// 2 usage).

#include "cli/args.hpp"

namespace satupintu::cli {

int SubjectExport(const Args& flags);
int SubjectErase(const Args& flags);
int SubjectRestrict(const Args& flags);

}  // namespace satupintu::cli
