#pragma once
// The back office on the public listener: the REST API (gateway/api) and the triage page.

#include <functional>
#include <memory>
#include <string>

#include "api/api.hpp"
#include "config/config.hpp"
#include "core/result.hpp"
#include "http/router.hpp"
#include "storage/store.hpp"

namespace satupintu::app {

// Mounts /api/v1 and /ui/ on `router` when web.enabled. Fails naming the key when the users
// key or the page's files cannot be read.
core::Status AddBackOffice(const config::Config& config, storage::Store* store,
                           std::shared_ptr<const regions::RegionIndex> regions,
                           const backoffice::CaseService* cases, http::Router& router);

}  // namespace satupintu::app
