// The transcript runner: every tests/transcripts/*.txt is one scenario of citizen lines and
// expected gateway lines, run against the real dialogs, locales, lexicon, region tree and a
// real SQLite store (format in tests/transcripts/README.md).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>

#include "app/chat_session.hpp"
#include "app/dialog_stack.hpp"
#include "core/metrics.hpp"
#include "locale/catalog.hpp"
#include "paths/paths.hpp"
#include "regions/region_index.hpp"
#include "registry/identity_hash.hpp"
#include "registry/importer.hpp"
#include "schema/schema.hpp"
#include "storage/store.hpp"
#include "support/process.hpp"
#include "tickets/tickets.hpp"

namespace satupintu {
namespace {

namespace fs = std::filesystem;

const fs::path kDir = fs::path(::satupintu::testing::SourceDir()) / "tests" / "transcripts";

// '*' matches any run of characters (also none); everything else literally.
bool Glob(std::string_view pattern, std::string_view text) {
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

using testing::TempDir;

// The persons of `@registry` scenarios (tests/transcripts/registry.csv, made up).
constexpr int kRegistryPersons = 3;

// `@registry`: a hash key and the fixture imported with the real importer into a snapshot of
// the scenario's store, before the dialogs open it. `@registry dtks-pipe`: the same persons as a
// regional DTKS pipe export (registry_dtks.psv: names for regions, no desil, no programmes).
::testing::AssertionResult ImportRegistryFixture(config::Config& config, const TempDir& dir,
                                                 bool dtks_pipe) {
  config.registry.hash_key_file = dir.File("registry.key");
  config.registry.dir = dir.File("registry");
  auto key = registry::LoadOrCreateKey(config.registry.hash_key_file, true);
  if (!key.ok()) return ::testing::AssertionFailure() << key.error().message;
  auto db = storage::Db::Open(config.store.path, false, false);
  if (!db.ok()) return ::testing::AssertionFailure() << db.error().message;
  auto tree = regions::RegionIndex::Load(*db.value());
  if (!tree.ok()) return ::testing::AssertionFailure() << tree.error().message;
  registry::ImportOptions o;
  o.input_path = (kDir / (dtks_pipe ? "registry_dtks.psv" : "registry.csv")).string();
  if (dtks_pipe) {
    o.format = "dtks-pipe";
    o.snapshot_date = "2025-10-01";
  }
  o.rejects_path = dir.File("registry.rejects.csv");
  o.store_path = config.store.path;
  o.registry_dir = config.registry.dir;
  o.key = key.value();
  o.regions = tree.value().get();
  o.today = "2025-11-01";
  auto summary = registry::ImportRegistry(o);
  if (!summary.ok()) return ::testing::AssertionFailure() << summary.error().message;
  if (summary.value().stored != kRegistryPersons || summary.value().rejected != 0) {
    return ::testing::AssertionFailure()
           << o.input_path << ": " << summary.value().stored << " stored, "
           << summary.value().rejected << " rejected (see " << o.rejects_path << ")";
  }
  return ::testing::AssertionSuccess();
}

// The whole official tree: 38 provinces, 514 regencies, 7,285 kecamatan, 83,762 villages.
constexpr std::int64_t kRegionRows = 38 + 514 + 7285 + 83762;

// A store with the real region tree at `path`, made as the gateway makes it on first start
// (migrations, then the import), written beside it and renamed so a reader never sees half.
::testing::AssertionResult MakeTemplateStore(const fs::path& path) {
  const fs::path building = path.string() + ".building";
  std::error_code ignored;
  fs::remove(building, ignored);
  config::Config c;
  c.store.path = building.string();
  c.regions.data_dir = ::satupintu::testing::RegionsDataDir();
  {
    core::MetricsRegistry metrics;
    storage::StoreOptions o;
    o.migrations = schema::Migrations();
    o.path = c.store.path;
    auto store = storage::Store::Open(o, &metrics);
    if (!store.ok()) return ::testing::AssertionFailure() << store.error().message;
    app::LoadRegionTreeIfEmpty(c, *store.value());
    store.value()->Close();
  }
  auto db = storage::Db::Open(c.store.path, false, false);
  if (!db.ok()) return ::testing::AssertionFailure() << db.error().message;
  // One file: the WAL folded in, so a plain copy is the whole store.
  if (auto s = db.value()->Exec("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE");
      !s.ok()) {
    return ::testing::AssertionFailure() << s.error().message;
  }
  auto n = db.value()->QueryInt("SELECT count(*) FROM region");
  if (!n.ok()) return ::testing::AssertionFailure() << n.error().message;
  if (n.value() != kRegionRows) {
    return ::testing::AssertionFailure() << "the template holds " << n.value() << " regions, not "
                                         << kRegionRows << " (" << c.regions.data_dir << ")";
  }
  db.value().reset();
  fs::rename(building, path);
  return ::testing::AssertionSuccess();
}

// The store every scenario starts from. Importing the tree takes seconds (more under ASan), so
// CTest makes it once per run (the transcript_template fixture, tests/CMakeLists.txt) and
// names it in SATUPINTU_TRANSCRIPT_TEMPLATE; a scenario run by hand makes its own.
const fs::path& TemplateStore() {
  static TempDir dir;
  static const fs::path path = [] {
    const char* shared = std::getenv("SATUPINTU_TRANSCRIPT_TEMPLATE");
    if (shared != nullptr && fs::exists(shared)) return fs::path(shared);
    fs::path p = fs::path(dir.path()) / "template.db";
    EXPECT_TRUE(MakeTemplateStore(p));
    return p;
  }();
  return path;
}

// CTest's fixture set-up runs this with SATUPINTU_TRANSCRIPT_TEMPLATE_OUT; alone, it makes a
// template in a temporary folder. Either way it checks the tree is whole.
TEST(TranscriptTemplate, HoldsTheWholeRegionTree) {
  TempDir dir;
  const char* out = std::getenv("SATUPINTU_TRANSCRIPT_TEMPLATE_OUT");
  const fs::path path = out != nullptr ? fs::path(out) : fs::path(dir.path()) / "template.db";
  ASSERT_TRUE(MakeTemplateStore(path));
  EXPECT_TRUE(fs::exists(path));
}

struct Scenario {
  TempDir dir;
  config::Config config;
  core::MetricsRegistry metrics;
  locale::Catalog catalog;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<app::DialogStack> stack;
  std::unique_ptr<app::ChatSession> session;
  app::ChatChannel channel = app::ChatChannel::kSms;
  std::string address = "6281100000001";
  int codes = 0;
  std::int64_t offset_minutes = 0;

  ::testing::AssertionResult Open() {
    store.reset();
    stack.reset();
    session.reset();
    storage::StoreOptions o;
    o.migrations = schema::Migrations();
    o.path = config.store.path;
    auto s = storage::Store::Open(o, &metrics);
    if (!s.ok()) return ::testing::AssertionFailure() << s.error().message;
    store = std::move(s).value();
    auto built = app::BuildDialogStack(config, *store, catalog, [this] {
      char buf[8];
      std::snprintf(buf, sizeof buf, "%06d", ++codes % 1000000);
      return std::string(buf);
    });
    if (!built.ok()) return ::testing::AssertionFailure() << built.error().message;
    stack = std::move(built).value();
    session = std::make_unique<app::ChatSession>(store.get(), stack.get(), channel, address);
    // A restarted session keeps the scenario's clock.
    if (offset_minutes > 0) (void)session->Advance(offset_minutes);
    return ::testing::AssertionSuccess();
  }
};

void RunScenario(const fs::path& file) {
  std::ifstream in(file);
  ASSERT_TRUE(in) << file;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);

  Scenario sc;
  sc.config.store.path = sc.dir.File("store.db");
  sc.config.locales.dir = ::satupintu::testing::SourceDir() + "/locales";
  sc.config.dialogs.dir = ::satupintu::testing::SourceDir() + "/dialogs";
  sc.config.regions.data_dir = ::satupintu::testing::RegionsDataDir();
  sc.config.regions.home_regency = "32.06";  // Kab. Tasikmalaya
  sc.config.registry.hash_key_file = sc.dir.File("no-registry.key");
  fs::copy_file(TemplateStore(), sc.config.store.path);
  for (const auto& line : lines) {
    if (line == "@registry" || line == "@registry dtks-pipe") {
      ASSERT_TRUE(ImportRegistryFixture(sc.config, sc.dir, line != "@registry")) << file.filename();
    }
  }
  auto catalog = locale::Catalog::Load(sc.config.locales.dir);
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  sc.catalog = std::move(catalog).value();
  for (const auto& line : lines) {
    if (line.rfind("@channel ", 0) == 0) {
      const std::string c = line.substr(9);
      if (c == "whatsapp") sc.channel = app::ChatChannel::kWhatsApp;
      if (c == "telegram") {
        sc.channel = app::ChatChannel::kTelegram;
        sc.address = "tg:1000001";
      }
    }
  }
  ASSERT_TRUE(sc.Open());

  // SATUPINTU_TRANSCRIPT_PRINT=1: every citizen line and the replies as they are (for writing a
  // scenario).
  const bool print = std::getenv("SATUPINTU_TRANSCRIPT_PRINT") != nullptr;
  std::vector<std::string> pending;  // replies not yet matched
  std::size_t i = 0;
  auto expect_replies = [&](std::size_t line_no) {
    // Consume consecutive "<" lines: each block (lines up to a "<" line that is "<---" or the
    // next non-"<" line) is one reply.
    while (i < lines.size() && lines[i].rfind('<', 0) == 0) {
      std::vector<std::string> block;
      while (i < lines.size() && lines[i].rfind('<', 0) == 0 && lines[i] != "<---") {
        block.push_back(lines[i].size() > 2 ? lines[i].substr(2) : "");
        ++i;
      }
      if (i < lines.size() && lines[i] == "<---") ++i;
      ASSERT_FALSE(pending.empty())
          << file.filename() << ":" << line_no + 1 << ": expected a reply, got none; expected:\n"
          << block.front();
      const std::string got = pending.front();
      pending.erase(pending.begin());
      std::string want;
      for (std::size_t k = 0; k < block.size(); ++k) want += (k ? "\n" : "") + block[k];
      EXPECT_TRUE(Glob(want, got)) << file.filename() << ":" << line_no + 1 << "\n--- want:\n"
                                   << want << "\n--- got:\n"
                                   << got;
    }
    EXPECT_TRUE(pending.empty()) << file.filename() << ":" << line_no + 1 << ": " << pending.size()
                                 << " reply(ies) not expected, first:\n"
                                 << (pending.empty() ? "" : pending.front());
    pending.clear();
  };
  while (i < lines.size()) {
    const std::string line = lines[i];
    const std::size_t line_no = i++;
    if (line.empty() || line[0] == '#' || line.rfind("@channel", 0) == 0 ||
        line.rfind("@registry", 0) == 0) {
      continue;
    }
    if (line.rfind("> ", 0) == 0 || line == ">") {
      pending = sc.session->Say(line.size() > 2 ? line.substr(2) : "");
    } else if (line.rfind("@tap ", 0) == 0) {
      const std::string id = line.substr(5);
      std::string title;
      for (const auto& [cid, t] : sc.session->LastChoices()) {
        if (cid == id) title = t;
      }
      ASSERT_FALSE(title.empty()) << file.filename() << ":" << line_no + 1 << ": no button " << id;
      pending = sc.session->Say(title, id);
    } else if (line.rfind("@wait ", 0) == 0) {
      const std::int64_t minutes = std::stoll(line.substr(6));
      sc.offset_minutes += minutes;
      pending = sc.session->Advance(minutes);
    } else if (line == "@restart") {
      ASSERT_TRUE(sc.Open());
      continue;
    } else if (line.rfind("@status ", 0) == 0) {
      // "@status ADU-000001 resolved": the office moves a ticket.
      std::istringstream words(line.substr(8));
      std::string code;
      std::string status;
      words >> code >> status;
      std::promise<core::Status> done;
      sc.store->Write(
          [&](storage::Db& db) {
            return tickets::SetStatus(db, code, status, sc.session->NowMs());
          },
          [&done](core::Status s) { done.set_value(std::move(s)); });
      auto s = done.get_future().get();
      ASSERT_TRUE(s.ok()) << file.filename() << ":" << line_no + 1 << ": " << s.error().message;
      continue;
    } else if (line.rfind("@survey ", 0) == 0) {
      pending = sc.session->Start("survey", {{"ticket_code", line.substr(8)}});
    } else if (line.rfind('<', 0) == 0) {
      FAIL() << file.filename() << ":" << line_no + 1 << ": expected reply without a message";
    } else {
      FAIL() << file.filename() << ":" << line_no + 1 << ": unknown line: " << line;
    }
    if (print) {
      std::cout << line << "\n";
      for (const auto& reply : pending) std::cout << "< " << reply << "\n<---\n";
    }
    expect_replies(line_no);
    if (::testing::Test::HasFailure()) return;
  }
}

std::vector<std::string> ScenarioNames() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kDir)) {
    if (e.path().extension() == ".txt") names.push_back(e.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class Transcript : public ::testing::TestWithParam<std::string> {};

TEST_P(Transcript, Runs) { RunScenario(kDir / (GetParam() + ".txt")); }

INSTANTIATE_TEST_SUITE_P(Scenarios, Transcript, ::testing::ValuesIn(ScenarioNames()),
                         [](const auto& scenario) { return scenario.param; });

TEST(TranscriptRunner, GlobMatchesWildcardsAndLiterals) {
  EXPECT_TRUE(Glob("Nomor tiket: *.", "Nomor tiket: ADU-000001."));
  EXPECT_TRUE(Glob("*", ""));
  EXPECT_FALSE(Glob("Nomor tiket: *.", "Nomor tiket: ADU-000001"));
  EXPECT_FALSE(Glob("abc", "abcd"));
}

TEST(TranscriptRunner, HasAtLeastTheScenariosTheIssueAsksFor) {
  EXPECT_GE(ScenarioNames().size(), 60U);
}

}  // namespace
}  // namespace satupintu
