// tickets_bench: the performance targets of issue 6 on a store of 1,000,000 tickets.
//
//   tickets_bench [--tickets 1000000] [--seed 1] [--cache-dir /tmp] [--samples 2000]
//                 [--cold-samples 200] [--actions 2000] [--report-runs 5] [--parts LIST]
//                 [--budget-s 25] [--keep]
//
// 1. Generates (or reuses, keyed by --tickets and --seed) a store through the real migrations
//    with the gateway's pragmas (WAL, synchronous=FULL): one regency (Kab. Tasikmalaya, 32.06,
//    the real villages of idn-area-data), a three-year backlog skewed towards busy villages,
//    mostly closed, thousands open at each stage, referrals, the history (ticket_event in time
//    order), survey answers, citizens with their addresses and channels, office users.
// 2. Copies it to a scratch file (the write parts change it) and measures on that copy:
//    queue   tickets::Queue (50 rows) for a facilitator, a kecamatan supervisor, the regency
//            manager, by filter, and the manager paging deep (after_id);
//    read    tickets::Get + ReadParticulars;
//    act     backoffice::CaseService::ActIn per transaction with COMMIT (synchronous=FULL)
//            against a bare one-row UPDATE + COMMIT in the same run; checkpoints on their own
//            thread (storage/checkpointer.hpp) as in the gateway;
//    sla     the SLA pass on 1 % of the tickets made due, without and with officer alerts;
//    reports TicketsPerWeek, SlaByKecamatan, Satisfaction, RecapByType for the regency (from
//            the daily counts of migration 14, and from the tickets as the same run's baseline)
//            and one kecamatan, over 12 weeks, one year and the whole history.
//    "warm": the same connection, file in the page cache. "cold": a new connection and the
//    file's pages dropped from the page cache (posix_fadvise DONTNEED) before each sample.
// Output is key=value words, one line per measurement.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <queue>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "backoffice/alerts.hpp"
#include "backoffice/case_service.hpp"
#include "conversation/conversations.hpp"
#include "conversation/services.hpp"
#include "dialog/definition.hpp"
#include "dialog/engine.hpp"
#include "locale/catalog.hpp"
#include "paths/paths.hpp"
#include "schema/schema.hpp"
#include "storage/checkpointer.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite.hpp"
#include "tickets/calendar.hpp"
#include "tickets/cases.hpp"
#include "tickets/reports.hpp"
#include "tickets/sla.hpp"
#include "understand/lexicon.hpp"

namespace {

using namespace satupintu;
using Clock = std::chrono::steady_clock;
using tickets::Status;

constexpr std::int64_t kNow = 1'795'399'200'000;  // 2026-11-23 09:00 WIB
constexpr std::int64_t kDay = 24LL * 3600 * 1000;
constexpr std::int64_t kSpan = 1096 * kDay;  // three years of tickets
constexpr int kUtcOffset = 7 * 60;
constexpr int kGeneratorVersion = 2;  // bump when the generated data changes
constexpr const char* kRegency = "32.06";
constexpr std::int64_t kManagerId = 2000;
constexpr std::int64_t kFrontOfficeId = 2001;
constexpr std::int64_t kBackOfficeId = 2002;

struct Options {
  std::int64_t tickets = 1'000'000;
  std::uint64_t seed = 1;
  std::string cache_dir = "/tmp";
  int samples = 2000;
  int cold_samples = 200;
  int actions = 2000;
  int report_runs = 5;
  double budget_s = 25;  // at most this long per measurement (fewer samples then)
  std::string parts = "queue,read,act,reports,sla";
  bool keep = false;
};

[[noreturn]] void Fail(const std::string& what, const core::Error& e) {
  std::fprintf(stderr, "%s: %s %s\n", what.c_str(), e.message.c_str(), e.detail.c_str());
  std::exit(1);
}
void Check(const std::string& what, const core::Status& s) {
  if (!s.ok()) Fail(what, s.error());
}
template <typename T>
T Must(const std::string& what, core::Result<T> r) {
  if (!r.ok()) Fail(what, r.error());
  return std::move(r).value();
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }
double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

void PrintStats(const std::string& what, const std::vector<double>& ms) {
  std::printf("%s n=%zu p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f\n", what.c_str(), ms.size(),
              Percentile(ms, 0.5), Percentile(ms, 0.95), Percentile(ms, 0.99), Percentile(ms, 1.0));
  std::fflush(stdout);
}

// Runs `sample` up to `n` times or until `budget_s` has passed; returns the times in ms.
std::vector<double> Sample(int n, double budget_s, const std::function<void(int)>& sample) {
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(n));
  const auto start = Clock::now();
  for (int i = 0; i < n && Seconds(Clock::now() - start) < budget_s; ++i) {
    const auto t0 = Clock::now();
    sample(i);
    out.push_back(Ms(Clock::now() - t0));
  }
  return out;
}

// Drops the store's pages from the kernel's page cache (clean pages only; no root needed).
void Evict(const std::string& path) {
  for (const std::string& p : {path, path + "-wal"}) {
    const int fd = ::open(p.c_str(), O_RDONLY);
    if (fd < 0) continue;
    (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    ::close(fd);
  }
}

// The gateway's connections (storage/store.cpp): the writer with WAL, synchronous=FULL,
// foreign keys and in-memory statement journals; the reader read-only with the defaults.
std::unique_ptr<storage::Db> OpenWriter(const std::string& path) {
  auto db = Must("open writer", storage::Db::Open(path, false));
  sqlite3_busy_timeout(db->raw(), 2000);
  if (Must("wal", db->QueryText("PRAGMA journal_mode=WAL")) != "wal") {
    std::fprintf(stderr, "no WAL\n");
    std::exit(1);
  }
  Check("pragma", db->Exec("PRAGMA synchronous=FULL"));
  Check("pragma", db->Exec("PRAGMA foreign_keys=ON"));
  Check("pragma", db->Exec("PRAGMA temp_store=MEMORY"));
  return db;
}
std::unique_ptr<storage::Db> OpenReader(const std::string& path) {
  auto db = Must("open reader", storage::Db::Open(path, true));
  sqlite3_busy_timeout(db->raw(), 2000);
  return db;
}

// ---------------------------------------------------------------------------------------
// The regency: villages of 32.06 with a skewed share of the tickets.

struct Village {
  std::string code;
  std::string kecamatan;
  int kecamatan_index = 0;
  double weight = 0;
  std::int64_t facilitator_id = 0;
};

struct Regency {
  std::vector<Village> villages;
  std::vector<std::string> kecamatan;
  std::discrete_distribution<int> pick;
  std::int64_t SupervisorId(int kecamatan_index) const { return 1000 + kecamatan_index; }
};

Regency LoadRegency(const std::string& csv, std::uint64_t seed) {
  Regency r;
  std::ifstream in(csv);
  if (!in) {
    std::fprintf(stderr, "cannot read %s (npm ci in deploy/regions)\n", csv.c_str());
    std::exit(1);
  }
  std::mt19937_64 rng(seed * 7919 + 17);
  std::lognormal_distribution<double> village_load(0.0, 0.8);
  std::lognormal_distribution<double> kecamatan_load(0.0, 0.4);
  std::map<std::string, double> kecamatan_weight;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.rfind(std::string(kRegency) + ".", 0) != 0) continue;
    Village v;
    v.code = line.substr(0, line.find(','));
    v.kecamatan = v.code.substr(0, 8);
    if (r.kecamatan.empty() || r.kecamatan.back() != v.kecamatan) {
      r.kecamatan.push_back(v.kecamatan);
      kecamatan_weight[v.kecamatan] = kecamatan_load(rng);
    }
    v.kecamatan_index = static_cast<int>(r.kecamatan.size()) - 1;
    v.weight = village_load(rng) * kecamatan_weight[v.kecamatan];
    v.facilitator_id = static_cast<std::int64_t>(r.villages.size()) + 1;
    r.villages.push_back(std::move(v));
  }
  std::vector<double> w;
  for (const auto& v : r.villages) w.push_back(v.weight);
  r.pick = std::discrete_distribution<int>(w.begin(), w.end());
  return r;
}

// ---------------------------------------------------------------------------------------
// Generation.

constexpr const char* kCategories[] = {"pkh",         "sembako", "pbi_jk",  "pip",  "rutilahu",
                                       "disabilitas", "lansia",  "bencana", "data", "lainnya"};
constexpr double kCategoryWeights[] = {24, 20, 14, 8, 7, 3, 5, 2, 10, 7};
constexpr const char* kProgrammes[] = {"pkh",    "sembako",  "pbi_jk",  "pip",     "rutilahu",
                                       "atensi", "jamkesda", "bencana", "adminduk"};
constexpr const char* kNames[] = {"Ade",   "Asep", "Cucu",  "Dede",  "Enok",
                                  "Euis",  "Iis",  "Ujang", "Yayat", "Neneng",
                                  "Entin", "Oman", "Aan",   "Lilis", "Dadang"};
constexpr const char* kSurnames[] = {"Suryana", "Rohman",    "Kurniasih", "Hidayat",  "Nurhasanah",
                                     "Sopian",  "Rahmawati", "Mulyana",   "Komariah", "Saepudin"};
constexpr const char* kDescriptions[] = {
    "Bantuan PKH tiga bulan terakhir belum cair, kartu sudah dicek di agen",
    "Beras sembako bulan ini tidak diterima, nama ada di daftar desa",
    "Kartu KIS tidak aktif saat berobat ke puskesmas",
    "Anak sudah terdaftar PIP tapi dana belum masuk rekening",
    "Rumah rusak berat setelah hujan, mohon didata untuk rutilahu",
    "Data keluarga di DTKS masih alamat lama, sudah pindah desa",
    "Orang tua lansia tinggal sendiri, belum pernah dapat bantuan",
    "Mohon diusulkan masuk DTKS, suami sudah tidak bekerja"};
constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// A unique six-character code per ticket index: an odd multiplier is a bijection mod 2^30.
std::string Code(const char* prefix, std::int64_t index, std::uint64_t seed) {
  std::uint64_t x = (static_cast<std::uint64_t>(index) * 0x2545F491ULL + seed * 0x9E3779B1ULL) &
                    ((1ULL << 30) - 1);
  std::string s = std::string(prefix) + "-";
  for (int i = 0; i < 6; ++i) s += kCrockford[(x >> (5 * (5 - i))) & 31];
  return s;
}

struct PendingEvent {
  std::int64_t at_ms;
  std::int64_t ticket_id;
  std::int64_t actor_id;
  std::string action, from, to, detail;
  bool operator>(const PendingEvent& o) const {
    return at_ms != o.at_ms ? at_ms > o.at_ms : ticket_id > o.ticket_id;
  }
};

struct GenStats {
  std::int64_t tickets = 0, events = 0, referrals = 0, surveys = 0, citizens = 0;
  std::map<std::string, std::int64_t> by_status;
};

void Generate(const std::string& path, const Options& opt, const Regency& regency,
              const tickets::WorkCalendar& calendar) {
  const auto t0 = Clock::now();
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  auto db = OpenWriter(path);
  Must("migrate", storage::ApplyMigrations(*db, schema::Migrations()));
  // Generation only: a large page cache keeps the random-order indexes (code, village) in
  // memory while a transaction fills them.
  Check("cache", db->Exec("PRAGMA cache_size=-1000000"));
  std::mt19937_64 rng(opt.seed);
  std::uniform_real_distribution<double> u01(0, 1);
  auto chance = [&](double p) { return u01(rng) < p; };
  auto between = [&](std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(u01(rng) * static_cast<double>(hi - lo));
  };
  std::discrete_distribution<int> category(std::begin(kCategoryWeights),
                                           std::end(kCategoryWeights));
  const tickets::SlaTargets targets;
  auto pick = regency.pick;
  GenStats st;

  // Office users: a facilitator per village, a supervisor per kecamatan, the secretariat.
  Check("begin", db->Exec("BEGIN"));
  auto user =
      Must("prepare", db->Prepare("INSERT INTO app_user (id, username, display_name, role, region,"
                                  " created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  auto add_user = [&](std::int64_t id, const std::string& role, const std::string& region) {
    Check("user", user->Bind(1, id)
                      .Bind(2, role + std::to_string(id))
                      .Bind(3, role)
                      .Bind(4, role)
                      .Bind(5, region)
                      .Bind(6, kNow - kSpan)
                      .Bind(7, kNow - kSpan)
                      .Run());
  };
  for (const auto& v : regency.villages) add_user(v.facilitator_id, "facilitator", v.code);
  for (std::size_t k = 0; k < regency.kecamatan.size(); ++k) {
    add_user(regency.SupervisorId(static_cast<int>(k)), "supervisor", regency.kecamatan[k]);
  }
  add_user(kManagerId, "manager", kRegency);
  add_user(kFrontOfficeId, "front_office", kRegency);
  add_user(kBackOfficeId, "back_office", kRegency);

  // Citizens: about 0.7 per ticket (some come back), each on one channel.
  const std::int64_t citizens = std::max<std::int64_t>(1, opt.tickets * 7 / 10);
  auto citizen = Must("prepare", db->Prepare("INSERT INTO citizen (id, created_at_ms, language)"
                                             " VALUES (?, ?, ?)"));
  auto address = Must("prepare", db->Prepare("INSERT INTO citizen_address (address, citizen_id,"
                                             " kind, created_at_ms) VALUES (?, ?, ?, ?)"));
  auto address_channel =
      Must("prepare", db->Prepare("INSERT INTO address_channel (address, channel,"
                                  " last_inbound_at_ms) VALUES (?, ?, ?)"));
  auto channel_of = [](std::int64_t id) -> const char* {
    const auto k = id % 10;
    return k < 5 ? "whatsapp:wa-main" : k < 8 ? "kannel:dinsos" : "telegram:bot";
  };
  for (std::int64_t id = 1; id <= citizens; ++id) {
    const std::int64_t created = kNow - kSpan + between(0, kSpan);
    const double l = u01(rng);
    citizen->Bind(1, id).Bind(2, created);
    if (l < 0.05) {
      citizen->BindNull(3);
    } else {
      citizen->Bind(3, std::string_view(l < 0.75 ? "id" : "su"));
    }
    Check("citizen", citizen->Run());
    const std::string phone = "628" + std::to_string(1'100'000'000 + id);
    Check("address", address->Bind(1, phone).Bind(2, id).Bind(3, "phone").Bind(4, created).Run());
    const std::string channel = channel_of(id);
    const std::int64_t seen = kNow - between(0, 400 * kDay);
    if (channel == "telegram:bot") {
      const std::string tg = "tg:" + std::to_string(5'000'000'000 + id);
      Check("address", address->Bind(1, tg).Bind(2, id).Bind(3, "telegram").Bind(4, created).Run());
      Check("channel", address_channel->Bind(1, tg).Bind(2, channel).Bind(3, seen).Run());
    } else {
      Check("channel", address_channel->Bind(1, phone).Bind(2, channel).Bind(3, seen).Run());
    }
    ++st.citizens;
  }
  Check("commit", db->Exec("COMMIT"));

  auto ticket = Must(
      "prepare",
      db->Prepare("INSERT INTO ticket (id, code, type, status, citizen_id, channel, category,"
                  " nik_hash, nik_masked, kk_hash, kk_masked, name, birth_date, village_code,"
                  " household, description, created_at_ms, updated_at_ms, level, claimed_by,"
                  " close_reason, stage_at_ms, sla, sla_check_ms, priority, registry_snapshot,"
                  " sla_breaches) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
                  " ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)"));
  auto referral = Must("prepare", db->Prepare("INSERT INTO referral (ticket_id, programme, status,"
                                              " updated_at_ms) VALUES (?, ?, ?, ?)"));
  auto survey = Must("prepare", db->Prepare("INSERT INTO survey_response (ticket_id, rating,"
                                            " answered_at_ms) VALUES (?, ?, ?)"));
  // History rows go in in time order, as the gateway writes them.
  std::priority_queue<PendingEvent, std::vector<PendingEvent>, std::greater<>> pending;
  auto flush_events = [&](std::int64_t until_ms) {
    while (!pending.empty() && pending.top().at_ms < until_ms) {
      const auto& e = pending.top();
      Check("event", tickets::AppendEvent(*db, e.ticket_id, e.at_ms, e.actor_id, e.action, e.from,
                                          e.to, e.detail));
      ++st.events;
      pending.pop();
    }
  };

  const std::int64_t batch = 50'000;
  Check("begin", db->Exec("BEGIN"));
  for (std::int64_t i = 0; i < opt.tickets; ++i) {
    const std::int64_t id = i + 1;
    // Volume grows over the three years (density 0.5 + t): inverse CDF of evenly spaced points.
    const double q = (static_cast<double>(i) + u01(rng)) / static_cast<double>(opt.tickets);
    const double x = -0.5 + std::sqrt(0.25 + 2 * q);  // solves (x + x^2) / 2 = q
    const std::int64_t created =
        kNow - kSpan + static_cast<std::int64_t>(std::min(x, 1.0) * static_cast<double>(kSpan));
    const std::int64_t age = kNow - created;
    const Village& v = regency.villages[static_cast<std::size_t>(pick(rng))];
    const std::int64_t supervisor = regency.SupervisorId(v.kecamatan_index);
    const double type_draw = u01(rng);
    const tickets::Type type = type_draw < 0.75   ? tickets::Type::kComplaint
                               : type_draw < 0.95 ? tickets::Type::kRegistration
                                                  : tickets::Type::kHuman;
    const std::string cat =
        type == tickets::Type::kComplaint ? kCategories[category(rng)] : std::string();
    const std::int64_t citizen_id =
        1 + static_cast<std::int64_t>(u01(rng) * static_cast<double>(citizens));
    const std::string channel = channel_of(citizen_id);

    // Where the ticket stands now: old tickets are closed but a few stuck ones; young ones
    // spread over the stages.
    const double p_open = 0.9 * std::exp(-static_cast<double>(age) / (20.0 * kDay)) + 0.004;
    Status status = Status::kClosed;
    if (chance(p_open)) {
      const double d = u01(rng);
      const double days = static_cast<double>(age) / kDay;
      const std::vector<double> w = days < 2    ? std::vector<double>{60, 30, 10, 0, 0, 0}
                                    : days < 7  ? std::vector<double>{20, 25, 25, 15, 15, 0}
                                    : days < 30 ? std::vector<double>{5, 10, 15, 15, 40, 15}
                                                : std::vector<double>{10, 10, 10, 10, 40, 20};
      double acc = 0, total = 0;
      for (double y : w) total += y;
      int k = 0;
      for (; k < 5; ++k) {
        acc += w[static_cast<std::size_t>(k)] / total;
        if (d < acc) break;
      }
      status = static_cast<Status>(k);
    }
    // The path it took (or is taking): solved at the village, stopped after review, referred.
    const double path_draw = u01(rng);
    const bool closed = status == Status::kClosed;
    const bool referred_path =
        status == Status::kReferred || status == Status::kResolved || (closed && path_draw < 0.30);
    const bool reviewed_path =
        referred_path || (status >= Status::kForwarded && !closed) || (closed && path_draw < 0.45);
    std::string close_reason;
    if (status == Status::kClosed) {
      const double r = u01(rng);
      if (referred_path) {
        close_reason = "solved";
      } else if (reviewed_path) {
        close_reason = r < 0.7 ? "not_eligible" : "solved";
      } else {
        close_reason = r < 0.75   ? "solved"
                       : r < 0.85 ? "duplicate"
                       : r < 0.93 ? "withdrawn"
                                  : "unreachable";
      }
    }
    // The history, step by step from the opening; each step a little later.
    std::int64_t at = created;
    const std::int64_t horizon = status == Status::kClosed ? std::min(age, 75 * kDay) : age;
    const int steps = 10;
    auto next = [&]() {
      at = std::min(kNow - 1, at + between(horizon / (steps * 4) + 1, horizon / steps + 2));
      return at;
    };
    std::vector<PendingEvent> history;
    auto add = [&](std::int64_t actor, const char* action, Status from, Status to,
                   std::string detail = "{}") {
      history.push_back({history.empty() ? created : next(), id, actor, action,
                         history.empty() ? "" : tickets::StatusName(from), tickets::StatusName(to),
                         std::move(detail)});
    };
    add(0, "open", Status::kReceived, Status::kReceived);
    std::int64_t claimed = 0;
    const bool claims = chance(0.6);
    int breaches = 0;
    std::int64_t forwarded_at = 0;
    if (status != Status::kReceived || chance(0.5)) {
      if (claims) {
        claimed = v.facilitator_id;
        add(claimed, "claim", Status::kReceived, Status::kReceived);
      }
    }
    std::vector<std::pair<std::string, std::string>> referrals;
    if (status != Status::kReceived &&
        !(status == Status::kClosed && !reviewed_path && close_reason != "solved" && chance(0.5))) {
      add(claimed != 0 ? claimed : supervisor, "verify", Status::kReceived, Status::kVerified);
      if (chance(0.1)) {
        ++breaches;
        add(0, "sla_breach", Status::kVerified, Status::kVerified);
      }
    }
    if (reviewed_path) {
      add(supervisor, "forward", Status::kVerified, Status::kForwarded);
      forwarded_at = at;
      if (status != Status::kForwarded) {
        add(kFrontOfficeId, "review", Status::kForwarded, Status::kReviewed);
      }
    }
    if (referred_path) {
      const std::string first =
          std::find(std::begin(kProgrammes), std::end(kProgrammes), cat) != std::end(kProgrammes)
              ? cat
              : kProgrammes[static_cast<std::size_t>(u01(rng) * 5)];
      referrals.push_back({first, "pending"});
      if (chance(0.25)) {
        const std::string second = kProgrammes[static_cast<std::size_t>(u01(rng) * 9)];
        if (second != first) referrals.push_back({second, "pending"});
      }
      std::string detail = "{\"programmes\":[";
      for (std::size_t k = 0; k < referrals.size(); ++k) {
        detail += (k ? ",\"" : "\"") + referrals[k].first + "\"";
      }
      add(kBackOfficeId, "refer", Status::kReviewed, Status::kReferred, detail + "]}");
      const bool answered_all = status != Status::kReferred || chance(0.3);
      for (auto& r : referrals) {
        if (!answered_all && chance(0.6)) continue;
        r.second = chance(0.65) ? "accepted" : "rejected";
        add(kBackOfficeId, "answer", Status::kReferred, Status::kReferred,
            "{\"programme\":\"" + r.first + "\",\"answer\":\"" + r.second + "\"}");
      }
      if (status == Status::kResolved || status == Status::kClosed) {
        add(kBackOfficeId, "resolve", Status::kReferred, Status::kResolved);
      }
    }
    if (status == Status::kClosed) {
      const Status from = referred_path ? Status::kResolved
                          : reviewed_path
                              ? Status::kReviewed
                              : (history.size() > 1 ? Status::kVerified : Status::kReceived);
      add(referred_path ? v.facilitator_id : (reviewed_path ? kBackOfficeId : supervisor), "close",
          from, Status::kClosed, "{\"reason\":\"" + close_reason + "\"}");
    }
    // The SLA clock of an open ticket, as the SLA pass leaves it: breached ones escalated.
    std::string level = reviewed_path ? "regency" : "village";
    std::string sla = "on_time";
    std::int64_t stage_at = created;
    std::int64_t sla_check = tickets::kSlaNeverCheck;
    if (status != Status::kClosed && status != Status::kResolved) {
      if (tickets::StageOf(status) == tickets::SlaStage::kFollowUp) stage_at = forwarded_at;
      const auto clock = tickets::Evaluate(status, stage_at, kNow, calendar, targets);
      if (clock.state == tickets::SlaState::kBreached) {
        sla = "breached";
        ++breaches;
        history.push_back({std::max(at, std::min(kNow - 1, clock.due_at_ms)), id, 0, "sla_breach",
                           tickets::StatusName(status), tickets::StatusName(status), "{}"});
        if (level == "village") level = "kecamatan";
        if (level == "kecamatan" && chance(0.3)) level = "regency";
        if (level != "village") claimed = 0;
      } else {
        sla = tickets::SlaStateName(clock.state);
        sla_check = clock.state == tickets::SlaState::kWarning ? clock.due_at_ms : clock.warn_at_ms;
      }
    } else if (status == Status::kClosed) {
      claimed = 0;
    }
    if (status == Status::kClosed && chance(0.12)) ++breaches;  // missed the 60-day target
    const double pr = u01(rng);
    const char* priority = cat == "lansia"        ? "elderly"
                           : cat == "disabilitas" ? "disability"
                           : pr < 0.03            ? "elderly"
                           : pr < 0.035           ? "pregnant"
                                                  : "";
    const char* prefix = tickets::CodePrefix(type);
    const std::string name = std::string(kNames[id % 15]) + " " + kSurnames[(id / 15) % 10];
    const std::string nik_tail = std::to_string(1000 + id % 9000);
    const std::int64_t updated = history.back().at_ms;
    ticket->Bind(1, id)
        .Bind(2, Code(prefix, i, opt.seed))
        .Bind(3, std::string_view(tickets::TypeName(type)))
        .Bind(4, std::string_view(tickets::StatusName(status)))
        .Bind(5, citizen_id)
        .Bind(6, channel)
        .Bind(7, cat)
        .Bind(8, std::string(64, "0123456789abcdef"[id % 16]))
        .Bind(9, "3206********" + nik_tail)
        .Bind(10, std::string(64, "0123456789abcdef"[(id / 16) % 16]))
        .Bind(11, "3206********" + std::to_string(1000 + (id * 7) % 9000))
        .Bind(12, name)
        .Bind(13, std::to_string(1940 + id % 65) + "-0" + std::to_string(1 + id % 9) + "-1" +
                      std::to_string(id % 10))
        .Bind(14, v.code)
        .Bind(15, std::int64_t{1 + id % 7})
        .Bind(16, kDescriptions[id % 8])
        .Bind(17, created)
        .Bind(18, updated)
        .Bind(19, level)
        .Bind(20, claimed)
        .Bind(21, close_reason)
        .Bind(22, stage_at)
        .Bind(23, sla)
        .Bind(24, sla_check)
        .Bind(25, priority)
        .Bind(26, "{\"found\":true,\"status\":\"aktif\",\"desil\":" + std::to_string(1 + id % 4) +
                      ",\"programmes\":[\"pkh\"],\"snapshot_date\":\"2026-06-30\"}")
        .Bind(27, std::int64_t{breaches});
    Check("ticket", ticket->Run());
    for (const auto& r : referrals) {
      Check("referral",
            referral->Bind(1, id).Bind(2, r.first).Bind(3, r.second).Bind(4, updated).Run());
      ++st.referrals;
    }
    if (status == Status::kClosed && close_reason == "solved" && chance(0.3)) {
      const double r = u01(rng);
      const int rating = r < 0.03 ? 1 : r < 0.08 ? 2 : r < 0.23 ? 3 : r < 0.68 ? 4 : 5;
      Check("survey", survey->Bind(1, id)
                          .Bind(2, std::int64_t{rating})
                          .Bind(3, std::min(kNow - 1, updated + between(600'000, 2 * kDay)))
                          .Run());
      ++st.surveys;
    }
    for (auto& e : history) pending.push(std::move(e));
    flush_events(created);
    ++st.tickets;
    ++st.by_status[tickets::StatusName(status)];
    if (id % batch == 0) {
      Check("commit", db->Exec("COMMIT"));
      Check("begin", db->Exec("BEGIN"));
      std::fprintf(stderr, "generated %lld tickets, %.0f s\n", static_cast<long long>(id),
                   Seconds(Clock::now() - t0));
    }
  }
  flush_events(INT64_MAX);
  // A backlog whose changes the gateway's alert passes have long taken (migration 17's
  // triggers noted every generated ticket as new).
  Check("alerts", db->Exec("DELETE FROM alert_event"));
  Check("commit", db->Exec("COMMIT"));
  Check("analyze", db->Exec("PRAGMA wal_checkpoint(TRUNCATE)"));
  db.reset();
  std::printf(
      "generate seconds=%.1f tickets=%lld events=%lld referrals=%lld surveys=%lld"
      " citizens=%lld",
      Seconds(Clock::now() - t0), static_cast<long long>(st.tickets),
      static_cast<long long>(st.events), static_cast<long long>(st.referrals),
      static_cast<long long>(st.surveys), static_cast<long long>(st.citizens));
  for (const auto& [k, n] : st.by_status)
    std::printf(" %s=%lld", k.c_str(), static_cast<long long>(n));
  std::printf("\n");
  std::fflush(stdout);
}

// ---------------------------------------------------------------------------------------
// Measurements on the scratch copy.

struct Bench {
  Options opt;
  std::string path;
  const Regency* regency = nullptr;
  std::unique_ptr<storage::Db> reader;
  std::string busy_village;
  std::int64_t busy_facilitator = 0;
  std::string busy_kecamatan;
  std::int64_t busy_supervisor = 0;
  std::int64_t max_id = 0;

  void Reopen() { reader = OpenReader(path); }
  bool Wants(const std::string& part) const {
    return ("," + opt.parts + ",").find("," + part + ",") != std::string::npos;
  }
  // Warm: one call first, then the samples on the same connection. Cold: each sample on a new
  // connection with the file dropped from the page cache.
  void WarmAndCold(const std::string& what, const std::function<void(int)>& run) {
    run(-1);
    PrintStats(what + " cache=warm", Sample(opt.samples, opt.budget_s, run));
    std::vector<double> cold;
    const auto start = Clock::now();
    for (int i = 0; i < opt.cold_samples && Seconds(Clock::now() - start) < opt.budget_s; ++i) {
      Evict(path);
      Reopen();
      const auto t0 = Clock::now();
      run(i);
      cold.push_back(Ms(Clock::now() - t0));
    }
    PrintStats(what + " cache=cold", cold);
  }
};

std::int64_t QueryInt(storage::Db& db, const std::string& sql) {
  return Must(sql, db.QueryInt(sql));
}

void FindBusy(Bench& b) {
  // The village and the kecamatan with the most open tickets.
  auto q = Must(
      "busy", b.reader->Prepare("SELECT village_code, COUNT(*) FROM ticket WHERE status <> 'closed'"
                                " GROUP BY village_code ORDER BY 2 DESC LIMIT 1"));
  if (q->Step() == SQLITE_ROW) b.busy_village = q->ColumnText(0);
  q->Reset();
  auto k = Must("busy",
                b.reader->Prepare("SELECT substr(village_code, 1, 8), COUNT(*) FROM ticket"
                                  " WHERE status <> 'closed' GROUP BY 1 ORDER BY 2 DESC LIMIT 1"));
  if (k->Step() == SQLITE_ROW) b.busy_kecamatan = k->ColumnText(0);
  k->Reset();
  for (const auto& v : b.regency->villages) {
    if (v.code == b.busy_village) b.busy_facilitator = v.facilitator_id;
    if (v.kecamatan == b.busy_kecamatan)
      b.busy_supervisor = b.regency->SupervisorId(v.kecamatan_index);
  }
  b.max_id = QueryInt(*b.reader, "SELECT MAX(id) FROM ticket");
  const auto count = [&](const std::string& region) {
    return QueryInt(*b.reader, "SELECT COUNT(*) FROM ticket WHERE village_code >= '" + region +
                                   "' AND village_code < '" + region + "/'");
  };
  const auto open = [&](const std::string& region) {
    return QueryInt(*b.reader, "SELECT COUNT(*) FROM ticket WHERE village_code >= '" + region +
                                   "' AND village_code < '" + region + "/' AND status <> 'closed'");
  };
  std::printf(
      "busy village=%s tickets=%lld open=%lld kecamatan=%s tickets=%lld open=%lld"
      " regency_open=%lld\n",
      b.busy_village.c_str(), static_cast<long long>(count(b.busy_village)),
      static_cast<long long>(open(b.busy_village)), b.busy_kecamatan.c_str(),
      static_cast<long long>(count(b.busy_kecamatan)),
      static_cast<long long>(open(b.busy_kecamatan)), static_cast<long long>(open(kRegency)));
}

void QueueBench(Bench& b) {
  struct Who {
    const char* name;
    tickets::Actor actor;
  };
  const Who who[] = {
      {"facilitator", {b.busy_facilitator, tickets::Role::kFacilitator, b.busy_village}},
      {"supervisor", {b.busy_supervisor, tickets::Role::kSupervisor, b.busy_kecamatan}},
      {"manager", {kManagerId, tickets::Role::kManager, kRegency}},
  };
  const char* filters[] = {"default", "overdue", "unclaimed", "mine"};
  for (const auto& w : who) {
    for (const char* f : filters) {
      tickets::QueueFilter filter;
      const std::string name = f;
      filter.overdue = name == "overdue";
      filter.unclaimed = name == "unclaimed";
      filter.mine = name == "mine";
      std::size_t rows = 0;
      b.WarmAndCold(std::string("queue actor=") + w.name + " filter=" + f, [&](int) {
        rows = Must("queue", tickets::Queue(*b.reader, w.actor, filter)).size();
      });
      std::printf("queue actor=%s filter=%s rows=%zu\n", w.name, f, rows);
    }
  }
  // The manager paging deep into the open tickets: a random page of the id range.
  std::mt19937_64 rng(b.opt.seed + 5);
  std::uniform_int_distribution<std::int64_t> after(0, b.max_id);
  tickets::QueueFilter deep;
  b.WarmAndCold("queue actor=manager filter=default paging=random_after_id", [&](int) {
    deep.after_id = after(rng);
    (void)Must("queue", tickets::Queue(*b.reader, who[2].actor, deep));
  });
}

void ReadBench(Bench& b) {
  std::mt19937_64 rng(b.opt.seed + 7);
  std::uniform_int_distribution<std::int64_t> id(1, b.max_id);
  std::vector<std::string> codes;
  auto q = Must("codes", b.reader->Prepare("SELECT code FROM ticket WHERE id = ?"));
  for (int i = 0; i < b.opt.samples + b.opt.cold_samples + 1; ++i) {
    q->Bind(1, id(rng));
    if (q->Step() == SQLITE_ROW) codes.push_back(q->ColumnText(0));
    q->Reset();
  }
  const tickets::Actor manager{kManagerId, tickets::Role::kManager, kRegency};
  std::size_t next = 0;
  b.WarmAndCold("read get+particulars actor=manager", [&](int) {
    const auto c = Must("get", tickets::Get(*b.reader, codes[next++ % codes.size()], manager));
    (void)Must("particulars", tickets::ReadParticulars(*b.reader, c));
  });
}

struct Step {
  std::string code;
  tickets::Request request;
  tickets::Actor actor;
};

// The SLA pass with and without officer alerts, in one run: 1 % of the tickets (open ones)
// made due and past their deadline, then the gateway's passes (tickets::RunSlaPass, 500 a
// pass, as app/sla_runner) until none is due; with alerts, each pass is followed by
// Alerts::PassIn as the dispatcher runs it (64 noted changes and 64 officers a pass) until
// everything noted is expanded and every due officer has had their one message. Every office
// user has an SMS route. Each variant runs in one transaction that is rolled back, so both
// start from the same store.
void SlaBench(Bench& b) {
  const std::string src = ::satupintu::testing::SourceDir();
  const auto catalog = Must("locales", locale::Catalog::Load(src + "/locales"));
  auto writer = OpenWriter(b.path);
  const std::string key(32, 'k');
  const backoffice::AlertRoutes routes(key);
  Check("begin", writer->Exec("BEGIN IMMEDIATE"));
  std::vector<std::int64_t> users;
  {
    auto q = Must("users", writer->Prepare("SELECT id FROM app_user"));
    while (q->Step() == SQLITE_ROW) users.push_back(q->ColumnInt(0));
    q->Reset();
  }
  for (std::size_t i = 0; i < users.size(); ++i) {
    Check("route", routes.Set(*writer, users[i], {"", "628129" + std::to_string(1000000 + i)}));
  }
  const std::int64_t due = std::max<std::int64_t>(1, b.opt.tickets / 100);
  Check("due", writer->Run("UPDATE ticket SET sla = 'on_time', sla_check_ms = 0, stage_at_ms = " +
                           std::to_string(kNow - 200 * kDay) +
                           " WHERE id IN (SELECT id FROM ticket WHERE status NOT IN ('resolved',"
                           " 'closed') ORDER BY (id * 7919) % 1000003 LIMIT " +
                           std::to_string(due) + ")"));
  Check("commit", writer->Exec("COMMIT"));
  const auto calendar = Must("calendar", tickets::WorkCalendar::FromDates({}, kUtcOffset));
  const tickets::SlaTargets targets;
  backoffice::AlertOptions options;
  options.quiet_from_minute = options.quiet_until_minute = 0;
  options.sms_channel = "kannel:dinsos";
  options.channels = {"kannel:dinsos"};
  options.users_key = key;
  const backoffice::Alerts alerts(&catalog, options);
  for (const bool with_alerts : {false, true}) {
    Check("begin", writer->Exec("BEGIN IMMEDIATE"));
    const auto t0 = Clock::now();
    int passes = 0;
    int warned = 0;
    int breached = 0;
    int escalated = 0;
    backoffice::AlertStats stats;
    int messages = 0;
    double sla_s = 0;
    for (;;) {
      const auto p0 = Clock::now();
      auto pass = Must("sla", tickets::RunSlaPass(*writer, calendar, targets, kNow, 500));
      sla_s += Seconds(Clock::now() - p0);
      ++passes;
      warned += pass.warned;
      breached += pass.breached;
      escalated += pass.escalated;
      const bool sla_done = pass.warned + pass.breached == 0;
      if (!with_alerts) {
        if (sla_done) break;
        continue;
      }
      // The dispatcher's passes between two SLA passes (a minute apart in the gateway).
      for (;;) {
        const int before = stats.alerts + stats.digests;
        messages +=
            static_cast<int>(Must("alerts", alerts.PassIn(*writer, kNow, 64, &stats)).size());
        if (stats.alerts + stats.digests == before &&
            Must("noted", writer->QueryInt("SELECT COUNT(*) FROM alert_event")) == 0) {
          break;
        }
      }
      if (sla_done) break;
    }
    const double total = Seconds(Clock::now() - t0);
    const auto noted_left = Must("noted", writer->QueryInt("SELECT COUNT(*) FROM alert_event"));
    Check("rollback", writer->Exec("ROLLBACK"));
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    std::printf(
        "sla alerts=%d due=%lld passes=%d warned=%d breached=%d escalated=%d total_s=%.2f"
        " sla_s=%.2f officer_alerts=%d messages=%d noted_left=%lld rss_peak_kb=%ld\n",
        with_alerts ? 1 : 0, static_cast<long long>(due), passes, warned, breached, escalated,
        total, sla_s, stats.alerts, messages, static_cast<long long>(noted_left), usage.ru_maxrss);
    std::fflush(stdout);
  }
}

void ActBench(Bench& b) {
  const std::string src = ::satupintu::testing::SourceDir();
  const auto catalog = Must("locales", locale::Catalog::Load(src + "/locales"));
  const auto lexicon = Must("lexicon", understand::Lexicon::Load(src + "/locales/lexicon"));
  const auto dialogs = Must("dialogs", dialog::DialogSet::Load(src + "/dialogs", catalog,
                                                               conversation::ServiceOutcomes()));
  const dialog::Engine engine(dialogs, catalog, lexicon);
  conversation::Conversations conversations(engine, catalog, conversation::Services{});
  backoffice::NotifyOptions notify;
  notify.whatsapp["whatsapp:wa-main"].sms_fallback = "kannel:dinsos";
  const backoffice::CaseService service(&catalog, &conversations, notify);

  auto writer = OpenWriter(b.path);
  // As in the gateway's store: checkpoints run on their own thread, not inside a commit.
  auto checkpointer = Must("checkpointer", storage::Checkpointer::Start(b.path, 1000, nullptr));
  Check("checkpointer", checkpointer->Attach(*writer));
  // Episodes on received, unclaimed tickets at their village: the facilitator claims and
  // verifies, then the supervisor forwards or (one in three) the facilitator closes it as
  // solved (survey); a note by the manager on another open ticket between them.
  std::vector<std::pair<std::string, std::string>> received;  // code, village
  auto q = Must("candidates",
                writer->Prepare("SELECT code, village_code FROM ticket WHERE status = 'received'"
                                " AND level = 'village' AND claimed_by = 0"));
  while (q->Step() == SQLITE_ROW) received.push_back({q->ColumnText(0), q->ColumnText(1)});
  q->Reset();
  std::vector<std::string> open;
  auto o = Must("candidates", writer->Prepare("SELECT code FROM ticket WHERE status IN"
                                              " ('referred', 'reviewed', 'forwarded')"));
  while (o->Step() == SQLITE_ROW) open.push_back(o->ColumnText(0));
  o->Reset();
  std::mt19937_64 rng(b.opt.seed + 11);
  std::shuffle(received.begin(), received.end(), rng);
  std::map<std::string, const Village*> villages;
  for (const auto& v : b.regency->villages) villages[v.code] = &v;
  const tickets::Actor manager{kManagerId, tickets::Role::kManager, kRegency};

  std::vector<std::vector<Step>> rounds(3);
  std::size_t episodes = 0;
  for (const auto& [code, village] : received) {
    if (episodes * 4 >= static_cast<std::size_t>(b.opt.actions)) break;
    const Village& v = *villages.at(village);
    const tickets::Actor facilitator{v.facilitator_id, tickets::Role::kFacilitator, v.code};
    const tickets::Actor supervisor{b.regency->SupervisorId(v.kecamatan_index),
                                    tickets::Role::kSupervisor, v.kecamatan};
    tickets::Request r;
    r.action = tickets::Action::kClaim;
    rounds[0].push_back({code, r, facilitator});
    r.action = tickets::Action::kVerify;
    rounds[1].push_back({code, r, facilitator});
    if (episodes % 3 == 2) {
      r.action = tickets::Action::kClose;
      r.reason = tickets::CloseReason::kSolved;
      rounds[2].push_back({code, r, facilitator});
    } else {
      r.action = tickets::Action::kForward;
      rounds[2].push_back({code, r, supervisor});
    }
    ++episodes;
  }
  std::vector<Step> steps;
  std::uniform_int_distribution<std::size_t> any(0, open.empty() ? 0 : open.size() - 1);
  for (const auto& round : rounds) {
    for (const auto& s : round) {
      steps.push_back(s);
      if (steps.size() % 3 == 0 && !open.empty()) {
        tickets::Request note;
        note.action = tickets::Action::kNote;
        steps.push_back({open[any(rng)], note, manager});
      }
    }
  }
  std::printf("act episodes=%zu actions=%zu received_candidates=%zu\n", episodes, steps.size(),
              received.size());

  std::vector<double> act_ms, total_ms, commit_ms, bare_ms;
  std::map<std::string, std::vector<double>> by_action;
  int refused = 0, notices = 0, surveys = 0;
  std::uniform_int_distribution<std::int64_t> id(1, b.max_id);
  const backoffice::Caller caller_base{manager, "bench", "127.0.0.1"};
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    const std::int64_t now = kNow + static_cast<std::int64_t>(i) * 1000;
    backoffice::Caller caller = caller_base;
    caller.actor = s.actor;
    backoffice::Enqueued enqueued;
    bool was_refused = false;
    const auto t0 = Clock::now();
    Check("begin", writer->Run("BEGIN IMMEDIATE"));
    Check("savepoint", writer->Run("SAVEPOINT job"));
    auto r = service.ActIn(*writer, s.code, s.request, caller, "dicek ke rumah warga", now,
                           &enqueued, &was_refused);
    if (!r.ok() && !was_refused) Fail("act " + s.code, r.error());
    Check("release", writer->Run("RELEASE job"));
    const auto t1 = Clock::now();
    Check("commit", writer->Run("COMMIT"));
    const auto t2 = Clock::now();
    act_ms.push_back(Ms(t1 - t0));
    total_ms.push_back(Ms(t2 - t0));
    commit_ms.push_back(Ms(t2 - t1));
    by_action[tickets::ActionName(s.request.action)].push_back(Ms(t2 - t0));
    if (was_refused) ++refused;
    if (r.ok()) {
      notices += r.value().notices;
      surveys += r.value().survey_started || r.value().survey_pending ? 1 : 0;
    }
    // The baseline in the same run: one row updated and committed.
    auto bare = Must("bare", writer->Prepare("UPDATE ticket SET updated_at_ms = ? WHERE id = ?"));
    const auto b0 = Clock::now();
    Check("begin", writer->Run("BEGIN IMMEDIATE"));
    Check("bare", bare->Bind(1, now).Bind(2, id(rng)).Run());
    Check("commit", writer->Run("COMMIT"));
    bare_ms.push_back(Ms(Clock::now() - b0));
  }
  PrintStats("act actin+commit sync=full", total_ms);
  PrintStats("act actin_without_commit", act_ms);
  PrintStats("act commit_only", commit_ms);
  PrintStats("act baseline update+commit sync=full", bare_ms);
  for (const auto& [name, ms] : by_action) PrintStats("act action=" + name + " with_commit", ms);
  std::printf("act refused=%d notices=%d surveys=%d p99_ratio_to_baseline=%.2f\n", refused, notices,
              surveys, Percentile(total_ms, 0.99) / std::max(0.001, Percentile(bare_ms, 0.99)));
  std::printf("act background_checkpoints=%lld\n",
              static_cast<long long>(checkpointer->checkpoints()));
  checkpointer->Stop();
  storage::Checkpointer::Detach(*writer);
  Check("checkpoint", writer->Exec("PRAGMA wal_checkpoint(TRUNCATE)"));
}

void ReportBench(Bench& b) {
  // The API's periods: the last 12 whole weeks (tickets::WeekStartMs), the last 365 whole days
  // and the whole history, all ending now.
  const std::int64_t offset = std::int64_t{kUtcOffset} * 60'000;
  const std::int64_t today = (kNow + offset) / kDay * kDay - offset;
  const tickets::Period twelve_weeks{tickets::WeekStartMs(kNow, 11, kUtcOffset), INT64_MAX};
  const tickets::Period year{today - 364 * kDay, INT64_MAX};
  const tickets::Period all{};
  using Run = std::function<std::size_t(storage::Db&, const std::string&, const tickets::Period&,
                                        tickets::Source)>;
  struct Report {
    std::string name;
    tickets::Period period;
    Run run;
  };
  const Run weeks = [](storage::Db& db, const std::string& region, const tickets::Period& p,
                       tickets::Source source) {
    return Must("weeks", tickets::TicketsPerWeek(db, region, p, kUtcOffset, source)).size();
  };
  const Run sla = [](storage::Db& db, const std::string& region, const tickets::Period& p,
                     tickets::Source source) {
    return Must("sla", tickets::SlaByKecamatan(db, region, p, source)).size();
  };
  const Run ikm = [](storage::Db& db, const std::string& region, const tickets::Period& p,
                     tickets::Source source) {
    return static_cast<std::size_t>(
        Must("ikm", tickets::Satisfaction(db, region, p, source)).responses);
  };
  const Run recap = [](storage::Db& db, const std::string& region, const tickets::Period& p,
                       tickets::Source source) {
    return Must("recap", tickets::RecapByType(db, region, p, source)).size();
  };
  const std::vector<Report> reports = {
      {"tickets_per_week period=12w", twelve_weeks, weeks},
      {"tickets_per_week period=all", all, weeks},
      {"sla_by_kecamatan period=1y", year, sla},
      {"sla_by_kecamatan period=all", all, sla},
      {"satisfaction period=1y", year, ikm},
      {"satisfaction period=all", all, ikm},
      {"recap_by_type period=1y", year, recap},
      {"recap_by_type period=all", all, recap},
  };
  // The regency reads the daily counts (source=auto); reading its tickets instead (the way
  // before migration 14) is the baseline of the same run. A kecamatan reads its tickets.
  struct Case {
    std::string region;
    tickets::Source source;
    std::string label;
  };
  const std::vector<Case> cases = {
      {std::string(kRegency), tickets::Source::kAuto, "regency source=counts"},
      {std::string(kRegency), tickets::Source::kTickets, "regency source=tickets"},
      {b.busy_kecamatan, tickets::Source::kAuto, "kecamatan source=tickets"},
  };
  for (const auto& c : cases) {
    for (const auto& r : reports) {
      std::size_t rows = 0;
      const std::string& region = c.region;
      const std::string what = "report " + r.name + " region=" + c.label;
      b.Reopen();
      // The first run warms the cache; slow reports get fewer runs (at most --budget-s each).
      std::vector<double> warm;
      const auto w0 = Clock::now();
      for (int i = 0;
           i <= b.opt.report_runs && (i < 2 || Seconds(Clock::now() - w0) < b.opt.budget_s); ++i) {
        const auto t0 = Clock::now();
        rows = r.run(*b.reader, region, r.period, c.source);
        if (i > 0) warm.push_back(Ms(Clock::now() - t0));
      }
      std::vector<double> cold;
      const auto c0 = Clock::now();
      for (int i = 0; i < 3 && (i < 1 || Seconds(Clock::now() - c0) < b.opt.budget_s); ++i) {
        Evict(b.path);
        b.Reopen();
        const auto t0 = Clock::now();
        rows = r.run(*b.reader, region, r.period, c.source);
        cold.push_back(Ms(Clock::now() - t0));
      }
      std::printf(
          "%s rows=%zu warm_median_ms=%.1f warm_max_ms=%.1f cold_median_ms=%.1f"
          " cold_max_ms=%.1f\n",
          what.c_str(), rows, Percentile(warm, 0.5), Percentile(warm, 1.0), Percentile(cold, 0.5),
          Percentile(cold, 1.0));
      std::fflush(stdout);
    }
  }
}
}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : "";
    if (flag == "--keep") {
      opt.keep = true;
      continue;
    }
    ++i;
    if (flag == "--tickets")
      opt.tickets = std::atoll(value);
    else if (flag == "--seed")
      opt.seed = std::strtoull(value, nullptr, 10);
    else if (flag == "--cache-dir")
      opt.cache_dir = value;
    else if (flag == "--samples")
      opt.samples = std::atoi(value);
    else if (flag == "--cold-samples")
      opt.cold_samples = std::atoi(value);
    else if (flag == "--actions")
      opt.actions = std::atoi(value);
    else if (flag == "--report-runs")
      opt.report_runs = std::atoi(value);
    else if (flag == "--budget-s")
      opt.budget_s = std::atof(value);
    else if (flag == "--parts")
      opt.parts = value;
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  const Regency regency =
      LoadRegency(::satupintu::testing::RegionsDataDir() + "/villages.csv", opt.seed);
  const auto calendar = Must("calendar", tickets::WorkCalendar::FromDates({}, kUtcOffset));
  const std::string cached = opt.cache_dir + "/satupintu-tickets-" + std::to_string(opt.tickets) +
                             "-s" + std::to_string(opt.seed) + "-g" +
                             std::to_string(kGeneratorVersion) + ".db";
  std::printf("regency=%s villages=%zu kecamatan=%zu store=%s\n", kRegency, regency.villages.size(),
              regency.kecamatan.size(), cached.c_str());
  if (!std::filesystem::exists(cached)) {
    Generate(cached + ".tmp", opt, regency, calendar);
    std::filesystem::rename(cached + ".tmp", cached);
  } else {
    std::printf("generate cached=1\n");
  }
  std::printf("store bytes=%lld\n", static_cast<long long>(std::filesystem::file_size(cached)));

  // The write parts change the store: they work on a copy.
  Bench b;
  b.opt = opt;
  b.regency = &regency;
  b.path = opt.cache_dir + "/satupintu-tickets-work-" + std::to_string(::getpid()) + ".db";
  const auto copy0 = Clock::now();
  std::filesystem::copy_file(cached, b.path, std::filesystem::copy_options::overwrite_existing);
  {
    // Migrations newer than the cached file (an index added since) apply here, as on upgrade.
    auto writer = OpenWriter(b.path);
    const auto m0 = Clock::now();
    const int version = Must("migrate", storage::ApplyMigrations(*writer, schema::Migrations()));
    std::printf("scratch copy_s=%.1f schema=%d migrate_s=%.1f\n", Seconds(m0 - copy0), version,
                Seconds(Clock::now() - m0));
    // The gateway counts the daily report tables at start (app/backoffice.cpp).
    const auto p0 = Clock::now();
    Check("begin", writer->Run("BEGIN IMMEDIATE"));
    const bool counted = Must("prepare reports", tickets::PrepareReports(*writer, kUtcOffset));
    Check("commit", writer->Run("COMMIT"));
    std::printf(
        "report counts counted=%d prepare_s=%.1f report_day_rows=%lld report_sla_rows=%lld"
        " report_rating_rows=%lld\n",
        counted ? 1 : 0, Seconds(Clock::now() - p0),
        static_cast<long long>(Must("n", writer->QueryInt("SELECT COUNT(*) FROM report_day"))),
        static_cast<long long>(Must("n", writer->QueryInt("SELECT COUNT(*) FROM report_sla"))),
        static_cast<long long>(Must("n", writer->QueryInt("SELECT COUNT(*) FROM report_rating"))));
  }
  b.Reopen();
  FindBusy(b);
  if (b.Wants("queue")) QueueBench(b);
  if (b.Wants("read")) ReadBench(b);
  if (b.Wants("reports")) ReportBench(b);
  if (b.Wants("act")) ActBench(b);
  if (b.Wants("sla")) SlaBench(b);
  b.reader.reset();
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  std::printf("rss_peak_kb=%ld\n", usage.ru_maxrss);
  if (!opt.keep) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(b.path + suffix);
  }
  return 0;
}
