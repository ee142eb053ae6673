#pragma once
// The back office on the public listener: the REST API (gateway/api) and the triage page.

#include <functional>
#include <memory>
#include <string>

#include "api/api.hpp"
#include "config/config.hpp"
#include "core/result.hpp"
#include "dialog/definition.hpp"
#include "http/router.hpp"
#include "locale/catalog.hpp"
#include "storage/store.hpp"

namespace satupintu::app {

// Mounts /api/v1 and /ui/ on `router` when web.enabled. Fails naming the key when the users
// key or the page's files cannot be read.
// `dialogs` and `catalog` (which outlive the router) measure the citizens' list of complaint
// categories when an administrator changes it.
core::Status AddBackOffice(const config::Config& config, storage::Store* store,
                           std::shared_ptr<const regions::RegionIndex> regions,
                           const backoffice::CaseService* cases, const dialog::DialogSet* dialogs,
                           const locale::Catalog* catalog, http::Router& router,
                           std::function<void()> wake_broadcasts = {});

}  // namespace satupintu::app
