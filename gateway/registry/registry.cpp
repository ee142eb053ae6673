#include "registry/registry.hpp"

#include <algorithm>
#include <filesystem>

#include "text/fold.hpp"
#include "text/name_similarity.hpp"

namespace satupintu::registry {
namespace {

using core::ErrorCode;
using core::MakeError;

constexpr std::size_t kMaxIdle = 8;
constexpr std::size_t kVillageScanLimit = 200'000;

}  // namespace

// Returns the session to the pool when done, whatever path the lookup took.
class Registry::Lease {
 public:
  Lease(Registry& owner, std::unique_ptr<Session> s) : owner_(owner), s_(std::move(s)) {}
  ~Lease() { owner_.Release(std::move(s_)); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  Session* operator->() const { return s_.get(); }

 private:
  Registry& owner_;
  std::unique_ptr<Session> s_;
};

core::Result<std::unique_ptr<Registry>> Registry::Open(RegistryOptions options) {
  std::unique_ptr<Registry> r(new Registry(std::move(options)));
  auto db = storage::Db::Open(r->options_.store_path, /*read_only=*/true, /*create=*/false);
  if (!db.ok()) return db.error();
  r->catalog_ = std::move(db.value());
  (void)r->catalog_->Exec("PRAGMA busy_timeout=2000");
  // Fail early on a wrong key rather than at the first lookup.
  if (auto hasher = IdentityHasher::Create(r->options_.key); !hasher.ok()) return hasher.error();
  return r;
}

Registry::~Registry() = default;

core::Status Registry::Refresh() {
  const auto now = std::chrono::steady_clock::now();
  if (current_ && now - checked_at_ < options_.recheck) return {};
  auto cur = CurrentSnapshot(*catalog_);
  if (!cur.ok()) return cur.error();
  checked_at_ = now;
  if (!cur.value()) {
    current_.reset();
    return MakeError(ErrorCode::kUnavailable, "no registry snapshot has been imported yet");
  }
  if (!current_ || current_->id != cur.value()->id) {
    current_ = std::move(cur.value());
    idle_.clear();  // sessions of the old snapshot
  }
  return {};
}

core::Result<std::unique_ptr<Registry::Session>> Registry::Acquire() {
  std::int64_t id = 0;
  std::string path;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto s = Refresh(); !s.ok()) return s.error();
    if (!idle_.empty()) {
      auto s = std::move(idle_.back());
      idle_.pop_back();
      return s;
    }
    id = current_->id;
    path = (std::filesystem::path(options_.dir) / current_->file).string();
  }
  auto session = std::make_unique<Session>();
  session->snapshot_id = id;
  auto reader = SnapshotReader::Open(path);
  if (!reader.ok()) return reader.error();
  auto hasher = IdentityHasher::Create(options_.key);
  if (!hasher.ok()) return hasher.error();
  auto meta = reader.value()->Meta();
  if (!meta.ok()) return meta.error();
  if (meta.value().key_fingerprint != hasher.value().Fingerprint()) {
    return MakeError(ErrorCode::kUnavailable,
                     "registry snapshot " + std::to_string(id) +
                         " was built with another registry key; import the file again");
  }
  session->reader = std::move(reader.value());
  session->hasher = std::make_unique<IdentityHasher>(std::move(hasher.value()));
  return session;
}

void Registry::Release(std::unique_ptr<Session> session) {
  if (!session) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (current_ && session->snapshot_id == current_->id && idle_.size() < kMaxIdle) {
    idle_.push_back(std::move(session));
  }
}

core::Result<SnapshotEntry> Registry::Current() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto s = Refresh(); !s.ok()) return s.error();
  return *current_;
}

core::Result<IdHash> Registry::Hash(std::string_view kind, std::string_view digits) {
  auto s = Acquire();
  if (!s.ok()) return s.error();
  Lease lease(*this, std::move(s.value()));
  return lease->hasher->Hash(kind, digits);
}

core::Result<std::optional<PersonRecord>> Registry::ByNik(std::string_view digits) {
  auto s = Acquire();
  if (!s.ok()) return s.error();
  Lease lease(*this, std::move(s.value()));
  auto rows = lease->reader->ByNikHash(lease->hasher->Hash("nik", digits));
  if (!rows.ok()) return rows.error();
  std::optional<PersonRecord> out;
  if (!rows.value().empty()) out = std::move(rows.value().front());
  return out;
}

core::Result<std::vector<PersonRecord>> Registry::ByKk(std::string_view digits) {
  auto s = Acquire();
  if (!s.ok()) return s.error();
  Lease lease(*this, std::move(s.value()));
  return lease->reader->ByKkHash(lease->hasher->Hash("kk", digits));
}

core::Result<std::vector<NameCandidate>> Registry::ByVillageAndName(std::int64_t village_code,
                                                                    std::string_view name,
                                                                    double min_score,
                                                                    std::size_t limit) {
  const std::string key = text::FoldForMatch(name);
  std::vector<NameCandidate> out;
  if (key.empty() || limit == 0) return out;
  auto s = Acquire();
  if (!s.ok()) return s.error();
  Lease lease(*this, std::move(s.value()));
  auto exact = lease->reader->ByVillage(village_code, key, limit * 4);
  if (!exact.ok()) return exact.error();
  for (auto& p : exact.value()) {
    if (p.name_key != key) continue;  // a longer name sharing the prefix
    out.push_back({std::move(p), 1.0});
    if (out.size() == limit) break;
  }
  if (!out.empty()) return out;
  auto all = lease->reader->ByVillage(village_code, "", kVillageScanLimit);
  if (!all.ok()) return all.error();
  for (auto& p : all.value()) {
    const double score = text::NameSimilarity(name, p.name);
    if (score >= min_score) out.push_back({std::move(p), score});
  }
  std::stable_sort(out.begin(), out.end(), [](const NameCandidate& a, const NameCandidate& b) {
    return a.score > b.score;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace satupintu::registry
