#pragma once
// The broadcast tables (migration 19): gateway/broadcast/broadcast_store.hpp reads and writes them.

#include <span>

#include "storage/migrations.hpp"

namespace satupintu::broadcast {

std::span<const storage::Migration> Schema();

}  // namespace satupintu::broadcast
