#include "api/static_files.hpp"

#include "api/gzip.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

namespace satupintu::api {
namespace {

namespace fs = std::filesystem;

struct File {
  std::string content_type;
  std::string body;
  std::string gzipped;  // empty when compressing does not pay
};
using Files = std::map<std::string, File, std::less<>>;

std::string TypeOf(const fs::path& p) {
  const std::string ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  return "";
}

// Every regular file of `dir` (not its subfolders) with a known type.
core::Status Load(const std::string& dir, Files* out) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file()) continue;
    const std::string type = TypeOf(entry.path());
    if (type.empty()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    if (!in.good() && !in.eof()) {
      return core::MakeError(core::ErrorCode::kUnavailable,
                             "web: cannot read " + entry.path().string());
    }
    File f{type, body.str(), {}};
    if (type != "image/png" && f.body.size() > 256) {
      std::string gz = Gzip(f.body);
      if (!gz.empty() && gz.size() < f.body.size()) f.gzipped = std::move(gz);
    }
    (*out)[entry.path().filename().string()] = std::move(f);
  }
  if (ec) {
    return core::MakeError(core::ErrorCode::kUnavailable,
                           "web: cannot read the folder " + dir + ": " + ec.message());
  }
  return {};
}

http::Response Serve(const File& f, const http::Request& req) {
  http::Response r;
  r.status = 200;
  r.content_type = f.content_type;
  // gzip unless the client refuses it: a phone on 3G gets a third of the bytes.
  if (!f.gzipped.empty() && AcceptsGzip(req.Header("accept-encoding"))) {
    r.body = f.gzipped;
    r.headers.emplace_back("Content-Encoding", "gzip");
  } else {
    r.body = f.body;
  }
  r.headers.emplace_back("Vary", "Accept-Encoding");
  // The page talks to its own origin only; nothing may frame it or guess types.
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'self'; img-src 'self' data:; style-src 'self';"
                         " frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Cache-Control", "no-cache");
  return r;
}

http::Response NotFound() {
  return http::ErrorResponse(core::MakeError(core::ErrorCode::kNotFound, "no such file"));
}

}  // namespace

core::Status AddStaticRoutes(http::Router& router, const std::string& web_dir,
                             const std::string& ui_locales_dir) {
  auto files = std::make_shared<Files>();
  auto locales = std::make_shared<Files>();
  if (auto s = Load(web_dir, files.get()); !s.ok()) return s;
  if (auto s = Load(ui_locales_dir, locales.get()); !s.ok()) return s;
  if (!files->contains("index.html")) {
    return core::MakeError(core::ErrorCode::kUnavailable, "web: no index.html in " + web_dir);
  }
  router.Add("GET", "/ui", [files](const http::Request& req, const http::Respond& respond) {
    if (!req.path.ends_with("/")) {
      http::Response r;
      r.status = 308;
      r.content_type = "text/plain; charset=utf-8";
      r.headers.emplace_back("Location", "/ui/");
      return respond(std::move(r));
    }
    respond(Serve(files->at("index.html"), req));
  });
  router.Add("GET", "/ui/{file}", [files](http::Request req, const http::Respond& respond) {
    auto it = files->find(req.params["file"]);
    respond(it == files->end() ? NotFound() : Serve(it->second, req));
  });
  router.Add("GET", "/ui/locales/{file}",
             [locales](http::Request req, const http::Respond& respond) {
               auto it = locales->find(req.params["file"]);
               respond(it == locales->end() ? NotFound() : Serve(it->second, req));
             });
  return {};
}

}  // namespace satupintu::api
