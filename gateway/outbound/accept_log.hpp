#pragma once
// The peers' acceptances, written down the moment each answer arrives (issue 19: fewer
// duplicates after a crash). A part is in flight from its claim until the store has recorded
// the peer's answer; a crash in between makes the next start send it again. The store's record
// waits for the sender's loop and a group commit (one fsync or more); this log takes one
// write(2) of a short line on the thread that read the answer, which a SIGKILL cannot undo
// once it has returned. At the next start the parts it names that are still in flight are
// recorded as sent (with the peer's id) instead of being sent again.
//
// Two files, `<base>.a` and `<base>.b`, take turns: lines go to the current one; once it has
// grown past a size, the other becomes current as soon as every line it holds has been
// recorded in the store, and is emptied first. So the files stay small while parts flow, and
// no line leaves before its record has committed. A line holds a part id, the peer's message
// id and a checksum; no personal data. A line cut by a power loss or damaged fails its
// checksum and is skipped: that part is sent again, as without the log. Never a skip: a line is
// written only for an answer the peer gave. The part ids belong to the store beside the files:
// `satupintu restore` removes them with the store it replaces (gateway/backup/backup.cpp).
//
// Offers (issue 20): the sender also writes a short line just before it hands a part to the
// peer, and releases it when the peer has answered. At the next start a part still in flight
// with no offer line and no acceptance never left us (it waited in the sender for a token when
// the process died): it goes back to the queue whatever its message's policy, so a bulk part
// is neither held as 'unknown' nor lost. This inference is made only when the files carry the
// marker line every file gets before its first line (a log written by a binary that logged
// offers).
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "outbox/outbox_store.hpp"

namespace satupintu::outbound {

class AcceptLog {
 public:
  using Entry = outbox::AcceptedPart;
  // What Append returns: which file holds the line, for Recorded. Negative: not written.
  using Ticket = int;

  // Opens (creating, owner-only) both files beside `base` (the store's path), keeping what
  // they hold. `rotate_bytes`: the size past which the other file takes over.
  static core::Result<std::unique_ptr<AcceptLog>> Open(const std::string& base,
                                                       std::size_t rotate_bytes = 256 * 1024);
  // Every valid line of both files (a previous run's acceptances). Missing files: none.
  static core::Result<std::vector<Entry>> Read(const std::string& base);
  struct Contents {
    std::vector<Entry> accepted;
    std::vector<std::int64_t> offered;  // parts handed to a peer that had not answered
    bool offers_logged = false;         // the files carry the marker: offers were logged
  };
  static core::Result<Contents> ReadAll(const std::string& base);
  ~AcceptLog();
  AcceptLog(const AcceptLog&) = delete;
  AcceptLog& operator=(const AcceptLog&) = delete;

  // Appends one line. Thread-safe. An id with a byte outside printable ASCII or a space is not
  // written (error): the part is then as without the log.
  core::Result<Ticket> Append(std::int64_t part_id, std::string_view provider_message_id);
  // Appends the offer of a part, before it goes to the peer; Recorded(ticket) once the peer
  // answered. Thread-safe.
  core::Result<Ticket> Offer(std::int64_t part_id);
  // The store has recorded the part behind `ticket` (or it needs no record any more).
  void Recorded(Ticket ticket);
  // Empties both files: at start-up, once their entries are in the store.
  core::Status Clear();

  // Lines not yet recorded, and the files' bytes (for tests and metrics).
  int outstanding() const;
  std::size_t bytes() const;

 private:
  AcceptLog(std::string base, int fd_a, int fd_b, std::size_t rotate_bytes);
  void MaybeRotate();  // with mutex_ held
  // Writes `line` to the current file (the marker first into an empty file); mutex_ held.
  core::Result<Ticket> Write(const std::string& line);

  const std::string base_;
  mutable std::mutex mutex_;
  int fds_[2];
  std::size_t sizes_[2] = {0, 0};
  int outstanding_[2] = {0, 0};
  int current_ = 0;
  const std::size_t rotate_bytes_;
};

// The line for one entry, and its parse (nullopt for a damaged or cut line); for tests.
std::string AcceptLine(std::int64_t part_id, std::string_view provider_message_id);
std::optional<AcceptLog::Entry> ParseAcceptLine(std::string_view line);
std::string OfferLine(std::int64_t part_id);

}  // namespace satupintu::outbound
