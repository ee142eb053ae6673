#pragma once
// The tables gateway/privacy owns: its pieces of the store's versioned migrations
// (storage/migrations.hpp). gateway/schema puts every library's pieces in one ordered list.

#include <span>

#include "storage/migrations.hpp"

namespace satupintu::privacy {

std::span<const storage::Migration> Schema();

}  // namespace satupintu::privacy
