#pragma once
// Versioned schema migrations, applied in order at start, each in its own transaction.
// A database written by a newer binary (higher version than we know) is refused rather
// than guessed at.

#include <span>
#include <string_view>

#include "core/result.hpp"
#include "storage/sqlite.hpp"

namespace satupintu::storage {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// The project's migrations, in order. Append only: never edit a released one.
std::span<const Migration> Migrations();

// Applies what is missing; returns the resulting schema version.
core::Result<int> ApplyMigrations(Db& db, std::span<const Migration> migrations);

}  // namespace satupintu::storage
