// The Kannel adapter against a real Kannel 1.4.5 (bearerbox + smsbox + fakesmsc, see
// tests/support/kannel_peer.hpp). A FakeServer on loopback stands in for satupintu's private
// listener: Kannel fetches its MO get-url/post-url and our dlr-url there, and the test hands
// each recorded request to the adapter exactly as the gateway will.

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/kannel/classify.hpp"
#include "adapters/kannel/config.hpp"
#include "adapters/kannel/send.hpp"
#include "adapters/kannel/webhook.hpp"
#include "adapters/sms/analysis.hpp"
#include "fakes/fake_server.hpp"
#include "support/http_client.hpp"
#include "support/kannel_peer.hpp"
#include "support/process.hpp"

namespace satupintu::testing {
namespace {

namespace kannel = adapters::kannel;
using adapters::DeliveryState;
using adapters::MessageKind;
using adapters::SendVerdict;
using fakes::FakeResponse;
using fakes::FakeServer;
using fakes::RecordedRequest;
using std::chrono::milliseconds;

constexpr char kSecret[] = "sp-kannel_peer-Hq8Vw3";
constexpr char kCitizen[] = "6281234567890";
constexpr char kShortCode[] = "6281100000000";
constexpr milliseconds kWait{10000};
// How long a reply SMS Kannel might wrongly send would take to show up: it comes straight
// after the fetch, so a second is generous on loopback.
constexpr milliseconds kNoReplyWait{1500};

constexpr char kPkh[] = "Sudah 3 bulan bantuan PKH belum cair, mohon dicek ya pak \xF0\x9F\x99\x8F";

// Answers every request like satupintu does for Kannel: what ParseMo/ParseDlr return.
class Satupintu {
 public:
  Satupintu() : server_([this](const RecordedRequest& r) { return Answer(r); }) {}

  std::string MoUrl(bool post) const {
    const std::string base = server_.BaseUrl() + "/kannel/dinsos/mo?";
    const std::string fields =
        post ? "from=%p&ts=%T&id=%I&smsc=%i&coding=%c"
             : "from=%p&to=%P&text=%b&coding=%c&charset=%C&ts=%T&id=%I&smsc=%i";
    return base + fields + "&secret=" + kSecret;
  }

  kannel::Config ConfigFor(const KannelPeer& peer) const {
    kannel::Config config;
    config.sendsms_url = peer.SendSmsUrl();
    config.username = peer.username();
    config.password = peer.password();
    config.smsc = peer.smsc_id();
    config.from = "DINSOS";
    config.shared_secret = kSecret;
    config.dlr_url_base = server_.BaseUrl() + "/kannel/dinsos/dlr";
    return config;
  }

  // Scripted answers replace the adapter's (to show what Kannel does with other bodies).
  FakeServer& server() { return server_; }

  // The adapter's verdicts, in arrival order.
  std::vector<adapters::ParsedRequest> Parsed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return parsed_;
  }

  // FakeServer records a request before its handler runs: wait for the verdicts themselves.
  bool WaitForParsed(std::size_t count, milliseconds timeout) const {
    std::unique_lock<std::mutex> lock(mutex_);
    return parsed_cv_.wait_for(lock, timeout, [&] { return parsed_.size() >= count; });
  }

  void set_config(kannel::Config config) {
    std::lock_guard<std::mutex> lock(mutex_);
    config_ = std::move(config);
  }

 private:
  FakeResponse Answer(const RecordedRequest& r) {
    adapters::IncomingHttp in;
    in.method = r.method;
    const std::size_t q = r.target.find('?');
    in.path = r.target.substr(0, q);
    in.query = q == std::string::npos ? "" : r.target.substr(q + 1);
    for (const auto& [name, value] : r.headers) {
      std::string lower = name;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      in.headers.emplace_back(lower, value);
    }
    in.body = r.body;
    in.remote_address = "127.0.0.1";  // FakeServer listens on loopback only
    std::lock_guard<std::mutex> lock(mutex_);
    adapters::ParsedRequest parsed =
        in.path.ends_with("/dlr") ? kannel::ParseDlr(config_, in) : kannel::ParseMo(config_, in);
    FakeResponse out{
        parsed.http_status, parsed.response_body, {{"Content-Type", parsed.content_type}}};
    parsed_.push_back(std::move(parsed));
    parsed_cv_.notify_all();
    return out;
  }

  mutable std::mutex mutex_;
  mutable std::condition_variable parsed_cv_;
  kannel::Config config_;
  std::vector<adapters::ParsedRequest> parsed_;
  FakeServer server_;  // last: its thread calls Answer, which uses the members above
};

// Performs the adapter's HttpCall on loopback, as the shared sender will.
ClientResponse Perform(const adapters::HttpCall& call) {
  const std::string prefix = "http://127.0.0.1:";
  EXPECT_EQ(call.url.rfind(prefix, 0), 0u) << "not a loopback URL";
  const std::size_t slash = call.url.find('/', prefix.size());
  RequestOptions o;
  o.method = call.method;
  o.target = call.url.substr(slash);
  o.headers = call.headers;
  o.body = call.body;
  const int port = std::atoi(call.url.substr(prefix.size(), slash - prefix.size()).c_str());
  return Send(static_cast<std::uint16_t>(port), o);
}

adapters::SendResult Classify(const ClientResponse& r) {
  adapters::Headers headers;
  for (const auto& [name, value] : r.headers) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    headers.emplace_back(lower, value);
  }
  return kannel::ClassifySend(r.status, r.body, headers);
}

adapters::OutboundMessage Outbound(const std::string& id, const std::string& text) {
  adapters::OutboundMessage m;
  m.id = id;
  m.address = std::string("0") + (kCitizen + 2);  // national form, as an officer might type it
  m.text = text;
  return m;
}

class KannelPeerTest : public ::testing::Test {
 protected:
  void Start(KannelPeerOptions options) {
    if (options.mo_url.empty()) options.mo_url = app_.MoUrl(options.post);
    peer_ = std::make_unique<KannelPeer>(dir_, std::move(options));
    config_ = app_.ConfigFor(*peer_);
    app_.set_config(config_);
  }
  void Start() { Start(KannelPeerOptions{}); }

  // The one MO request Kannel made, parsed; fails the test when none came.
  adapters::ParsedRequest OneMo() {
    EXPECT_TRUE(app_.WaitForParsed(1, kWait)) << "Kannel did not fetch the MO URL";
    const auto parsed = app_.Parsed();
    if (parsed.empty()) return {};
    EXPECT_EQ(parsed.size(), 1u);
    return parsed.front();
  }

  static void ExpectCitizenText(const adapters::ParsedRequest& parsed, const std::string& text) {
    EXPECT_EQ(parsed.http_status, 200);
    EXPECT_TRUE(parsed.response_body.empty());
    EXPECT_TRUE(parsed.notes.empty()) << parsed.notes.front();
    ASSERT_EQ(parsed.messages.size(), 1u);
    const adapters::InboundMessage& m = parsed.messages.front();
    EXPECT_EQ(m.kind, MessageKind::kText);
    EXPECT_EQ(m.address, kCitizen);
    EXPECT_EQ(m.text, text);
    EXPECT_EQ(m.provider_id.size(), 36u) << "Kannel's %I is a UUID: " << m.provider_id;
    EXPECT_LT(std::llabs(m.sent_at_s - static_cast<std::int64_t>(std::time(nullptr))), 120);
    EXPECT_EQ(m.raw.find(kSecret), std::string::npos);
  }

  // Nothing came back to the phone: after a pause, a sentinel MT is the only SMS fakesmsc saw.
  void ExpectNoReplySms() {
    std::this_thread::sleep_for(kNoReplyWait);
    const auto built = kannel::BuildSend(config_, Outbound("sentinel-1", "sentinel"));
    ASSERT_TRUE(built.ok()) << built.error;
    EXPECT_EQ(Classify(Perform(*built.call)).verdict, SendVerdict::kAccepted);
    std::vector<FakeSmscMessage> got;
    const auto deadline = std::chrono::steady_clock::now() + kWait;
    auto has_sentinel = [&got] {
      for (const FakeSmscMessage& m : got) {
        if (m.text == "sentinel") return true;
      }
      return false;
    };
    while (std::chrono::steady_clock::now() < deadline && !has_sentinel()) {
      std::this_thread::sleep_for(milliseconds(50));
      got = peer_->Received();
    }
    ASSERT_TRUE(has_sentinel()) << "the sentinel SMS never arrived";
    EXPECT_EQ(got.size(), 1u) << "Kannel sent the citizen an SMS of its own: " << got.front().text;
  }

  TempDir dir_;
  Satupintu app_;
  std::unique_ptr<KannelPeer> peer_;
  kannel::Config config_;
};

TEST_F(KannelPeerTest, StartsWithinBoundsAndReportsOnline) {
  Start();
  const std::string status = peer_->Status();
  EXPECT_NE(status.find("Kannel bearerbox version `1.4.5'"), std::string::npos) << status;
  EXPECT_NE(status.find("smsbox:"), std::string::npos);
  std::cout << "Kannel up in " << peer_->startup_time().count() << " ms\n";
  EXPECT_TRUE(peer_->Received().empty());
}

TEST_F(KannelPeerTest, MoGetTextReachesParseMo) {
  Start();
  ASSERT_TRUE(peer_->SendMo("+6281234567890", kShortCode, "Halo pak, bansos saya belum cair"));
  const adapters::ParsedRequest mo = OneMo();
  ExpectCitizenText(mo, "Halo pak, bansos saya belum cair");
  const RecordedRequest r = app_.server().Requests().front();
  EXPECT_EQ(r.method, "GET");
  EXPECT_NE(r.target.find("coding=0&charset=UTF-8"), std::string::npos);
  EXPECT_NE(r.target.find("smsc=modem1"), std::string::npos);
  ExpectNoReplySms();
}

TEST_F(KannelPeerTest, MoGetUcs2KeepsEmoji) {
  Start();
  ASSERT_TRUE(peer_->SendMoUcs2(kCitizen, kShortCode, kPkh));
  ExpectCitizenText(OneMo(), kPkh);
  // mo-recode = false: Kannel hands over the raw UTF-16BE bytes and says so.
  EXPECT_NE(app_.server().Requests().front().target.find("coding=2&charset=UTF-16BE"),
            std::string::npos);
  ExpectNoReplySms();
}

TEST_F(KannelPeerTest, MoGetGsmTextWithNonAscii) {
  Start();
  ASSERT_TRUE(peer_->SendMo(kCitizen, kShortCode, "Biaya \xE2\x82\xAC 10.000 {ok} caf\xC3\xA9"));
  ExpectCitizenText(OneMo(), "Biaya \xE2\x82\xAC 10.000 {ok} caf\xC3\xA9");
}

TEST_F(KannelPeerTest, MoPostUcs2AndGsm) {
  KannelPeerOptions options;
  options.post = true;
  Start(options);
  ASSERT_TRUE(peer_->SendMoUcs2(kCitizen, kShortCode, kPkh));
  ASSERT_TRUE(app_.server().WaitForRequests(1, kWait));
  ASSERT_TRUE(peer_->SendMo(kCitizen, kShortCode, "Halo \xE2\x82\xAC ok"));
  ASSERT_TRUE(app_.WaitForParsed(2, kWait));
  const auto requests = app_.server().Requests();
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].Header("Content-Type"), "text/plain; charset=\"UTF-16BE\"");
  EXPECT_EQ(requests[0].Header("X-Kannel-From"), kCitizen);
  EXPECT_EQ(requests[0].Header("X-Kannel-Coding"), "2");
  const auto parsed = app_.Parsed();
  ASSERT_EQ(parsed.size(), 2u);
  ExpectCitizenText(parsed[0], kPkh);
  ExpectCitizenText(parsed[1], "Halo \xE2\x82\xAC ok");
  ExpectNoReplySms();
}

TEST_F(KannelPeerTest, MoConcatenatedPartsArriveAsOneMessage) {
  Start();
  ASSERT_TRUE(peer_->SendMoUdh(kCitizen, kShortCode, std::string("\x05\x00\x03\x2A\x02\x01", 6),
                               "Bagian satu dari pesan, "));
  ASSERT_TRUE(peer_->SendMoUdh(kCitizen, kShortCode, std::string("\x05\x00\x03\x2A\x02\x02", 6),
                               "bagian dua selesai."));
  ExpectCitizenText(OneMo(), "Bagian satu dari pesan, bagian dua selesai.");
}

TEST_F(KannelPeerTest, NoReplySmsWhateverOurAnswer) {
  Start();
  // max-messages = 0 and the empty reply-* strings hold even if an answer had a body or
  // failed: belt and braces behind the adapter's always-empty answer.
  app_.server().Script(
      FakeResponse{200, "Terima kasih, pesan diterima", {{"Content-Type", "text/plain"}}});
  app_.server().Script(FakeResponse{500, "oops", {{"Content-Type", "text/plain"}}});
  ASSERT_TRUE(peer_->SendMo(kCitizen, kShortCode, "satu"));
  ASSERT_TRUE(app_.server().WaitForRequests(1, kWait));
  ASSERT_TRUE(peer_->SendMo(kCitizen, kShortCode, "dua"));
  ASSERT_TRUE(app_.server().WaitForRequests(2, kWait));
  EXPECT_TRUE(app_.server().AllScriptsUsed());
  ExpectNoReplySms();
}

TEST_F(KannelPeerTest, MtGsm7WithExtensionCharacters) {
  Start();
  const std::string text = "Biaya [Rp] 10.000 {ok} ~ \xE2\x82\xAC ^";
  const kannel::BuildResult built = kannel::BuildSend(config_, Outbound("out-1", text));
  ASSERT_TRUE(built.ok()) << built.error;
  EXPECT_EQ(built.encoding, adapters::sms::Encoding::kGsm7);
  EXPECT_EQ(built.segments, 1u);
  const ClientResponse answer = Perform(*built.call);
  EXPECT_EQ(answer.status, 202);
  EXPECT_EQ(answer.body, "0: Accepted for delivery");
  EXPECT_EQ(Classify(answer).verdict, SendVerdict::kAccepted);

  const auto got = peer_->WaitForReceived(1, kWait);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].type, "text");  // GSM-7, one part
  EXPECT_EQ(got[0].text, text);
  EXPECT_EQ(got[0].sender, "DINSOS");
  EXPECT_EQ(got[0].receiver, "+6281234567890");
}

TEST_F(KannelPeerTest, MtUcs2SingleAndThreeParts) {
  Start();
  const std::string short_text = "Halo \xF0\x9F\x99\x8F";
  // 3 * 67 = 201 UTF-16 units at most; this one needs more than 2 * 67.
  std::string long_text =
      "Permohonan Anda sudah kami terima \xF0\x9F\x99\x8F. Petugas desa akan menghubungi dalam "
      "3 hari kerja. Mohon siapkan KTP, KK dan surat keterangan tidak mampu. Balas BANTU untuk "
      "menu.";
  const kannel::BuildResult one = kannel::BuildSend(config_, Outbound("out-2", short_text));
  const kannel::BuildResult three = kannel::BuildSend(config_, Outbound("out-3", long_text));
  ASSERT_TRUE(one.ok() && three.ok()) << one.error << three.error;
  EXPECT_EQ(one.encoding, adapters::sms::Encoding::kUcs2);
  EXPECT_EQ(one.segments, 1u);
  EXPECT_EQ(three.encoding, adapters::sms::Encoding::kUcs2);
  ASSERT_EQ(three.segments, 3u);
  EXPECT_EQ(Classify(Perform(*one.call)).verdict, SendVerdict::kAccepted);
  ASSERT_EQ(peer_->WaitForReceived(1, kWait).size(), 1u);
  EXPECT_EQ(Classify(Perform(*three.call)).verdict, SendVerdict::kAccepted);

  const auto got = peer_->WaitForReceived(4, kWait);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].type, "ucs-2");
  EXPECT_EQ(got[0].text, short_text);
  const std::vector<FakeSmscMessage> parts(got.begin() + 1, got.end());
  for (const FakeSmscMessage& part : parts) {
    EXPECT_EQ(part.type, "udh");
    EXPECT_EQ(part.concat_total, 3);
    EXPECT_LE(part.data.size(), 134u);  // 67 UTF-16 units
  }
  EXPECT_EQ(Utf16BeToUtf8(JoinParts(parts)), long_text);
}

TEST_F(KannelPeerTest, MtGsm7PartCountMatchesAnalyze) {
  Start();
  // 152 letters + 4 extension characters = 160 septets: one SMS; one more letter makes two.
  const std::string fits = std::string(152, 'a') + "[]{}";
  const std::string spills = std::string(153, 'a') + "[]{}";
  const auto a = kannel::BuildSend(config_, Outbound("out-4", fits));
  const auto b = kannel::BuildSend(config_, Outbound("out-5", spills));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a.segments, 1u);
  EXPECT_EQ(b.segments, 2u);
  EXPECT_EQ(Classify(Perform(*a.call)).verdict, SendVerdict::kAccepted);
  ASSERT_EQ(peer_->WaitForReceived(1, kWait).size(), 1u);
  EXPECT_EQ(Classify(Perform(*b.call)).verdict, SendVerdict::kAccepted);
  const auto got = peer_->WaitForReceived(3, kWait);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].type, "text");
  EXPECT_EQ(got[0].text, fits);
  EXPECT_EQ(got[1].concat_total, 2);
  EXPECT_EQ(got[2].concat_total, 2);
}

TEST_F(KannelPeerTest, ClassifiesKannelsRealRefusals) {
  Start();
  const auto built = kannel::BuildSend(config_, Outbound("out-6", "Halo"));
  ASSERT_TRUE(built.ok());

  kannel::Config wrong = config_;
  wrong.password = "not-the-password";
  const ClientResponse auth = Perform(*kannel::BuildSend(wrong, Outbound("out-6", "Halo")).call);
  EXPECT_EQ(auth.status, 403);
  EXPECT_EQ(auth.body, "Authorization failed for sendsms");
  EXPECT_EQ(Classify(auth).verdict, SendVerdict::kPermanent);
  EXPECT_EQ(Classify(auth).error_code, "auth");

  adapters::HttpCall no_to = *built.call;
  const std::size_t to = no_to.url.find("&to=");
  no_to.url.erase(to, no_to.url.find('&', to + 1) - to);
  const ClientResponse missing = Perform(no_to);
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.body, "Missing receiver number, rejected");
  EXPECT_EQ(Classify(missing).verdict, SendVerdict::kPermanent);
  EXPECT_EQ(Classify(missing).error_code, "missing-receiver");

  kannel::Config elsewhere = config_;
  elsewhere.smsc = "nosuch";
  const ClientResponse route =
      Perform(*kannel::BuildSend(elsewhere, Outbound("out-7", "Halo")).call);
  EXPECT_EQ(route.status, 403);
  EXPECT_EQ(route.body, "Not routable. Do not try again.");
  EXPECT_EQ(Classify(route).error_code, "not-routable");

  // No from and no default-sender/global-sender in kannel.conf: refused, a config error.
  kannel::Config anonymous = config_;
  anonymous.from.clear();
  const ClientResponse sender =
      Perform(*kannel::BuildSend(anonymous, Outbound("out-8", "Halo")).call);
  EXPECT_EQ(sender.status, 400);
  EXPECT_EQ(sender.body, "Sender missing and no global set, rejected");
  EXPECT_EQ(Classify(sender).verdict, SendVerdict::kPermanent);
  EXPECT_EQ(Classify(sender).error_code, "sender-missing");

  EXPECT_EQ(Classify(Perform(*built.call)).verdict, SendVerdict::kAccepted);
  EXPECT_EQ(peer_->WaitForReceived(1, kWait).size(), 1u);
}

TEST_F(KannelPeerTest, DefaultSenderLetsFromBeEmpty) {
  KannelPeerOptions options;
  options.default_sender = "6281100000000";
  Start(options);
  kannel::Config anonymous = config_;
  anonymous.from.clear();
  const ClientResponse r = Perform(*kannel::BuildSend(anonymous, Outbound("out-9", "Halo")).call);
  EXPECT_EQ(Classify(r).verdict, SendVerdict::kAccepted) << r.status << " " << r.body;
  const auto got = peer_->WaitForReceived(1, kWait);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].sender, "6281100000000");
}

// deploy/kannel.md recommends log-level 2: at 1 (info) smsbox logs every number and text.
TEST_F(KannelPeerTest, WarningLevelLogsHoldNoCitizenData) {
  Start();
  ASSERT_TRUE(peer_->SendMoUcs2(kCitizen, kShortCode, kPkh));
  ASSERT_TRUE(app_.server().WaitForRequests(1, kWait));
  const auto built = kannel::BuildSend(config_, Outbound("out-11", "Bantuan PKH sudah cair"));
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(Classify(Perform(*built.call)).verdict, SendVerdict::kAccepted);
  ASSERT_EQ(peer_->WaitForReceived(1, kWait).size(), 1u);
  ASSERT_TRUE(app_.server().WaitForRequests(3, kWait));  // the MO and two DLRs
  for (const char* name : {"bearerbox.file.log", "smsbox.file.log"}) {
    EXPECT_TRUE(std::filesystem::exists(dir_.File(name))) << name;
    const std::string log = ReadFile(dir_.File(name));
    for (const std::string& bad : {std::string("81234567890"), std::string("PKH"),
                                   std::string(kSecret), peer_->password()}) {
      EXPECT_EQ(log.find(bad), std::string::npos) << bad << " in " << name << ":\n" << log;
    }
  }
}

// Why max_parts must not exceed the sendsms-user's max-messages: Kannel accepts the request
// and sends only the first parts.
TEST_F(KannelPeerTest, MaxMessagesBelowMaxPartsCutsTheText) {
  KannelPeerOptions options;
  options.sendsms_max_messages = 2;
  Start(options);
  std::string text;
  for (int i = 0; i < 60; ++i) text += "kata" + std::to_string(i) + " ";  // ~410 septets
  text += "akhir";
  const auto built = kannel::BuildSend(config_, Outbound("out-10", text));
  ASSERT_TRUE(built.ok());
  ASSERT_EQ(built.segments, 3u);
  EXPECT_EQ(Classify(Perform(*built.call)).verdict, SendVerdict::kAccepted);
  const auto got = peer_->WaitForReceived(3, milliseconds(3000));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].concat_total, 2);
  EXPECT_EQ(JoinParts(got).find("akhir"), std::string::npos);
}

TEST_F(KannelPeerTest, DlrCarriesOurIdAndMapsToStates) {
  Start();
  const auto built = kannel::BuildSend(config_, Outbound("out-42.a_b~c", "Status tiket: selesai"));
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(Classify(Perform(*built.call)).verdict, SendVerdict::kAccepted);
  // fakesmsc's SMSC acknowledges (event 8), then reports "delivered" (event 1).
  ASSERT_TRUE(app_.WaitForParsed(2, kWait)) << "no DLR fetched";
  const auto requests = app_.server().Requests();
  const auto parsed = app_.Parsed();
  ASSERT_EQ(parsed.size(), 2u);
  // The SMSC's acknowledgement (event 8) and fakesmsc's "delivered" (event 1); smsbox may
  // fetch them in either order.
  int acked = 0;
  int delivered = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const std::string& target = requests[i].target;
    EXPECT_EQ(requests[i].method, "GET");
    EXPECT_EQ(target.rfind("/kannel/dinsos/dlr?id=out-42.a_b~c&type=", 0), 0u) << target;
    EXPECT_NE(target.find("&smsc=modem1&"), std::string::npos) << target;
    EXPECT_EQ(parsed[i].http_status, 200);
    EXPECT_TRUE(parsed[i].response_body.empty());
    ASSERT_EQ(parsed[i].statuses.size(), 1u) << target;
    const adapters::StatusUpdate& status = parsed[i].statuses[0];
    EXPECT_EQ(status.provider_message_id, "out-42.a_b~c");
    EXPECT_GT(status.at_s, 0);
    if (target.find("&type=8&") != std::string::npos) {
      ++acked;
      EXPECT_EQ(status.state, DeliveryState::kSent);
    } else if (target.find("&type=1&") != std::string::npos) {
      ++delivered;
      EXPECT_EQ(status.state, DeliveryState::kDelivered);
    }
  }
  EXPECT_EQ(acked, 1);
  EXPECT_EQ(delivered, 1);
}

}  // namespace
}  // namespace satupintu::testing
