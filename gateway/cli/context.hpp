#pragma once
// What the commands that read configuration or the store share: the configuration named by
// --config (the embedded default without it) and connections to the main store. Each prints
// its error and sets the exit code (1 failed, 2 configuration) when it returns nothing.

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cli/args.hpp"
#include "config/config.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::cli {

// The flag every command that reads configuration accepts.
inline constexpr Flag kConfigFlag{"config"};

struct Context {
  config::Config config;
};

// The configuration of --config, or the embedded default without it.
std::optional<config::Config> LoadConfig(const Args& flags, int* exit_code);

// LoadConfig, then opens (creating and migrating) the main store and closes it again: the
// commands use their own connections.
std::optional<Context> Prepare(const Args& flags, int* exit_code);

// A connection to the main store (busy timeout 5 s); read-only unless `write`.
core::Result<std::unique_ptr<storage::Db>> OpenStoreDb(const config::Config& config, bool write);

// Prepare, then a connection to the main store.
std::unique_ptr<storage::Db> OpenCommand(const Args& flags, bool write, std::optional<Context>* ctx,
                                         int* exit_code);

// The audit log's actor of a command: "cli:<login>" ($USER, "unknown" without it).
std::string CliActor();

// Runs `change` and its audit row (actor CliActor(), `action`, the object `change` returns,
// `purpose`, outcome "ok") in one transaction: nothing is written when either fails.
core::Status Audited(storage::Db& db, const std::string& action, const std::string& purpose,
                     const std::function<core::Result<std::string>()>& change);

// Writes the audit log's head out to its anchor file (a warning on stderr when it cannot).
void AnchorAudit(const config::Config& config, storage::Db& db);

// OpenCommand for writing, then `command` with the config and the connection, then the audit
// anchor (the command may have appended rows).
int WithStore(const Args& flags,
              const std::function<int(const config::Config&, storage::Db&)>& command);

}  // namespace satupintu::cli
