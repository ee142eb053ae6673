#include "cli/subject_cli.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <string>

#include "cli/context.hpp"
#include "core/clock.hpp"
#include "registry/identity_hash.hpp"
#include "subject/subject.hpp"

namespace satupintu::cli {
namespace {

// The NIK hasher with the registry's key file (tickets hold only this hash of a NIK); empty
// when the key file cannot be read, so a --nik request says why.
subject::NikHasher HasherFor(const config::Config& config) {
  auto key = registry::LoadOrCreateKey(config.registry.hash_key_file, false);
  if (!key.ok()) return {};
  auto hasher = registry::IdentityHasher::Create(key.value());
  if (!hasher.ok()) return {};
  auto shared = std::make_shared<registry::IdentityHasher>(std::move(hasher).value());
  return [shared](std::string_view digits) -> core::Result<std::string> {
    return registry::HexOf(shared->Hash("nik", digits));
  };
}

// What every subject command checks before it opens the store: --purpose, --by, one of --nik
// and --phone. Prints the problem and returns false.
bool CheckFlags(const Args& flags, const char* command) {
  if (flags.Get("purpose").empty() || flags.Get("by").empty()) {
    std::fprintf(stderr,
                 "satupintu: subject %s needs --purpose TEXT and --by NAME (they go to the audit "
                 "log)\n",
                 command);
    return false;
  }
  if (flags.Get("nik").empty() == flags.Get("phone").empty()) {
    std::fprintf(stderr, "satupintu: subject %s needs --nik N or --phone P (one of them)\n",
                 command);
    return false;
  }
  return true;
}

subject::Request RequestOf(const Args& flags) {
  subject::Request r;
  r.actor = CliActor();
  r.by = flags.Get("by");
  r.purpose = flags.Get("purpose");
  return r;
}

// Runs `work` on the person the flags name inside one write transaction, committed when `work`
// returns 0 or 1 with `commit` set (a refusal keeps its audit row), rolled back otherwise.
int OnSubject(const Args& flags, const char* command,
              const std::function<int(storage::Db&, const subject::Subject&, bool* commit)>& work) {
  if (!CheckFlags(flags, command)) return 2;
  return WithStore(flags, [&](const config::Config& config, storage::Db& db) {
    subject::NikHasher hasher;
    if (!flags.Get("nik").empty()) hasher = HasherFor(config);
    auto key = subject::MakeKey(flags.Get("nik"), flags.Get("phone"), hasher);
    if (!key.ok()) {
      std::fprintf(stderr, "satupintu: %s\n", key.error().message.c_str());
      return key.error().code == core::ErrorCode::kInvalidArgument ? 2 : 1;
    }
    if (auto s = db.Exec("BEGIN IMMEDIATE"); !s.ok()) {
      std::fprintf(stderr, "satupintu: %s\n", s.error().message.c_str());
      return 1;
    }
    auto found = subject::Find(db, key.value());
    int code = 1;
    bool commit = false;
    if (!found.ok()) {
      std::fprintf(stderr, "satupintu: %s\n", found.error().message.c_str());
    } else {
      code = work(db, found.value(), &commit);
    }
    if (commit) {
      if (auto s = db.Exec("COMMIT"); !s.ok()) {
        std::fprintf(stderr, "satupintu: %s\n", s.error().message.c_str());
        (void)db.Exec("ROLLBACK");
        return 1;
      }
    } else {
      (void)db.Exec("ROLLBACK");
    }
    return code;
  });
}

// Writes `text` to a new or replaced file readable by its owner only.
core::Status WritePrivateFile(const std::string& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return core::MakeError(core::ErrorCode::kUnavailable,
                           "cannot write " + path + ": " + std::strerror(errno));
  }
  bool ok = ::fchmod(fd, 0600) == 0;
  std::size_t done = 0;
  while (ok && done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ::fsync(fd) == 0 && ok;
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    return core::MakeError(core::ErrorCode::kUnavailable,
                           "cannot write " + path + ": " + std::strerror(errno));
  }
  return {};
}

}  // namespace

int SubjectExport(const Args& flags) {
  std::string document;
  const std::string out = flags.Get("out");
  const int code =
      OnSubject(flags, "export", [&](storage::Db& db, const subject::Subject& s, bool* commit) {
        auto doc = subject::Export(db, s, RequestOf(flags), core::NowMs());
        if (!doc.ok()) {
          std::fprintf(stderr, "satupintu: %s\n", doc.error().message.c_str());
          return doc.error().code == core::ErrorCode::kInvalidArgument ? 2 : 1;
        }
        // The file before the commit: no audit row for an export nobody received.
        if (!out.empty()) {
          if (auto w = WritePrivateFile(out, doc.value() + "\n"); !w.ok()) {
            std::fprintf(stderr, "satupintu: %s\n", w.error().message.c_str());
            return 1;
          }
        }
        *commit = true;
        document = std::move(doc).value();
        if (s.Empty()) {
          std::fprintf(stderr, "satupintu: nothing is held about %s\n", s.key.reference.c_str());
          return 1;
        }
        return 0;
      });
  if (!document.empty() && out.empty()) std::printf("%s\n", document.c_str());
  if (code == 0 && !out.empty()) std::printf("%s written (mode 0600)\n", out.c_str());
  return code;
}

int SubjectErase(const Args& flags) {
  subject::EraseOptions options;
  options.force = flags.Has("force");
  options.legal_basis = flags.Get("legal-basis");
  if (options.force && options.legal_basis.empty()) {
    std::fprintf(stderr, "satupintu: subject erase --force needs --legal-basis TEXT\n");
    return 2;
  }
  return OnSubject(flags, "erase", [&](storage::Db& db, const subject::Subject& s, bool* commit) {
    auto r = subject::Erase(db, s, RequestOf(flags), options, core::NowMs());
    if (!r.ok()) {
      std::fprintf(stderr, "satupintu: %s\n", r.error().message.c_str());
      return r.error().code == core::ErrorCode::kInvalidArgument ? 2 : 1;
    }
    *commit = true;
    const subject::EraseReport& report = r.value();
    if (s.Empty()) {
      std::fprintf(stderr, "satupintu: nothing is held about %s\n", s.key.reference.c_str());
      return 1;
    }
    if (report.refused) {
      std::fprintf(stderr,
                   "satupintu: %d ticket(s) of %s still open: erasure held (close them first, or "
                   "--force --legal-basis TEXT)\n",
                   report.open_tickets, s.key.reference.c_str());
      return 1;
    }
    std::printf(
        "%s erased: %d ticket(s) anonymised, %d citizen(s) deleted, %d kept (tickets of another "
        "NIK), %d sent message(s) cleared\n",
        s.key.reference.c_str(), report.tickets_anonymised, report.citizens_deleted,
        report.citizens_kept, report.messages_forgotten);
    return 0;
  });
}

int SubjectRestrict(const Args& flags) {
  const bool lift = flags.Has("lift");
  return OnSubject(
      flags, "restrict", [&](storage::Db& db, const subject::Subject& s, bool* commit) {
        auto n =
            lift ? subject::Lift(db, s, RequestOf(flags), core::NowMs())
                 : subject::Restrict(db, s, RequestOf(flags), flags.Get("reason"), core::NowMs());
        if (!n.ok()) {
          std::fprintf(stderr, "satupintu: %s\n", n.error().message.c_str());
          return n.error().code == core::ErrorCode::kInvalidArgument ? 2 : 1;
        }
        *commit = true;
        if (s.citizen_ids.empty()) {
          std::fprintf(stderr, "satupintu: no citizen is known for %s\n", s.key.reference.c_str());
          return 1;
        }
        std::printf("%s: %d citizen(s) %s\n", s.key.reference.c_str(), n.value(),
                    lift ? "no longer restricted" : "restricted");
        return 0;
      });
}

}  // namespace satupintu::cli
