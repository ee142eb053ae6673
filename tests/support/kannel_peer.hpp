#pragma once
// A real Kannel 1.4.5 (Debian `kannel`, `kannel-extras`) for tests: bearerbox, smsbox and the
// fake SMSC client `fakesmsc` as child processes on 127.0.0.1, configured in a TempDir.
//
// bearerbox has two `smsc = fake` groups with the same smsc-id: one for MT, where a
// long-running fakesmsc prints every SMS Kannel sends, and one that only injects MO (each
// SendMo runs `fakesmsc -m 1` there). Kannel's fake SMSC serves one client at a time, so the
// two roles cannot share a port; the injecting group refuses MT through allowed-smsc-id.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "support/process.hpp"

namespace satupintu::testing {

// One line fakesmsc printed for an SMS Kannel sent ("Got message N: <...>").
struct FakeSmscMessage {
  std::string sender;
  std::string receiver;
  // As Kannel's fake SMSC wrote it: "text" (single GSM-7 part, UTF-8 as is), "ucs-2" (single
  // UCS-2 part, URL-encoded UTF-16BE) or "udh" (a part with a UDH, any coding).
  std::string type;
  std::string udh;   // raw UDH bytes for "udh"
  std::string data;  // payload bytes, URL-decoded (UTF-16BE for UCS-2)
  std::string text;  // UTF-8 for "text" and "ucs-2"; empty for "udh" (its coding is not printed)
  // From an 8-bit-reference concatenation UDH (05 00 03 ref total seq); 0 without one.
  int concat_ref = 0;
  int concat_total = 0;
  int concat_seq = 0;
};

struct KannelPeerOptions {
  // The sms-service URL, with Kannel's escapes (%p, %b, ...) left in.
  std::string mo_url;
  bool post = false;  // post-url (and send-sender) instead of get-url
  int sendsms_max_messages = 6;
  std::string default_sender;  // sendsms-user default-sender; empty: requests must set from
  // smsbox's sendsms port; 0 picks a free one. A fixed port lets a test bring Kannel back
  // where a client already points (Kannel down, then up again).
  std::uint16_t sendsms_port = 0;
};

class KannelPeer {
 public:
  // Writes kannel.conf into `dir`, starts bearerbox, smsbox and the MT fakesmsc and waits
  // (bounded) until smsbox is connected and the fake SMSC online. Throws std::runtime_error
  // with the logs' tails when Kannel does not come up.
  KannelPeer(const TempDir& dir, KannelPeerOptions options);
  // Kills every child; prints the logs when the current test has failed.
  ~KannelPeer();
  KannelPeer(const KannelPeer&) = delete;
  KannelPeer& operator=(const KannelPeer&) = delete;

  // One MO through `fakesmsc -m 1`: GSM text as is (no line breaks), UCS-2 from UTF-8, or
  // text behind a UDH (a concatenated part; Kannel reassembles them by default).
  core::Status SendMo(const std::string& from, const std::string& to, const std::string& text);
  core::Status SendMoUcs2(const std::string& from, const std::string& to, const std::string& utf8);
  core::Status SendMoUdh(const std::string& from, const std::string& to, const std::string& udh,
                         const std::string& text);
  // 8-bit data (coding 1, e.g. a ringtone or a WAP push): no text to read.
  core::Status SendMoData(const std::string& from, const std::string& to, const std::string& bytes);

  // Every SMS Kannel has sent so far, in order.
  std::vector<FakeSmscMessage> Received() const;
  // Received() once it holds at least `count` messages, or whatever arrived by `timeout`.
  std::vector<FakeSmscMessage> WaitForReceived(std::size_t count,
                                               std::chrono::milliseconds timeout) const;

  std::string SendSmsUrl() const;  // http://127.0.0.1:<port>/cgi-bin/sendsms
  std::uint16_t sendsms_port() const { return sendsms_port_; }
  std::uint16_t admin_port() const { return admin_port_; }
  const std::string& username() const { return username_; }
  const std::string& password() const { return password_; }
  const std::string& smsc_id() const { return smsc_id_; }
  const std::string& admin_password() const { return admin_password_; }
  // The kannel.conf in use. Each box logs everything (debug) to <box>.log in the TempDir
  // through its stderr, and at log-level 2 (warning, the level deploy/kannel.md recommends)
  // to <box>.file.log.
  std::string ConfigText() const;
  // bearerbox's /status.txt, or empty.
  std::string Status() const;
  // Start-up time from spawning bearerbox to the fake SMSC being online.
  std::chrono::milliseconds startup_time() const { return startup_time_; }

 private:
  core::Status Inject(const std::string& line);
  void PrintLogs() const;

  const TempDir& dir_;
  KannelPeerOptions options_;
  std::uint16_t admin_port_ = 0;
  std::uint16_t smsbox_port_ = 0;
  std::uint16_t sendsms_port_ = 0;
  std::uint16_t mt_port_ = 0;
  std::uint16_t mo_port_ = 0;
  std::string username_ = "satupintu";
  std::string password_ = "kNl-peer-Pw7";
  std::string admin_password_ = "kNl-admin-4q";
  std::string smsc_id_ = "modem1";
  std::string conf_path_;
  int mo_runs_ = 0;
  std::chrono::milliseconds startup_time_{0};
  // Declared in start order: destroyed (SIGKILLed) in reverse.
  std::unique_ptr<Child> bearerbox_;
  std::unique_ptr<Child> smsbox_;
  std::unique_ptr<Child> fakesmsc_;
};

// `count` distinct ports free on 127.0.0.1 right now (bound together, then released).
std::vector<std::uint16_t> FreeLoopbackPorts(std::size_t count);

// UTF-8 <-> UTF-16BE for SMS payloads (invalid input becomes U+FFFD).
std::string Utf8ToUtf16Be(std::string_view utf8);
std::string Utf16BeToUtf8(std::string_view utf16be);

// The concatenated parts' payloads joined in sequence order (all parts of the first
// reference seen); empty when a part is missing.
std::string JoinParts(const std::vector<FakeSmscMessage>& parts);

}  // namespace satupintu::testing
