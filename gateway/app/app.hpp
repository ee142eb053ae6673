#pragma once
// The one wiring place: builds the store, the journal and the HTTP server from a Config,
// mounts the routes, runs until SIGTERM/SIGINT and shuts down in order (stop accepting,
// drain requests, close the store).

#include <memory>
#include <string>

#include "config/config.hpp"
#include "core/result.hpp"

namespace satupintu::app {

struct RunOptions {
  std::string ports_file;  // when set, {"public":N,"private":M} is written here once ready
};

// Returns the process exit code: 0 after a clean shutdown, 1 when start-up failed (the
// reason is logged as event "app.start_failed").
int Serve(const config::Config& config, const RunOptions& options);

}  // namespace satupintu::app
