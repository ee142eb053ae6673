#include "cli/broadcast_cli.hpp"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "app/broadcast_runner.hpp"
#include "broadcast/broadcast_store.hpp"
#include "cli/context.hpp"
#include "core/clock.hpp"
#include "users/users.hpp"

namespace satupintu::cli {
namespace {

using json = nlohmann::json;
using storage::Db;

int Fail(const core::Error& e) {
  std::fprintf(stderr, "satupintu: broadcast: %s\n", e.message.c_str());
  return 1;
}

core::Result<std::string> ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::MakeError(core::ErrorCode::kInvalidArgument, "cannot read " + path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// One line of JSON (for jq and scripts).
void Print(const json& j) { std::printf("%s\n", j.dump().c_str()); }

int Run(const config::Config& config, Db& db, const Args& flags, const std::string& verb) {
  auto user = users::FindByUsername(db, flags.Get("as"));
  if (!user.ok()) return Fail(user.error());
  if (!user.value().has_value()) {
    std::fprintf(stderr, "satupintu: broadcast: no office user %s\n", flags.Get("as").c_str());
    return 1;
  }
  const tickets::Actor actor = users::ActorOf(*user.value());
  const broadcast::Policy policy = app::BroadcastPolicy(config);
  const std::int64_t now = core::NowMs();
  const std::string purpose = "broadcast as " + user.value()->username;
  std::int64_t id = 0;
  if (verb != "list" && verb != "create") {
    const std::string text = flags.Get("id");
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
        text.size() > 18) {
      std::fprintf(stderr, "satupintu: broadcast %s needs --id N\n", verb.c_str());
      return 2;
    }
    id = std::stoll(text);
  }
  if (verb == "list") {
    auto list = broadcast::List(db, actor, 200);
    if (!list.ok()) return Fail(list.error());
    json out = json::array();
    for (const auto& b : list.value()) {
      out.push_back({{"id", b.id},
                     {"title", b.title},
                     {"state", broadcast::StateName(b.state)},
                     {"region", b.region}});
    }
    Print(out);
    return 0;
  }
  if (verb == "show") {
    auto b = broadcast::Load(db, actor, id);
    if (!b.ok()) return Fail(b.error());
    json out = broadcast::BroadcastJson(b.value());
    if (b.value().state != broadcast::State::kDraft) {
      core::Status error;
      out["progress"] = broadcast::Progress(db, b.value(), policy, now, &error);
      if (!error.ok()) return Fail(error.error());
    }
    Print(out);
    return 0;
  }
  if (verb == "report") {
    auto b = broadcast::Load(db, actor, id);
    if (!b.ok()) return Fail(b.error());
    std::int64_t after = 0;
    std::int64_t rows = 0;
    std::printf("row,household,address,channel,kecamatan,state,reason,sms_parts,cost_rupiah\n");
    for (;;) {
      auto page = broadcast::Outcomes(db, b.value(), policy, flags.Get("state"), after, 5'000);
      if (!page.ok()) return Fail(page.error());
      for (const auto& o : page.value()) {
        std::printf("%lld,%s,%s,%s,%s,%s,%s,%d,%lld\n", static_cast<long long>(o.row),
                    o.household_kind.c_str(), o.address_masked.c_str(), o.channel.c_str(),
                    o.kecamatan.c_str(), o.state.c_str(), o.reason.c_str(), o.parts,
                    static_cast<long long>(o.cost));
      }
      rows += static_cast<std::int64_t>(page.value().size());
      if (page.value().size() < 5'000) break;
      after = page.value().back().row;
    }
    auto s = Audited(db, "broadcast.report", purpose, [&]() -> core::Result<std::string> {
      return "broadcast:" + std::to_string(id) + " rows=" + std::to_string(rows);
    });
    return s.ok() ? 0 : Fail(s.error());
  }
  json printed;
  auto s = Audited(db, "broadcast." + verb, purpose, [&]() -> core::Result<std::string> {
    core::Result<broadcast::Broadcast> r = core::MakeError(core::ErrorCode::kInternal, "");
    if (verb == "create") {
      auto text = ReadWhole(flags.Get("file"));
      if (!text.ok()) return text.error();
      auto body = json::parse(text.value(), nullptr, false);
      auto draft = broadcast::ParseDraft(body);
      if (!draft.ok()) return draft.error();
      r = broadcast::Create(db, actor, draft.value(), policy, now);
    } else if (verb == "upload") {
      auto text = ReadWhole(flags.Get("file"));
      if (!text.ok()) return text.error();
      auto report = broadcast::Upload(db, actor, id, text.value(), now);
      if (!report.ok()) return report.error();
      json rejected = json::array();
      for (const auto& x : report.value().rejected) {
        rejected.push_back({{"line", x.line}, {"reason", x.reason}});
      }
      printed = {{"accepted", report.value().accepted},
                 {"duplicates", report.value().duplicates},
                 {"rejected", rejected}};
      return "broadcast:" + std::to_string(id);
    } else if (verb == "preview") {
      auto preview = broadcast::Preview(db, actor, id, policy, now);
      if (!preview.ok()) return preview.error();
      printed = preview.value();
      return "broadcast:" + std::to_string(id);
    } else if (verb == "approve") {
      const std::string revision = flags.Get("revision");
      if (revision.empty() || revision.find_first_not_of("0123456789") != std::string::npos ||
          revision.size() > 9) {
        return core::MakeError(core::ErrorCode::kInvalidArgument,
                               "approve needs --revision N (the revision you previewed)");
      }
      r = broadcast::Approve(db, actor, id, std::stoi(revision), flags.Has("accept-blockers"), now);
    } else if (verb == "pause") {
      r = broadcast::Pause(db, actor, id, now);
    } else if (verb == "resume") {
      r = broadcast::Resume(db, actor, id, now);
    } else if (verb == "cancel") {
      r = broadcast::Cancel(db, actor, id, now);
    } else if (verb == "resend") {
      r = broadcast::ResendFailed(db, actor, id, now);
    }
    if (!r.ok()) return r.error();
    printed = broadcast::BroadcastJson(r.value());
    return "broadcast:" + std::to_string(r.value().id);
  });
  if (!s.ok()) return Fail(s.error());
  Print(printed);
  return 0;
}

}  // namespace

namespace {

int Verb(const Args& flags, const char* verb) {
  if (flags.Get("as").empty()) {
    std::fprintf(stderr, "satupintu: broadcast %s needs --as USER (the office user acting)\n",
                 verb);
    return 2;
  }
  return WithStore(
      flags, [&](const config::Config& config, Db& db) { return Run(config, db, flags, verb); });
}

}  // namespace

int BroadcastList(const Args& flags) { return Verb(flags, "list"); }
int BroadcastShow(const Args& flags) { return Verb(flags, "show"); }
int BroadcastCreate(const Args& flags) { return Verb(flags, "create"); }
int BroadcastUpload(const Args& flags) { return Verb(flags, "upload"); }
int BroadcastPreview(const Args& flags) { return Verb(flags, "preview"); }
int BroadcastApprove(const Args& flags) { return Verb(flags, "approve"); }
int BroadcastPause(const Args& flags) { return Verb(flags, "pause"); }
int BroadcastResume(const Args& flags) { return Verb(flags, "resume"); }
int BroadcastCancel(const Args& flags) { return Verb(flags, "cancel"); }
int BroadcastResend(const Args& flags) { return Verb(flags, "resend"); }
int BroadcastReport(const Args& flags) { return Verb(flags, "report"); }

}  // namespace satupintu::cli
