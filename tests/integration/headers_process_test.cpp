// Issue 18 item 8 on the real binary: Cache-Control, HSTS and nosniff on what each listener
// really serves - API answers with personal data and API errors, the triage page, the WhatsApp
// subscription challenge (which echoes a query parameter) on the public HTTPS listener, and the
// health check and errors of the private plain-HTTP listener, which must never send HSTS.

#include <gtest/gtest.h>

#include <filesystem>

#include "gateway_harness.hpp"
#include "paths/paths.hpp"

namespace satupintu::testing {
namespace {

constexpr char kPassword[] = "kopi-tubruk-2025";
constexpr char kVerifyToken[] = "wa-verify-token-77";

class HeadersProcessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    json patch = {{"regions", {{"data_dir", RegionsDataDir()}}},
                  {"channels",
                   {{"whatsapp",
                     {{{"name", "wa"},
                       {"phone_number_id", "106540352242922"},
                       {"access_token", {{"env", "SATUPINTU_TEST_WA_TOKEN"}}},
                       {"app_secret", {{"env", "SATUPINTU_TEST_WA_SECRET"}}},
                       {"verify_token", {{"env", "SATUPINTU_TEST_WA_VERIFY"}}}}}}}}};
    const std::string config = ConfigWith(*dir_, patch);
    WriteFile(dir_->File("cli.json"), config);
    ASSERT_TRUE(std::filesystem::exists(RegionsDataDir() + "/villages.csv"));
    ASSERT_EQ(RunCli(*dir_, "regions import"), 0) << ReadFile(dir_->File("cli.out"));
    ASSERT_EQ(AddUser(*dir_, "siti", "facilitator", "32.06.05.2002", kPassword), 0)
        << ReadFile(dir_->File("cli.out"));
    gw_ = new Gateway(StartGateway(*dir_, config, "gw",
                                   {"SATUPINTU_TEST_WA_TOKEN=EAAtest-access-token-xyz",
                                    "SATUPINTU_TEST_WA_SECRET=wa-app-secret-0123456789",
                                    std::string("SATUPINTU_TEST_WA_VERIFY=") + kVerifyToken}));
    ASSERT_NE(gw_->ports.public_port, 0) << gw_->Log();
  }
  static void TearDownTestSuite() {
    if (gw_ != nullptr) StopGateway(*gw_);
    delete gw_;
    gw_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }

  static ClientResponse Public(const std::string& method, const std::string& target,
                               const std::string& token = "", const std::string& body = "") {
    return ApiCall(gw_->ports.public_port, method, target, token, body);
  }

  static TempDir* dir_;
  static Gateway* gw_;
};

TempDir* HeadersProcessTest::dir_ = nullptr;
Gateway* HeadersProcessTest::gw_ = nullptr;

TEST_F(HeadersProcessTest, ApiAnswersAndErrorsAreNeverStored) {
  auto login = Public("POST", "/api/v1/session", "",
                      json{{"username", "siti"}, {"password", kPassword}}.dump());
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string token = json::parse(login.body).value("token", "");
  const std::vector<std::pair<int, ClientResponse>> answers = {
      {200, login},
      {200, Public("GET", "/api/v1/me", token)},
      {200, Public("GET", "/api/v1/tickets", token)},
      {401, Public("GET", "/api/v1/me")},
      {401, Public("POST", "/api/v1/session", "",
                   json{{"username", "siti"}, {"password", "salah-sekali-123"}}.dump())},
      {400, Public("POST", "/api/v1/session", "", "{not json")},
      {404, Public("GET", "/api/v1/no-such-resource", token)},
      {405, Public("PUT", "/api/v1/me", token, "{}")},
  };
  for (const auto& [status, r] : answers) {
    SCOPED_TRACE(status);
    EXPECT_EQ(r.status, status) << r.error << r.body;
    EXPECT_EQ(r.Header("Cache-Control"), "no-store");
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.Header("Strict-Transport-Security"), "max-age=31536000");
  }
}

TEST_F(HeadersProcessTest, ThePageKeepsItsOwnCachingAndGetsHstsAndNosniff) {
  RequestOptions o;
  o.tls = true;
  o.target = "/ui/";
  auto page = Send(gw_->ports.public_port, o);
  ASSERT_EQ(page.status, 200) << page.error;
  EXPECT_EQ(page.Header("Cache-Control"), "no-cache");
  EXPECT_EQ(page.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(page.Header("Strict-Transport-Security"), "max-age=31536000");
  o.target = "/ui/no-such-file.js";
  auto missing = Send(gw_->ports.public_port, o);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Header("Cache-Control"), "no-store");
  EXPECT_EQ(missing.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(missing.Header("Strict-Transport-Security"), "max-age=31536000");
}

TEST_F(HeadersProcessTest, TheWhatsAppChallengeIsEchoedAsNosniffNoStore) {
  RequestOptions o;
  o.tls = true;
  // A challenge that would be HTML if a browser were allowed to guess.
  o.target = std::string("/webhooks/whatsapp/wa?hub.mode=subscribe&hub.verify_token=") +
             kVerifyToken + "&hub.challenge=%3Cscript%3E1%3C%2Fscript%3E";
  auto r = Send(gw_->ports.public_port, o);
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.body, "<script>1</script>");
  EXPECT_EQ(r.Header("Content-Type").rfind("text/plain", 0), 0u) << r.Header("Content-Type");
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  EXPECT_EQ(r.Header("Strict-Transport-Security"), "max-age=31536000");
  o.target = "/webhooks/whatsapp/wa?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1";
  auto refused = Send(gw_->ports.public_port, o);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(refused.Header("Cache-Control"), "no-store");
}

TEST_F(HeadersProcessTest, ThePrivateListenerNeverSendsHsts) {
  for (const auto& [target, status] :
       std::vector<std::pair<std::string, int>>{{"/healthz", 200}, {"/no-such-route", 404}}) {
    SCOPED_TRACE(target);
    auto r = Get(gw_->ports.private_port, target);
    EXPECT_EQ(r.status, status) << r.error;
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.Header("Cache-Control"), "no-store");
    EXPECT_EQ(r.Header("Strict-Transport-Security"), "");
  }
  auto health = Public("GET", "/healthz");
  EXPECT_EQ(health.status, 200) << health.error;
  EXPECT_EQ(health.Header("Strict-Transport-Security"), "max-age=31536000");
  EXPECT_EQ(health.Header("X-Content-Type-Options"), "nosniff");
}

}  // namespace
}  // namespace satupintu::testing
