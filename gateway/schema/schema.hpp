#pragma once
// The store's schema: every library's pieces of the versioned migrations (each library's
// schema.cpp holds the tables it owns), in one list ordered by version. What every
// storage::Store is opened with (StoreOptions::migrations).

#include <span>

#include "storage/migrations.hpp"

namespace satupintu::schema {

std::span<const storage::Migration> Migrations();

}  // namespace satupintu::schema
