// The journal's promise, proved against kill -9: satupintu never acknowledges a message it
// has not stored. Clients hammer the journal while the process is SIGKILLed at a random
// moment, several times over the same database; afterwards every id that got a 200 must be
// in the file, with the journal id the response named.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "support/http_client.hpp"
#include "support/process.hpp"

namespace satupintu::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr int kRounds = 5;
constexpr int kClients = 8;
constexpr auto kStartTimeout = 10s;
// Safety net for a client that never sees the kill; the kill comes after 100-400 ms.
constexpr auto kRoundLimit = 5s;
constexpr const char* kChannel = "telegram";

struct Ack {
  std::string id;
  std::int64_t journal_id = 0;
};

struct ClientResult {
  std::vector<Ack> acked;
  int requests = 0;
  int other_status = 0;  // neither 200 nor a transport error
  std::string anomaly;   // a 200 whose body contradicts what was sent
};

// A Telegram-ish update; `id` goes into update_id, as the Telegram adapter would send it.
json Update(const std::string& id, std::int64_t n) {
  return {{"update_id", id},
          {"message",
           {{"message_id", n},
            {"from", {{"id", 100000 + n % 97}, {"is_bot", false}, {"first_name", "Warga"}}},
            {"chat", {{"id", 100000 + n % 97}, {"type", "private"}}},
            {"date", 1700000000 + n},
            {"text", "halo, saya mau cek status KTP"}}}};
}

// Posts distinct ids until the first transport error (the process is gone) or the limit.
ClientResult RunClient(std::uint16_t port, int round, int thread, unsigned seed,
                       std::chrono::steady_clock::time_point limit) {
  ClientResult out;
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> shape(0, 3);
  for (int seq = 0; std::chrono::steady_clock::now() < limit; ++seq) {
    const std::string base =
        std::to_string(round) + "-" + std::to_string(thread) + "-" + std::to_string(seq);
    std::vector<std::string> ids;
    json body;
    const int batch = shape(rng) == 0 ? 2 + shape(rng) % 2 : 1;  // 1 in 4 is an array of 2-3
    if (batch == 1) {
      ids.push_back(base);
      body = Update(base, seq);
    } else {
      body = json::array();
      for (int i = 0; i < batch; ++i) {
        ids.push_back(base + "." + std::to_string(i));
        body.push_back(Update(ids.back(), seq * 10 + i));
      }
    }
    RequestOptions o;
    o.method = "POST";
    o.target = std::string("/diag/journal/") + kChannel;
    o.body = body.dump();
    o.headers.emplace_back("Content-Type", "application/json");
    o.timeout = 3s;
    ++out.requests;
    const ClientResponse r = Send(port, o);
    if (!r.error.empty() || r.status == 0) break;
    if (r.status != 200) {
      ++out.other_status;
      continue;
    }
    const json doc = json::parse(r.body, nullptr, false);
    const bool well_formed = doc.is_object() && doc.value("stored", -1) == batch &&
                             doc.value("duplicates", -1) == 0 && doc.contains("journal_ids") &&
                             doc["journal_ids"].is_array() &&
                             doc["journal_ids"].size() == ids.size();
    if (!well_formed) {
      if (out.anomaly.empty()) out.anomaly = base + ": " + r.body;
      continue;
    }
    for (std::size_t i = 0; i < ids.size(); ++i) {
      out.acked.push_back({ids[i], doc["journal_ids"][i].get<std::int64_t>()});
    }
  }
  return out;
}

struct Gateway {
  std::unique_ptr<Child> child;
  Ports ports;
  std::string log_file;
};

Gateway Start(const TempDir& dir, const std::string& config_file, const std::string& name) {
  Gateway gw;
  gw.log_file = dir.File(name + ".log");
  const std::string ports_file = dir.File(name + ".ports");
  gw.child =
      std::make_unique<Child>(std::vector<std::string>{SatupintuBinary(), "serve", "--config",
                                                       config_file, "--ports-file", ports_file},
                              gw.log_file);
  gw.ports = WaitForPorts(ports_file, *gw.child, kStartTimeout);
  return gw;
}

struct StoredRow {
  std::int64_t journal_id = 0;
  int count = 0;
  std::string payload;
};

// Every row of the channel, keyed by provider id; false if the file cannot be read.
bool ReadJournal(const std::string& path, std::unordered_map<std::string, StoredRow>* rows,
                 std::string* integrity, std::string* error) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    *error = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return false;
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* stmt = nullptr;
  bool ok = sqlite3_prepare_v2(db,
                               "SELECT id, provider_id, payload FROM inbound_journal"
                               " WHERE channel = ?",
                               -1, &stmt, nullptr) == SQLITE_OK;
  if (ok) {
    sqlite3_bind_text(stmt, 1, kChannel, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      const auto* id_text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1));
      StoredRow& row = (*rows)[id_text ? id_text : ""];
      row.journal_id = sqlite3_column_int64(stmt, 0);
      ++row.count;
      const auto* blob = static_cast<const char*>(sqlite3_column_blob(stmt, 2));
      row.payload.assign(blob ? blob : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt, 2)));
    }
    ok = rc == SQLITE_DONE;
  }
  if (!ok) *error = sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  if (ok && sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK) {
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      *integrity = text ? text : "";
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close_v2(db);
  return ok;
}

TEST(JournalKillTest, NeverAcknowledgesAMessageItHasNotStored) {
  TempDir dir;
  const std::string config_file = dir.File("config.json");
  WriteFile(config_file, TestConfig(dir));
  const unsigned seed = std::random_device{}();
  std::printf("seed %u\n", seed);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> kill_after_ms(100, 400);

  std::vector<Ack> acked;
  int kills = 0;
  int requests = 0;
  int other_status = 0;
  for (int round = 0; round < kRounds; ++round) {
    Gateway gw = Start(dir, config_file, "round" + std::to_string(round));
    ASSERT_NE(gw.ports.private_port, 0)
        << "round " << round << " did not start (the previous kill broke the file?)\n"
        << ReadFile(gw.log_file);

    const auto limit = std::chrono::steady_clock::now() + kRoundLimit;
    std::vector<ClientResult> results(kClients);
    std::vector<std::thread> clients;
    clients.reserve(kClients);
    for (int t = 0; t < kClients; ++t) {
      clients.emplace_back([&results, &gw, round, t, limit, s = static_cast<unsigned>(rng())] {
        results[static_cast<std::size_t>(t)] = RunClient(gw.ports.private_port, round, t, s, limit);
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms(rng)));
    gw.child->Signal(SIGKILL);
    EXPECT_EQ(gw.child->Wait(5s), 128 + SIGKILL) << ReadFile(gw.log_file);
    ++kills;
    for (auto& c : clients) c.join();

    std::size_t round_acked = 0;
    for (auto& r : results) {
      EXPECT_TRUE(r.anomaly.empty()) << "round " << round << ": " << r.anomaly;
      requests += r.requests;
      other_status += r.other_status;
      round_acked += r.acked.size();
      acked.insert(acked.end(), r.acked.begin(), r.acked.end());
    }
    std::printf("round %d: %zu acknowledged\n", round, round_acked);
  }
  // Without acknowledgements the check below would pass vacuously.
  ASSERT_GT(acked.size(), 0u);
  EXPECT_EQ(other_status, 0) << "non-200 answers without a store failure";

  // A fresh instance must recognise acknowledged ids as duplicates, not store them again.
  Gateway last = Start(dir, config_file, "final");
  ASSERT_NE(last.ports.private_port, 0) << ReadFile(last.log_file);
  std::vector<std::size_t> sample(acked.size());
  for (std::size_t i = 0; i < sample.size(); ++i) sample[i] = i;
  std::shuffle(sample.begin(), sample.end(), rng);
  sample.resize(std::min<std::size_t>(sample.size(), 40));
  for (std::size_t i : sample) {
    const auto& ack = acked[i];
    auto r = Post(last.ports.private_port, std::string("/diag/journal/") + kChannel,
                  Update(ack.id, 0).dump());
    ASSERT_EQ(r.status, 200) << ack.id << ": " << r.error << r.body;
    const json doc = json::parse(r.body, nullptr, false);
    EXPECT_EQ(doc.value("stored", -1), 0) << ack.id << ": " << r.body;
    EXPECT_EQ(doc.value("duplicates", -1), 1) << ack.id << ": " << r.body;
  }
  last.child->Signal(SIGTERM);
  EXPECT_EQ(last.child->Wait(15s), 0) << ReadFile(last.log_file);

  std::unordered_map<std::string, StoredRow> rows;
  std::string integrity;
  std::string error;
  ASSERT_TRUE(ReadJournal(dir.File("satupintu.db"), &rows, &integrity, &error)) << error;
  EXPECT_EQ(integrity, "ok");
  std::size_t lost = 0;
  std::size_t wrong_row = 0;
  for (const auto& ack : acked) {
    auto it = rows.find(ack.id);
    if (it == rows.end()) {
      if (++lost <= 10) ADD_FAILURE() << "acknowledged but not stored: " << ack.id;
      continue;
    }
    EXPECT_EQ(it->second.count, 1) << ack.id;
    const bool same_row = it->second.journal_id == ack.journal_id &&
                          it->second.payload.find("\"" + ack.id + "\"") != std::string::npos;
    if (!same_row && ++wrong_row <= 10) {
      ADD_FAILURE() << ack.id << ": answered journal id " << ack.journal_id << ", stored as "
                    << it->second.journal_id << " " << it->second.payload;
    }
  }
  EXPECT_EQ(lost, 0u);
  EXPECT_EQ(wrong_row, 0u);
  EXPECT_GE(rows.size(), acked.size());
  std::printf(
      "kills %d, requests %d, acknowledged %zu, rows %zu, stored but unacknowledged %zu "
      "(committed, response died with the process)\n",
      kills, requests, acked.size(), rows.size(),
      rows.size() - std::min(rows.size(), acked.size()));
}

}  // namespace
}  // namespace satupintu::testing
