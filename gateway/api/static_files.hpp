#pragma once
// The triage page's static files (web/ui/) and its texts (locales/ui/), served at /ui/ on the
// public listener. Read once at start into memory (the whole page is under 150 KB): a request
// can only name a file that was there at start, so no path ever reaches the file system. Text
// files are gzipped once at start and sent compressed to every client that accepts gzip.

#include <string>

#include "core/result.hpp"
#include "http/router.hpp"

namespace satupintu::api {

// GET /ui (redirect to /ui/), /ui/ (index.html), /ui/{file}, /ui/locales/{file}. kUnavailable
// naming the folder when `web_dir` has no index.html or a file cannot be read.
core::Status AddStaticRoutes(http::Router& router, const std::string& web_dir,
                             const std::string& ui_locales_dir);

}  // namespace satupintu::api
