#pragma once
// Versioned schema migrations, applied in order at start, each version in its own transaction.
// A version may have several pieces, one per library that owns tables (each library's
// schema.cpp); gateway/schema (`schema::Migrations()`) is the one ordered list of them all.
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

// Applies what is missing: `migrations` ordered by version, the pieces of one version
// consecutive (applied together, recorded once). Returns the resulting schema version.
core::Result<int> ApplyMigrations(Db& db, std::span<const Migration> migrations);

}  // namespace satupintu::storage
