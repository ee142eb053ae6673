#include "config/config.hpp"

#include <gtest/gtest.h>
#include <cstdlib>

#include <fstream>

#include "core/redact.hpp"
#include "paths/paths.hpp"

namespace satupintu::config {
namespace {

TEST(ConfigTest, EmptyObjectGivesTheEmbeddedDefault) {
  auto config = ParseConfig("{}");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->public_listener.port, 8443);
  EXPECT_EQ(config->private_listener.port, 8080);
  EXPECT_EQ(config->public_listener.address, "127.0.0.1");
  EXPECT_EQ(config->store.path, "var/satupintu.db");
  EXPECT_EQ(config->store.synchronous, "full");
  EXPECT_FALSE(config->diagnostics.journal_route);
}

TEST(ConfigTest, AcceptsCommentsAndReadsValues) {
  auto config = ParseConfig(R"({
    // line comment
    "private": {"port": 9090},  /* block comment */
    "http": {"threads": 4, "body_limit_bytes": 2048},
    "store": {"synchronous": "normal", "max_size_mb": 10},
    "log": {"level": "debug"}
  })");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->private_listener.port, 9090);
  EXPECT_EQ(config->http.threads, 4);
  EXPECT_EQ(config->http.body_limit_bytes, 2048);
  EXPECT_EQ(config->store.synchronous, "normal");
  EXPECT_EQ(config->store.max_size_mb, 10);
  EXPECT_EQ(config->log.level, "debug");
}

TEST(ConfigTest, EachListenerHasItsOwnConnectionLimits) {
  auto defaults = ParseConfig("{}");
  ASSERT_TRUE(defaults.ok()) << defaults.error().message;
  EXPECT_EQ(defaults->public_listener.max_connections, 4096);
  EXPECT_EQ(defaults->public_listener.max_connections_per_address, 256);
  EXPECT_EQ(defaults->private_listener.max_connections, 256);
  EXPECT_EQ(defaults->private_listener.max_connections_per_address, 0);
  EXPECT_EQ(defaults->http.request_timeout_ms, 10'000);

  auto config = ParseConfig(R"({
    "public": {"max_connections": 900, "max_connections_per_address": 0},
    "private": {"max_connections": 40},
    "http": {"request_timeout_ms": 4000}
  })");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->public_listener.max_connections, 900);
  EXPECT_EQ(config->public_listener.max_connections_per_address, 0);
  EXPECT_EQ(config->private_listener.max_connections, 40);
  EXPECT_EQ(config->http.request_timeout_ms, 4000);
}

TEST(ConfigTest, ReadTimeoutIsTheOlderNameOfTheRequestTimeout) {
  auto older = ParseConfig(R"({"http": {"read_timeout_ms": 3000}})");
  ASSERT_TRUE(older.ok()) << older.error().message;
  EXPECT_EQ(older->http.request_timeout_ms, 3000);
  auto both = ParseConfig(R"({"http": {"read_timeout_ms": 3000, "request_timeout_ms": 3000}})");
  ASSERT_TRUE(both.ok()) << both.error().message;
  auto differ = ParseConfig(R"({"http": {"read_timeout_ms": 3000, "request_timeout_ms": 4000}})");
  ASSERT_FALSE(differ.ok());
  EXPECT_NE(differ.error().message.find("http.request_timeout_ms: differs"), std::string::npos)
      << differ.error().message;
}

TEST(ConfigTest, TheSharedConnectionLimitIsRefusedNamingItsReplacements) {
  auto config = ParseConfig(R"({"http": {"max_connections": 4096}})");
  ASSERT_FALSE(config.ok());
  const auto& m = config.error().message;
  EXPECT_NE(m.find("http.max_connections: replaced by public.max_connections and "
                   "private.max_connections"),
            std::string::npos)
      << m;
  auto bad = ParseConfig(R"({"private": {"max_connections": 0}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("private.max_connections: 0 is out of range"),
            std::string::npos)
      << bad.error().message;
}

TEST(ConfigTest, RejectsUnknownKeysNamingTheirPath) {
  auto config = ParseConfig(R"({"http": {"thread": 2}, "stor": {}})");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("http.thread: unknown key"), std::string::npos);
  EXPECT_NE(config.error().message.find("stor: unknown key"), std::string::npos);
}

TEST(ConfigTest, RejectsOutOfRangeAndWrongTypes) {
  auto config = ParseConfig(R"({"public": {"port": 70000}, "http": {"threads": "two"},
                                "store": {"synchronous": "sometimes"}})");
  ASSERT_FALSE(config.ok());
  const auto& m = config.error().message;
  EXPECT_NE(m.find("public.port: 70000 is out of range 0..65535"), std::string::npos) << m;
  EXPECT_NE(m.find("http.threads: must be an integer"), std::string::npos) << m;
  EXPECT_NE(m.find("store.synchronous: \"sometimes\" is not one of: full, normal"),
            std::string::npos)
      << m;
}

TEST(ConfigTest, RejectsInvalidJson) {
  auto config = ParseConfig(R"({"http": )");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("not valid JSON"), std::string::npos);
}

// Found by tests/fuzz/config_fuzz: a number too large for a double threw out of ParseConfig.
TEST(ConfigTest, RejectsANumberOutOfRange) {
  auto config = ParseConfig(R"({"http": {"threads": 1e999}})");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("a number out of range"), std::string::npos);
}

TEST(ConfigTest, RejectsSectionThatIsNotAnObject) {
  auto config = ParseConfig(R"({"store": 3})");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("store: must be an object"), std::string::npos);
}

TEST(ConfigTest, RefusesInlineSecretWithoutEchoingIt) {
  auto config = ParseConfig(R"({"diagnostics": {"token": "hunter2-inline"}})");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("diagnostics.token: secrets must not be written inline"),
            std::string::npos);
  EXPECT_EQ(config.error().message.find("hunter2-inline"), std::string::npos);
}

TEST(ConfigTest, SecretNeedsExactlyOneSource) {
  auto config = ParseConfig(R"({"diagnostics": {"token": {"env": "A", "file": "/b"}}})");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("exactly one"), std::string::npos);
}

TEST(ConfigTest, ResolvesSecretFromEnvironmentAndRegistersItForRedaction) {
  ::setenv("SATUPINTU_CONFIG_TEST_SECRET", "env-secret-value-1", 1);
  auto config =
      ParseConfig(R"({"diagnostics": {"token": {"env": "SATUPINTU_CONFIG_TEST_SECRET"}}})");
  ASSERT_TRUE(config.ok()) << config.error().message;
  auto value = ResolveSecret(config->diagnostics.token, "diagnostics.token");
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value.value(), "env-secret-value-1");
  EXPECT_EQ(core::Redact("x env-secret-value-1 y"), "x [redacted] y");
  core::ClearSecretsForTest();
}

TEST(ConfigTest, ResolvesSecretFromFileWithoutTrailingNewline) {
  const std::string path = ::testing::TempDir() + "/secret.txt";
  std::ofstream(path) << "file-secret-value\n";
  SecretRef ref;
  ref.file = path;
  auto value = ResolveSecret(ref, "x.token");
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value.value(), "file-secret-value");
  core::ClearSecretsForTest();
}

TEST(ConfigTest, MissingSecretIsAClearError) {
  SecretRef ref;
  ref.env = "SATUPINTU_SURELY_UNSET_VARIABLE";
  auto value = ResolveSecret(ref, "diagnostics.token");
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().message,
            "diagnostics.token: environment variable SATUPINTU_SURELY_UNSET_VARIABLE is not set");
}

TEST(ConfigTest, AtLeastOneListener) {
  auto config = ParseConfig(R"({"public": {"enabled": false}, "private": {"enabled": false}})");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("at least one listener"), std::string::npos);
}

TEST(ConfigTest, UsersSectionDefaultsValuesAndRanges) {
  const Config defaults;
  EXPECT_EQ(defaults.users.key_file, "");
  EXPECT_EQ(defaults.users.token_ttl_hours, 12);
  EXPECT_EQ(defaults.users.login_attempts_per_15_min, 10);
  EXPECT_EQ(defaults.users.lockout_after_failures, 5);
  EXPECT_EQ(defaults.users.api_requests_per_minute_per_token, 300);
  EXPECT_EQ(defaults.users.api_requests_per_minute_per_ip, 600);
  auto config = ParseConfig(R"({"users": {"key_file": "/etc/satupintu/users.key",
    "token_ttl_hours": 8, "login_attempts_per_15_min": 20, "lockout_after_failures": 3,
    "api_requests_per_minute_per_token": 60, "api_requests_per_minute_per_ip": 120}})");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->users.key_file, "/etc/satupintu/users.key");
  EXPECT_EQ(config->users.token_ttl_hours, 8);
  EXPECT_EQ(config->users.login_attempts_per_15_min, 20);
  EXPECT_EQ(config->users.lockout_after_failures, 3);
  EXPECT_EQ(config->users.api_requests_per_minute_per_token, 60);
  EXPECT_EQ(config->users.api_requests_per_minute_per_ip, 120);
  auto bad = ParseConfig(R"({"users": {"token_ttl_hours": 0, "lockout_after_failures": 0,
    "password": "x"}})");
  ASSERT_FALSE(bad.ok());
  for (const char* key :
       {"users.token_ttl_hours", "users.lockout_after_failures", "users.password"}) {
    EXPECT_NE(bad.error().message.find(key), std::string::npos) << bad.error().message;
  }
}

// The citizen check's limits: per address (an hour, a day) and per NIK (a day, any address).
TEST(ConfigTest, RegistryCheckLimitsPerAddressAndPerNik) {
  auto defaults = ParseConfig("{}");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->registry.citizen_checks_per_hour, 5);
  EXPECT_EQ(defaults->registry.citizen_checks_per_day, 10);
  EXPECT_EQ(defaults->registry.citizen_checks_per_nik_per_day, 5);
  auto set = ParseConfig(R"({"registry": {"citizen_checks_per_nik_per_day": 3}})");
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->registry.citizen_checks_per_nik_per_day, 3);
  auto bad = ParseConfig(R"({"registry": {"citizen_checks_per_nik_per_day": 0}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("registry.citizen_checks_per_nik_per_day"), std::string::npos)
      << bad.error().message;
}

TEST(ConfigTest, ExampleConfigInDeployIsValid) {
  auto config = LoadConfigFile(::satupintu::testing::SourcePath("deploy/satupintu.example.jsonc"));
  ASSERT_TRUE(config.ok()) << config.error().message;
}

}  // namespace
}  // namespace satupintu::config

namespace satupintu::config {
namespace {

TEST(ConfigTest, SyntaxErrorGivesPositionButNotTheTextAroundIt) {
  auto config = ParseConfig("{\n  \"diagnostics\": {\"token\": \"leaky-secret-99\"\n}");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("line 3"), std::string::npos) << config.error().message;
  EXPECT_EQ(config.error().message.find("leaky-secret-99"), std::string::npos)
      << config.error().message;
}

}  // namespace
}  // namespace satupintu::config

namespace satupintu::config {
namespace {

TEST(ConfigTest, DuplicateKeysAreRejectedWithTheirPath) {
  auto config = ParseConfig(R"({"store": {"path": "a.db", "path": "b.db"}, "log": {}, "log": {}})");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message.find("store.path: duplicate key"), std::string::npos)
      << config.error().message;
  EXPECT_NE(config.error().message.find("log: duplicate key"), std::string::npos);
}

}  // namespace
}  // namespace satupintu::config

namespace satupintu::config {
namespace {

TEST(ConfigTest, ReadsSeveralChannelsOfEachKind) {
  auto config = ParseConfig(R"({"channels": {
    "whatsapp": [{"name": "wa-main", "phone_number_id": "1234",
                  "access_token": {"env": "WA_TOKEN"}, "app_secret": {"file": "/run/wa_secret"},
                  "verify_token": {"env": "WA_VERIFY"}},
                 {"name": "wa-backup", "phone_number_id": "5678", "base_url": "http://127.0.0.1:9",
                  "access_token": {"env": "A"}, "app_secret": {"env": "B"}, "verify_token": {"env": "C"}}],
    "telegram": [{"name": "tg", "bot_token": {"env": "TG"}, "secret_token": {"env": "TGS"}}]}})");
  ASSERT_TRUE(config.ok()) << config.error().message;
  ASSERT_EQ(config->channels.whatsapp.size(), 2u);
  EXPECT_EQ(config->channels.whatsapp[0].app_secret.file, "/run/wa_secret");
  EXPECT_EQ(config->channels.whatsapp[1].base_url, "http://127.0.0.1:9");
  EXPECT_EQ(config->channels.whatsapp[0].base_url, "https://graph.facebook.com");
  ASSERT_EQ(config->channels.telegram.size(), 1u);
  EXPECT_EQ(config->channels.telegram[0].bot_token.env, "TG");
}

TEST(ConfigTest, ChannelErrorsNameTheEntry) {
  auto config = ParseConfig(R"({"channels": {
    "whatsapp": [{"name": "wa", "phone_number_id": "1", "access_token": "EAAinline",
                  "app_secret": {"env": "B"}, "verify_token": {"env": "C"}, "colour": "red"}],
    "telegram": [{"name": "Bad Name", "base_url": "ftp://x", "bot_token": {"env": "T"}},
                 {"name": "tg", "bot_token": {"env": "T"}, "secret_token": {"env": "S"}},
                 {"name": "tg", "bot_token": {"env": "T"}, "secret_token": {"env": "S"}}]}})");
  ASSERT_FALSE(config.ok());
  const auto& m = config.error().message;
  EXPECT_NE(m.find("channels.whatsapp[0].access_token: secrets must not be written inline"),
            std::string::npos)
      << m;
  EXPECT_EQ(m.find("EAAinline"), std::string::npos);
  EXPECT_NE(m.find("channels.whatsapp[0].colour: unknown key"), std::string::npos) << m;
  EXPECT_NE(m.find("channels.telegram[0].name: must be 1-24"), std::string::npos) << m;
  EXPECT_NE(m.find("channels.telegram[0].base_url: must start with"), std::string::npos) << m;
  EXPECT_NE(m.find("channels.telegram[0].secret_token: required"), std::string::npos) << m;
  EXPECT_NE(m.find("channels.telegram[2].name: \"tg\" is used twice"), std::string::npos) << m;
}

TEST(ConfigTest, TheChatNameAndRegionCodesAreChecked) {
  auto config = ParseConfig(R"({"channels": {
    "telegram": [{"name": "chat", "bot_token": {"env": "T"}, "secret_token": {"env": "S"}}]},
    "tickets": {"unplaced_region": "32.06.05"}})");
  ASSERT_FALSE(config.ok());
  const auto& m = config.error().message;
  EXPECT_NE(m.find("channels.telegram[0].name: \"chat\" is the terminal's"), std::string::npos)
      << m;
  EXPECT_NE(m.find("tickets.unplaced_region: a regency code"), std::string::npos) << m;
  auto good = ParseConfig(R"({"regions": {"home_regency": "32.06"},
    "tickets": {"unplaced_region": ""}})");
  ASSERT_TRUE(good.ok()) << good.error().message;
  EXPECT_EQ(UnplacedRegion(good.value()), "32.06");
  auto own = ParseConfig(R"({"regions": {"home_regency": "32.06"},
    "tickets": {"unplaced_region": "32.78"}})");
  ASSERT_TRUE(own.ok()) << own.error().message;
  EXPECT_EQ(UnplacedRegion(own.value()), "32.78");
}

TEST(ConfigTest, SmsChannelsSendLimitsAndFallback) {
  auto config = ParseConfig(R"({"channels": {
    "whatsapp": [{"name": "wa", "phone_number_id": "1", "access_token": {"env": "A"},
                  "app_secret": {"env": "B"}, "verify_token": {"env": "C"},
                  "sms_fallback": "kannel:modem1", "send": {"rate_per_minute": 600}}],
    "kannel": [{"name": "modem1", "username": "u", "password": {"env": "P"},
                "shared_secret": {"env": "S"}, "allowed_sources": ["10.0.0.5"]}],
    "gammu": [{"name": "modem2", "database": "/var/spool/gammu/smsd.db",
               "smsd_utc_offset_minutes": 420}]},
    "outbound": {"channel_log_retention_days": 30}})");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->channels.whatsapp[0].send.rate_per_minute, 600);
  EXPECT_EQ(config->channels.whatsapp[0].send.per_recipient_interval_ms, 6000)
      << "kind default kept";
  EXPECT_EQ(config->channels.kannel[0].allowed_sources, std::vector<std::string>{"10.0.0.5"});
  EXPECT_EQ(config->channels.kannel[0].send.rate_per_minute, 8) << "a modem's pace by default";
  EXPECT_EQ(config->channels.gammu[0].smsd_utc_offset_minutes, 420);
  EXPECT_EQ(config->outbound.channel_log_retention_days, 30);
  EXPECT_EQ(config->channels.telegram.size(), 0u);
}

TEST(ConfigTest, SmsAndSendErrorsNameTheirKeys) {
  auto config = ParseConfig(R"({"channels": {
    "whatsapp": [{"name": "wa", "phone_number_id": "1", "access_token": {"env": "A"},
                  "app_secret": {"env": "B"}, "verify_token": {"env": "C"},
                  "sms_fallback": "kannel:nope", "send": {"burst": 0, "colour": 1}}],
    "kannel": [{"name": "modem1", "password": {"env": "P"}, "shared_secret": {"env": "S"},
                "allowed_sources": "10.0.0.5"}],
    "gammu": [{"name": "modem1"}]}})");
  ASSERT_FALSE(config.ok());
  const auto& m = config.error().message;
  for (const char* key : {"channels.whatsapp[0].sms_fallback", "channels.whatsapp[0].send.burst",
                          "channels.whatsapp[0].send.colour", "channels.kannel[0].username",
                          "channels.kannel[0].allowed_sources", "channels.gammu[0].database",
                          "channels.gammu[0].name"}) {
    EXPECT_NE(m.find(key), std::string::npos) << key << " in:\n" << m;
  }
}

}  // namespace
}  // namespace satupintu::config

namespace satupintu::config {
namespace {

TEST(ConfigRetentionTest, DefaultsRangesAndTheChannelLogsTwoNames) {
  auto defaults = ParseConfig("{}");
  ASSERT_TRUE(defaults.ok());
  const RetentionConfig& r = defaults->retention;
  EXPECT_TRUE(r.enabled);
  EXPECT_EQ(r.journal_redact_days, 7);
  EXPECT_EQ(r.journal_days, 30);
  EXPECT_EQ(r.conversation_days, 30);
  EXPECT_EQ(r.outbox_text_days, 90);
  EXPECT_EQ(r.channel_log_days, 14);
  EXPECT_EQ(defaults->outbound.channel_log_retention_days, 14);
  EXPECT_EQ(r.closed_ticket_days, 730);
  EXPECT_EQ(r.citizen_days, 730);
  EXPECT_EQ(r.audit_log_days, 1825);

  auto set = ParseConfig(R"({"retention": {"enabled": false, "journal_days": 0,
    "closed_ticket_days": 3650, "channel_log_days": 30}})");
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_FALSE(set->retention.enabled);
  EXPECT_EQ(set->retention.journal_days, 0) << "0 keeps the journal forever";
  EXPECT_EQ(set->retention.closed_ticket_days, 3650);
  EXPECT_EQ(set->outbound.channel_log_retention_days, 30) << "one setting, two names";
  auto older = ParseConfig(R"({"outbound": {"channel_log_retention_days": 21}})");
  ASSERT_TRUE(older.ok());
  EXPECT_EQ(older->retention.channel_log_days, 21);

  auto bad = ParseConfig(R"({"retention": {"conversation_days": 3, "closed_ticket_days": 10,
    "audit_log_days": 100, "journal_redact_days": 0, "channel_log_days": 7, "batch_rows": 1,
    "purge_everything": true}, "outbound": {"channel_log_retention_days": 14}})");
  ASSERT_FALSE(bad.ok());
  for (const char* key :
       {"retention.conversation_days", "retention.closed_ticket_days", "retention.audit_log_days",
        "retention.journal_redact_days", "retention.channel_log_days", "retention.batch_rows",
        "retention.purge_everything"}) {
    EXPECT_NE(bad.error().message.find(key), std::string::npos) << key << "\n"
                                                                << bad.error().message;
  }
}

}  // namespace
}  // namespace satupintu::config
