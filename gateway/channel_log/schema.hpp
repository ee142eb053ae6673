#pragma once
// The tables gateway/channel_log owns: its pieces of the store's versioned migrations
// (storage/migrations.hpp). gateway/schema puts every library's pieces in one ordered list.

#include <span>

#include "storage/migrations.hpp"

namespace satupintu::channel_log {

std::span<const storage::Migration> Schema();

}  // namespace satupintu::channel_log
