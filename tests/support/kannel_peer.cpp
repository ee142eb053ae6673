#include "support/kannel_peer.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <csignal>

#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/http_client.hpp"

namespace satupintu::testing {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr char kBearerbox[] = "/usr/sbin/bearerbox";
constexpr char kSmsbox[] = "/usr/sbin/smsbox";
constexpr char kFakeSmsc[] = "/usr/lib/kannel/test/fakesmsc";
// bearerbox answers its admin port within about half a second on a quiet machine; the
// bounds leave room for a loaded CI box.
constexpr milliseconds kStartTimeout{20000};
constexpr milliseconds kInjectTimeout{10000};
constexpr std::size_t kLogTail = 6000;

std::string Tail(const std::string& text) {
  return text.size() <= kLogTail ? text : "..." + text.substr(text.size() - kLogTail);
}

// Everything but RFC 3986 unreserved characters as %XX: fakesmsc's "ucs2" and "udh-text"
// fields are URL-decoded by Kannel and must not contain spaces.
std::string UrlEncode(std::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Kannel's octstr_url_encode: %XX, and '+' for a space.
std::string UrlDecode(std::string_view in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out.push_back(' ');
    } else if (in[i] == '%' && i + 2 < in.size() && HexValue(in[i + 1]) >= 0 &&
               HexValue(in[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2])));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

void AppendUtf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

void AppendUnit(std::string& out, std::uint32_t unit) {
  out.push_back(static_cast<char>((unit >> 8) & 0xFF));
  out.push_back(static_cast<char>(unit & 0xFF));
}

// "Got message 3: <DINSOS +62812... udh %05%00%03%01%03%01 data %00P...>"
bool ParseLine(std::string_view line, FakeSmscMessage& out) {
  const std::size_t open = line.find('<');
  const std::size_t close = line.rfind('>');
  if (open == std::string_view::npos || close == std::string_view::npos || close <= open) {
    return false;
  }
  std::string_view body = line.substr(open + 1, close - open - 1);
  auto next_word = [&body]() {
    const std::size_t space = body.find(' ');
    std::string_view word = body.substr(0, space);
    body = space == std::string_view::npos ? std::string_view() : body.substr(space + 1);
    return std::string(word);
  };
  out.sender = next_word();
  out.receiver = next_word();
  out.type = next_word();
  if (out.type == "text") {
    out.data = std::string(body);
    out.text = out.data;
  } else if (out.type == "ucs-2") {
    out.data = UrlDecode(body);
    out.text = Utf16BeToUtf8(out.data);
  } else if (out.type == "udh") {
    out.udh = UrlDecode(next_word());
    // The payload's own type: "data" is URL-encoded, "text" printed as is.
    out.data = next_word() == "text" ? std::string(body) : UrlDecode(body);
    const std::string& u = out.udh;
    if (u.size() >= 6 && u[1] == '\x00' && u[2] == '\x03') {
      out.concat_ref = static_cast<unsigned char>(u[3]);
      out.concat_total = static_cast<unsigned char>(u[4]);
      out.concat_seq = static_cast<unsigned char>(u[5]);
    }
  } else {
    out.data = UrlDecode(body);
  }
  return true;
}

}  // namespace

// Free loopback ports: all bound at once (so they differ), then released for Kannel.
std::vector<std::uint16_t> FreeLoopbackPorts(std::size_t count) {
  std::vector<int> fds;
  std::vector<std::uint16_t> ports;
  for (std::size_t i = 0; i < count; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      if (fd >= 0) ::close(fd);
      for (int f : fds) ::close(f);
      throw std::runtime_error("no free loopback port");
    }
    fds.push_back(fd);
    ports.push_back(ntohs(addr.sin_port));
  }
  for (int f : fds) ::close(f);
  return ports;
}

std::string Utf8ToUtf16Be(std::string_view utf8) {
  std::string out;
  std::size_t i = 0;
  while (i < utf8.size()) {
    const auto b = static_cast<unsigned char>(utf8[i]);
    std::size_t len = b < 0x80         ? 1
                      : (b >> 5) == 6  ? 2
                      : (b >> 4) == 14 ? 3
                      : (b >> 3) == 30 ? 4
                                       : 0;
    std::uint32_t cp = 0xFFFD;
    if (len == 0 || i + len > utf8.size()) {
      len = 1;
    } else {
      cp = len == 1 ? b : b & (0x7F >> len);
      for (std::size_t k = 1; k < len; ++k) {
        cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
      }
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      AppendUnit(out, 0xD800 + (cp >> 10));
      AppendUnit(out, 0xDC00 + (cp & 0x3FF));
    } else {
      AppendUnit(out, cp);
    }
  }
  return out;
}

std::string Utf16BeToUtf8(std::string_view utf16be) {
  std::string out;
  auto unit_at = [&](std::size_t i) {
    return static_cast<std::uint32_t>((static_cast<unsigned char>(utf16be[i]) << 8) |
                                      static_cast<unsigned char>(utf16be[i + 1]));
  };
  for (std::size_t i = 0; i + 1 < utf16be.size(); i += 2) {
    std::uint32_t cp = unit_at(i);
    if (cp >= 0xD800 && cp < 0xDC00 && i + 3 < utf16be.size()) {
      const std::uint32_t low = unit_at(i + 2);
      if (low >= 0xDC00 && low < 0xE000) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      } else {
        cp = 0xFFFD;
      }
    } else if (cp >= 0xD800 && cp < 0xE000) {
      cp = 0xFFFD;
    }
    AppendUtf8(out, cp);
  }
  if (utf16be.size() % 2 != 0) AppendUtf8(out, 0xFFFD);
  return out;
}

std::string JoinParts(const std::vector<FakeSmscMessage>& parts) {
  if (parts.empty() || parts.front().concat_total == 0) return {};
  const int ref = parts.front().concat_ref;
  const int total = parts.front().concat_total;
  std::map<int, std::string> by_seq;
  for (const FakeSmscMessage& m : parts) {
    if (m.concat_ref == ref && m.concat_total == total) by_seq[m.concat_seq] = m.data;
  }
  std::string out;
  for (int seq = 1; seq <= total; ++seq) {
    auto it = by_seq.find(seq);
    if (it == by_seq.end()) return {};
    out += it->second;
  }
  return out;
}

KannelPeer::KannelPeer(const TempDir& dir, KannelPeerOptions options)
    : dir_(dir), options_(std::move(options)) {
  // A fixed sendsms port is free right now too, so it may be among the free ones: skip it.
  std::vector<std::uint16_t> ports = FreeLoopbackPorts(6);
  std::erase(ports, options_.sendsms_port);
  admin_port_ = ports[0];
  smsbox_port_ = ports[1];
  sendsms_port_ = options_.sendsms_port != 0 ? options_.sendsms_port : ports[2];
  mt_port_ = ports[3];
  mo_port_ = ports[4];
  conf_path_ = dir_.File("kannel.conf");
  WriteFile(conf_path_, ConfigText());

  const auto started = Clock::now();
  auto fail = [this](const std::string& what) {
    std::ostringstream message;
    message << "KannelPeer: " << what << "\n--- bearerbox.log\n"
            << Tail(ReadFile(dir_.File("bearerbox.log"))) << "\n--- smsbox.log\n"
            << Tail(ReadFile(dir_.File("smsbox.log"))) << "\n--- fakesmsc.log\n"
            << Tail(ReadFile(dir_.File("fakesmsc.log")));
    throw std::runtime_error(message.str());
  };

  bearerbox_ = std::make_unique<Child>(std::vector<std::string>{kBearerbox, conf_path_},
                                       dir_.File("bearerbox.log"));
  // smsbox gives up at once (PANIC) when bearerbox's box port is not listening yet, so
  // bearerbox must answer its admin port before smsbox starts.
  if (!WaitUntil([&] { return !bearerbox_->running() || !Status().empty(); }, kStartTimeout) ||
      !bearerbox_->running()) {
    fail("bearerbox did not start");
  }
  smsbox_ = std::make_unique<Child>(std::vector<std::string>{kSmsbox, conf_path_},
                                    dir_.File("smsbox.log"));
  const bool smsbox_up = WaitUntil(
      [&] {
        if (!smsbox_->running()) return true;
        return Status().find("smsbox:") != std::string::npos &&
               Get(sendsms_port_, "/cgi-bin/sendsms").status != 0;
      },
      kStartTimeout);
  if (!smsbox_up || !smsbox_->running()) fail("smsbox did not connect to bearerbox");

  // -m 0 with a placeholder message: never sends, prints every SMS it receives. (Without a
  // message fakesmsc reads MO from stdin and quits at its end.)
  fakesmsc_ = std::make_unique<Child>(
      std::vector<std::string>{kFakeSmsc, "-H", "127.0.0.1", "-r", std::to_string(mt_port_), "-m",
                               "0", "0 0 text unused"},
      dir_.File("fakesmsc.log"));
  const std::string online = "FAKE:" + std::to_string(mt_port_) + " (online";
  if (!WaitUntil(
          [&] { return !fakesmsc_->running() || Status().find(online) != std::string::npos; },
          kStartTimeout) ||
      !fakesmsc_->running()) {
    fail("the fake SMSC did not come online");
  }
  startup_time_ = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
}

KannelPeer::~KannelPeer() {
  if (::testing::Test::HasFailure()) PrintLogs();
  fakesmsc_.reset();
  smsbox_.reset();
  bearerbox_.reset();
}

void KannelPeer::PrintLogs() const {
  std::cerr << "--- kannel.conf\n" << ReadFile(conf_path_);
  for (const char* name : {"bearerbox.log", "smsbox.log", "fakesmsc.log"}) {
    std::cerr << "--- " << name << " (tail)\n" << Tail(ReadFile(dir_.File(name))) << "\n";
  }
  for (int i = 1; i <= mo_runs_; ++i) {
    const std::string name = "fakesmsc-mo-" + std::to_string(i) + ".log";
    std::cerr << "--- " << name << "\n" << Tail(ReadFile(dir_.File(name))) << "\n";
  }
}

std::string KannelPeer::ConfigText() const {
  const std::string sid = smsc_id_;
  std::ostringstream c;
  c << "# written by tests/support/kannel_peer.cpp\n"
    << "group = core\n"
    << "admin-port = " << admin_port_ << "\n"
    << "admin-interface = 127.0.0.1\n"
    << "admin-password = " << admin_password_ << "\n"
    << "admin-allow-ip = 127.0.0.1\n"
    << "smsbox-port = " << smsbox_port_ << "\n"
    << "smsbox-interface = 127.0.0.1\n"
    << "box-allow-ip = 127.0.0.1\n"
    << "dlr-storage = internal\n"
    << "log-file = \"" << dir_.File("bearerbox.file.log") << "\"\n"
    << "log-level = 2\n"
    << "\n# MT: the long-running fakesmsc prints what Kannel sends here.\n"
    << "group = smsc\n"
    << "smsc = fake\n"
    << "smsc-id = " << sid << "\n"
    << "allowed-smsc-id = " << sid << "\n"
    << "our-host = 127.0.0.1\n"
    << "port = " << mt_port_ << "\n"
    << "connect-allow-ip = 127.0.0.1\n"
    << "\n# MO only: SendMo's short fakesmsc runs connect here; never routes MT.\n"
    << "group = smsc\n"
    << "smsc = fake\n"
    << "smsc-id = " << sid << "\n"
    << "allowed-smsc-id = mo-injector-only\n"
    << "our-host = 127.0.0.1\n"
    << "port = " << mo_port_ << "\n"
    << "connect-allow-ip = 127.0.0.1\n"
    << "\ngroup = smsbox\n"
    << "bearerbox-host = 127.0.0.1\n"
    << "bearerbox-port = " << smsbox_port_ << "\n"
    << "sendsms-port = " << sendsms_port_ << "\n"
    << "sendsms-interface = 127.0.0.1\n"
    << "log-file = \"" << dir_.File("smsbox.file.log") << "\"\n"
    << "log-level = 2\n"
    << "mo-recode = false\n"
    << "http-request-retry = 3\n"
    << "reply-couldnotfetch = \"\"\n"
    << "reply-couldnotrepresent = \"\"\n"
    << "reply-requestfailed = \"\"\n"
    << "reply-emptymessage = \"\"\n"
    << "\ngroup = sendsms-user\n"
    << "username = " << username_ << "\n"
    << "password = " << password_ << "\n"
    << "user-allow-ip = 127.0.0.1\n"
    << "max-messages = " << options_.sendsms_max_messages << "\n"
    << "concatenation = true\n"
    << "default-smsc = " << sid << "\n";
  if (!options_.default_sender.empty()) c << "default-sender = " << options_.default_sender << "\n";
  c << "\ngroup = sms-service\n"
    << "keyword = default\n"
    << "catch-all = true\n"
    << "max-messages = 0\n"
    << "omit-empty = true\n"
    << "accept-x-kannel-headers = true\n"
    << "concatenation = true\n";
  if (options_.post) {
    c << "post-url = \"" << options_.mo_url << "\"\n"
      << "send-sender = true\n";
  } else {
    c << "get-url = \"" << options_.mo_url << "\"\n";
  }
  return c.str();
}

std::string KannelPeer::SendSmsUrl() const {
  return "http://127.0.0.1:" + std::to_string(sendsms_port_) + "/cgi-bin/sendsms";
}

std::string KannelPeer::Status() const {
  RequestOptions o;
  o.target = "/status.txt?password=" + admin_password_;
  o.timeout = milliseconds(2000);
  const ClientResponse r = Send(admin_port_, o);
  return r.status == 200 ? r.body : std::string();
}

core::Status KannelPeer::SendMo(const std::string& from, const std::string& to,
                                const std::string& text) {
  if (text.find_first_of("\r\n") != std::string::npos) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "fakesmsc text is one line");
  }
  return Inject(from + " " + to + " text " + text);
}

core::Status KannelPeer::SendMoUcs2(const std::string& from, const std::string& to,
                                    const std::string& utf8) {
  return Inject(from + " " + to + " ucs2 " + UrlEncode(Utf8ToUtf16Be(utf8)));
}

core::Status KannelPeer::SendMoUdh(const std::string& from, const std::string& to,
                                   const std::string& udh, const std::string& text) {
  if (text.find_first_of("\r\n") != std::string::npos) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "fakesmsc text is one line");
  }
  // udh-text: the UDH URL-encoded, the text as is up to the end of the line.
  return Inject(from + " " + to + " udh-text " + UrlEncode(udh) + " " + text);
}

core::Status KannelPeer::SendMoData(const std::string& from, const std::string& to,
                                    const std::string& bytes) {
  return Inject(from + " " + to + " data " + UrlEncode(bytes));
}

core::Status KannelPeer::Inject(const std::string& line) {
  const std::string log = dir_.File("fakesmsc-mo-" + std::to_string(++mo_runs_) + ".log");
  Child child({kFakeSmsc, "-H", "127.0.0.1", "-r", std::to_string(mo_port_), "-m", "1", line}, log);
  // fakesmsc keeps its connection open after the last message (to print replies); the fake
  // SMSC serves one client at a time, so it is stopped once the line is written. Kannel reads
  // what was written before it sees the end of the connection.
  const bool sent = WaitUntil(
      [&] { return !child.running() || ReadFile(log).find("sent message 1") != std::string::npos; },
      kInjectTimeout);
  child.Signal(SIGINT);
  const int code = child.Wait(milliseconds(5000));
  if (!sent || ReadFile(log).find("sent message 1") == std::string::npos) {
    return core::MakeError(core::ErrorCode::kUnavailable, "fakesmsc did not send the MO",
                           Tail(ReadFile(log)));
  }
  if (code != 0) {
    return core::MakeError(core::ErrorCode::kInternal, "fakesmsc did not stop cleanly",
                           "exit " + std::to_string(code));
  }
  return {};
}

std::vector<FakeSmscMessage> KannelPeer::Received() const {
  std::vector<FakeSmscMessage> out;
  std::istringstream log(ReadFile(dir_.File("fakesmsc.log")));
  std::string line;
  while (std::getline(log, line)) {
    if (line.find("Got message ") == std::string::npos) continue;
    FakeSmscMessage message;
    if (ParseLine(line, message)) out.push_back(std::move(message));
  }
  return out;
}

std::vector<FakeSmscMessage> KannelPeer::WaitForReceived(std::size_t count,
                                                         milliseconds timeout) const {
  std::vector<FakeSmscMessage> got;
  WaitUntil(
      [&] {
        got = Received();
        return got.size() >= count;
      },
      timeout);
  return got;
}

}  // namespace satupintu::testing
