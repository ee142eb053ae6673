// bench_users: what office users cost (issue 6).
//   scrypt      one password hash at the default cost (N=2^15, r=8, p=1): p50/p99/max ms
//   login       Login (lookup + scrypt + token insert) on a SQLite file: p50/p99 ms
//   auth        Authenticate (token -> user, read-only) on a SQLite file with --users users
//               and one token each: p50/p99 us and per second
//   limiter     RateLimiter::Allow with --keys distinct keys from 1 and 2 threads: ns per call
// Output is key=value words. Files under a fresh directory in /tmp, removed afterwards.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "schema/schema.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite.hpp"
#include "users/password.hpp"
#include "users/rate_limiter.hpp"
#include "users/users.hpp"

namespace {

using namespace satupintu;
using Clock = std::chrono::steady_clock;

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  return v[i];
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

void Fail(const char* what, const core::Error& e) {
  std::fprintf(stderr, "%s: %s %s\n", what, e.message.c_str(), e.detail.c_str());
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  int users_count = 10'000;
  int keys = 100'000;
  int hashes = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--users") users_count = std::atoi(argv[i + 1]);
    if (flag == "--keys") keys = std::atoi(argv[i + 1]);
    if (flag == "--hashes") hashes = std::atoi(argv[i + 1]);
  }

  std::vector<double> ms;
  // CPU time too: on a shared machine the wall clock includes waiting for a core.
  const std::clock_t cpu0 = std::clock();
  for (int i = 0; i < hashes; ++i) {
    const auto t0 = Clock::now();
    auto h = users::HashPassword("kopi-tubruk-2025");
    ms.push_back(Ms(Clock::now() - t0));
    if (!h.ok()) Fail("hash", h.error());
  }
  const double cpu_ms = 1000.0 * static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC /
                        static_cast<double>(hashes);
  std::printf("scrypt n=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f cpu_ms_per_hash=%.1f\n", hashes,
              Percentile(ms, 0.5), Percentile(ms, 0.99), Percentile(ms, 1.0), cpu_ms);

  std::string dir = "/tmp/satupintu-users-bench-XXXXXX";
  if (::mkdtemp(dir.data()) == nullptr) return 1;
  {
    auto opened = storage::Db::Open(dir + "/u.db", false);
    if (!opened.ok()) Fail("open", opened.error());
    storage::Db& db = *opened.value();
    (void)db.Exec("PRAGMA journal_mode=WAL");
    (void)db.Exec("PRAGMA synchronous=NORMAL");
    if (auto v = storage::ApplyMigrations(db, schema::Migrations()); !v.ok()) {
      Fail("migrate", v.error());
    }
    const std::int64_t now = 1'763'000'000'000;
    // Accounts without passwords (a hash each would take minutes), one with.
    (void)db.Exec("BEGIN");
    std::vector<std::string> tokens;
    for (int i = 0; i < users_count; ++i) {
      users::NewUser u;
      u.username = "user" + std::to_string(i);
      u.display_name = "User";
      u.role = "facilitator";
      u.region = "32.06.05." + std::to_string(2001 + i % 20);
      auto created = users::Create(db, u, "", now);
      if (!created.ok()) Fail("create", created.error());
      auto session = users::IssueToken(db, created.value(), now, 3'600'000, "bench");
      if (!session.ok()) Fail("token", session.error());
      tokens.push_back(session.value().token);
    }
    users::NewUser siti;
    siti.username = "siti";
    siti.display_name = "Siti";
    siti.role = "facilitator";
    siti.region = "32.06.05.2002";
    siti.password = "kopi-tubruk-2025";
    if (auto c = users::Create(db, siti, "", now); !c.ok()) Fail("create", c.error());
    (void)db.Exec("COMMIT");

    ms.clear();
    for (int i = 0; i < hashes; ++i) {
      const auto t0 = Clock::now();
      auto r = users::Login(db, "siti", "kopi-tubruk-2025", now + i);
      ms.push_back(Ms(Clock::now() - t0));
      if (!r.ok() || r.value().outcome != users::LoginOutcome::kOk) {
        std::fprintf(stderr, "login failed\n");
        return 1;
      }
    }
    std::printf("login n=%d p50_ms=%.1f p99_ms=%.1f\n", hashes, Percentile(ms, 0.5),
                Percentile(ms, 0.99));

    std::vector<double> us;
    us.reserve(tokens.size() * 3);
    const auto all0 = Clock::now();
    for (int round = 0; round < 3; ++round) {
      for (const auto& t : tokens) {
        const auto t0 = Clock::now();
        auto a = users::Authenticate(db, t, now + 1000);
        us.push_back(Ms(Clock::now() - t0) * 1000);
        if (!a.ok()) Fail("auth", a.error());
      }
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - all0).count();
    std::printf("auth users=%d calls=%zu p50_us=%.1f p99_us=%.1f per_s=%.0f\n", users_count,
                us.size(), Percentile(us, 0.5), Percentile(us, 0.99),
                static_cast<double>(us.size()) / seconds);
  }
  std::filesystem::remove_all(dir);

  users::RateLimiter limiter(600, std::chrono::seconds(60), static_cast<std::size_t>(keys));
  std::vector<std::string> names;
  for (int i = 0; i < keys * 2; ++i) names.push_back("ip:10." + std::to_string(i));
  for (const int threads : {1, 2}) {
    const int per_thread = 1'000'000;
    const auto t0 = Clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        // Twice as many distinct keys as the bound: evictions happen all along.
        for (int i = 0; i < per_thread; ++i) {
          const std::size_t n = names.size();
          (void)limiter.Allow(
              names[(static_cast<std::size_t>(i) * 7919 + static_cast<std::size_t>(t)) % n],
              Clock::now());
        }
      });
    }
    for (auto& th : pool) th.join();
    const double ns = std::chrono::duration<double, std::nano>(Clock::now() - t0).count() /
                      (static_cast<double>(per_thread) * threads);
    std::printf("limiter threads=%d keys_bound=%d distinct=%d ns_per_call=%.0f kept=%zu\n", threads,
                keys, keys * 2, ns, limiter.keys());
  }
  return 0;
}
