#include <sys/stat.h>

#include "cli/cli.hpp"

int main(int argc, char** argv) {
  // Everything satupintu writes - the store and its WAL, registry snapshots, keys, exports,
  // backups - may hold personal data or secrets: owner-only, whatever umask the operator's
  // shell or service manager gives (storage::Db::Open also tightens a store created before).
  ::umask(077);
  return satupintu::cli::Run(argc, argv);
}
