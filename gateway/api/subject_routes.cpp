// A citizen's requests about their own data (UU 27/2022), for the regency's administrators:
// POST /api/v1/subjects/export, /erase and /restrict with {"nik": ...} or {"phone": ...} and
// "purpose" (gateway/subject). Only an administrator may; a refusal is an audit row as well
// (action subject.<verb>, outcome "denied"), written in the request's transaction like the
// work itself. The object of every row is the masked NIK or phone, never the number.

#include "api/context.hpp"
#include "subject/subject.hpp"

namespace satupintu::api {
namespace {

using core::ErrorCode;
using core::MakeError;
using storage::Db;

enum class Verb { kExport, kErase, kRestrict };

const char* ActionOf(Verb verb, const json& body) {
  switch (verb) {
    case Verb::kExport:
      return "subject.export";
    case Verb::kErase:
      return "subject.erase";
    case Verb::kRestrict:
      return body.value("lift", false) ? "subject.lift" : "subject.restrict";
  }
  return "subject";
}

// Answered after the audit row ("not_found") is written: the caller learns no more than that.
http::Response NotHeld() {
  return http::ErrorResponse(MakeError(ErrorCode::kNotFound, "nothing is held about this person"));
}

bool BoolField(const json& body, const char* name) {
  auto it = body.find(name);
  return it != body.end() && it->is_boolean() && it->get<bool>();
}

// The work of one verb on the subject the body names; the audit rows are subject::'s.
core::Result<http::Response> Run(Verb verb, Db& db, const subject::Subject& s,
                                 const subject::Request& request, const json& b, std::int64_t now) {
  switch (verb) {
    case Verb::kExport: {
      auto doc = subject::Export(db, s, request, now);
      if (!doc.ok()) return doc.error();
      if (s.Empty()) return NotHeld();
      http::Response r;
      r.status = 200;
      r.headers.emplace_back("Content-Type", "application/json");
      r.body = std::move(doc).value();
      return r;
    }
    case Verb::kErase: {
      subject::EraseOptions options;
      options.force = BoolField(b, "force");
      options.legal_basis = StringField(b, "legal_basis");
      auto report = subject::Erase(db, s, request, options, now);
      if (!report.ok()) return report.error();
      const subject::EraseReport& e = report.value();
      if (s.Empty()) return NotHeld();
      if (e.refused) {
        return http::ErrorResponse(
            MakeError(ErrorCode::kConflict, std::to_string(e.open_tickets) +
                                                " ticket(s) still open: erasure held unless forced"
                                                " with a legal basis"));
      }
      return Json(200, {{"subject", s.key.reference},
                        {"tickets_anonymised", e.tickets_anonymised},
                        {"citizens_deleted", e.citizens_deleted},
                        {"citizens_kept", e.citizens_kept},
                        {"sent_messages_cleared", e.messages_forgotten}});
    }
    case Verb::kRestrict: {
      const bool lift = BoolField(b, "lift");
      auto n = lift ? subject::Lift(db, s, request, now)
                    : subject::Restrict(db, s, request, StringField(b, "reason"), now);
      if (!n.ok()) return n.error();
      if (s.citizen_ids.empty()) return NotHeld();
      return Json(200,
                  {{"subject", s.key.reference}, {"restricted", !lift}, {"changed", n.value()}});
    }
  }
  return MakeError(ErrorCode::kInternal, "unknown verb");
}

void Mount(http::Router& router, const std::shared_ptr<ApiContext>& api, const char* path,
           Verb verb) {
  router.Add("POST", path, [api, verb](const http::Request& req, http::Respond respond) {
    auto body = ParseBody(req);
    if (!body.ok()) return respond(http::ErrorResponse(body.error()));
    api->Authed(
        req, std::move(respond),
        [api, verb, b = body.value()](Db& db, const Caller& c,
                                      std::int64_t now) -> core::Result<http::Response> {
          subject::Request request;
          request.actor = "user:" + std::to_string(c.user.id);
          request.by = StringField(b, "by");
          if (request.by.empty()) request.by = c.user.username;
          request.purpose = StringField(b, "purpose");
          request.ip = c.ip;
          auto key = subject::MakeKey(StringField(b, "nik"), StringField(b, "phone"),
                                      api->deps().nik_hash);
          // Who may comes first: a refused caller learns nothing, not even whether the number
          // is valid.
          if (c.actor.role != tickets::Role::kAdmin) {
            const std::string object = key.ok() ? key.value().reference : "?";
            if (auto s =
                    Audit(db, c, now, ActionOf(verb, b), object,
                          request.purpose.empty() ? "subject request" : request.purpose, "denied");
                !s.ok()) {
              return s.error();
            }
            return http::ErrorResponse(MakeError(
                ErrorCode::kPermissionDenied, "only an administrator handles a citizen's request"));
          }
          if (!key.ok()) return http::ErrorResponse(key.error());
          if (auto s = subject::CheckRequest(request); !s.ok())
            return http::ErrorResponse(s.error());
          auto found = subject::Find(db, key.value());
          if (!found.ok()) return found.error();
          auto r = Run(verb, db, found.value(), request, b, now);
          if (!r.ok() && r.error().code == ErrorCode::kInvalidArgument) {
            return http::ErrorResponse(r.error());
          }
          return r;
        });
  });
}

}  // namespace

void MountSubjectRoutes(http::Router& router, const std::shared_ptr<ApiContext>& api) {
  Mount(router, api, "/api/v1/subjects/export", Verb::kExport);
  Mount(router, api, "/api/v1/subjects/erase", Verb::kErase);
  Mount(router, api, "/api/v1/subjects/restrict", Verb::kRestrict);
}

}  // namespace satupintu::api
