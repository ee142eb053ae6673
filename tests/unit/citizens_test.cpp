#include "citizens/citizens.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <future>

#include "adapters/core/phone.hpp"
#include "schema/schema.hpp"
#include "storage/store.hpp"
#include "support/process.hpp"

namespace satupintu::citizens {
namespace {

constexpr std::string_view kWhatsApp = "whatsapp:wa-main";
constexpr std::string_view kSms = "kannel:modem1";
constexpr std::string_view kTelegram = "telegram:bot";

// The functions run inside store jobs, as in the gateway: each test step is one write job
// (one transaction) on the real store, with the real migrations.
class CitizensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions options;
    options.migrations = schema::Migrations();
    options.path = dir_.File("c.db");
    auto store = storage::Store::Open(options, &metrics_);
    ASSERT_TRUE(store.ok()) << store.error().detail;
    store_ = std::move(store).value();
  }

  // Runs `fn(db)` as one write job and returns what it returned.
  template <typename F>
  auto InWrite(F fn) -> decltype(fn(std::declval<storage::Db&>())) {
    using R = decltype(fn(std::declval<storage::Db&>()));
    std::promise<core::Status> committed;
    std::optional<R> result;
    store_->Write(
        [&](storage::Db& db) -> core::Status {
          result.emplace(fn(db));
          return {};
        },
        [&](core::Status s) { committed.set_value(std::move(s)); });
    auto f = committed.get_future();
    if (f.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
      ADD_FAILURE() << "store job did not complete in 10 s";
      std::abort();  // the job still holds references into this frame
    }
    EXPECT_TRUE(f.get().ok());
    return std::move(*result);
  }

  std::int64_t Touch(std::string_view address, std::string_view channel, std::int64_t at_ms) {
    auto r = InWrite([&](storage::Db& db) { return TouchInbound(db, address, channel, at_ms); });
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value() : -1;
  }

  std::optional<std::int64_t> Owner(std::string_view address) {
    auto r = InWrite([&](storage::Db& db) { return CitizenOf(db, address); });
    EXPECT_TRUE(r.ok());
    return r.ok() ? r.value() : std::nullopt;
  }

  std::int64_t Link(std::string_view telegram, std::string_view phone, std::int64_t now_ms) {
    auto r = InWrite([&](storage::Db& db) { return LinkPhone(db, telegram, phone, now_ms); });
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value() : -1;
  }

  std::vector<Address> Addresses(std::int64_t citizen) {
    auto r = InWrite([&](storage::Db& db) { return AddressesOf(db, citizen); });
    EXPECT_TRUE(r.ok());
    return r.ok() ? r.value() : std::vector<Address>{};
  }

  std::int64_t Count(const std::string& sql) {
    return InWrite([&](storage::Db& db) { return db.QueryInt(sql).value(); });
  }

  testing::TempDir dir_;
  core::MetricsRegistry metrics_;
  std::unique_ptr<storage::Store> store_;
};

TEST(AddressKindTest, CanonicalFormsOnly) {
  EXPECT_EQ(KindOf("6281234567890"), AddressKind::kPhone);
  EXPECT_EQ(KindOf("6591234567"), AddressKind::kPhone);
  EXPECT_EQ(KindOf("tg:123456789"), AddressKind::kTelegram);
  EXPECT_EQ(KindOf("tg:-1001234567890"), AddressKind::kTelegram) << "group chats are negative";
  EXPECT_EQ(KindOf("081234567890"), std::nullopt) << "national form: normalise first";
  EXPECT_EQ(KindOf("+6281234567890"), std::nullopt);
  EXPECT_EQ(KindOf("62 812 3456 7890"), std::nullopt);
  EXPECT_EQ(KindOf("tg:"), std::nullopt);
  EXPECT_EQ(KindOf("tg:12ab"), std::nullopt);
  EXPECT_EQ(KindOf("123456"), std::nullopt) << "too short";
  EXPECT_EQ(KindOf("1234567890123456"), std::nullopt) << "E.164 has at most 15 digits";
  EXPECT_EQ(KindOf(""), std::nullopt);
}

TEST_F(CitizensTest, WhatsAppAndSmsOfOneNumberAreOneCitizen) {
  const auto wa = Touch("6281234567890", kWhatsApp, 1000);
  const auto sms = Touch("6281234567890", kSms, 2000);
  EXPECT_EQ(wa, sms);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM citizen"), 1);
  auto addresses = Addresses(wa);
  ASSERT_EQ(addresses.size(), 1u);
  EXPECT_EQ(addresses[0].kind, AddressKind::kPhone);
  ASSERT_EQ(addresses[0].channels.size(), 2u);
  EXPECT_EQ(addresses[0].channels[0].channel, kSms);
  EXPECT_EQ(addresses[0].channels[0].last_inbound_at_ms, 2000);
  EXPECT_EQ(addresses[0].channels[1].channel, kWhatsApp);
  EXPECT_EQ(addresses[0].channels[1].last_inbound_at_ms, 1000);
  EXPECT_NE(Touch("6289876543210", kSms, 3000), wa) << "another number, another citizen";
}

TEST_F(CitizensTest, EveryWrittenFormOfANumberReachesOneAddressOnceNormalised) {
  // The caller (the adapter) normalises; the store only ever sees the canonical form.
  std::optional<std::int64_t> first;
  for (const char* written : {"081234567890", "6281234567890", "+62 812-3456-7890",
                              "0062812 3456 7890", "(0812) 3456 7890"}) {
    auto phone = adapters::NormalizePhone(written);
    ASSERT_TRUE(phone.has_value()) << written;
    EXPECT_EQ(*phone, "6281234567890") << written;
    const auto citizen = Touch(*phone, kSms, 1000);
    if (!first) first = citizen;
    EXPECT_EQ(citizen, *first) << written;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM citizen_address"), 1);
  // Unnormalised input is refused rather than becoming a second citizen.
  auto raw = InWrite([](storage::Db& db) { return TouchInbound(db, "081234567890", kSms, 1); });
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(raw.error().message.find("0812"), std::string::npos) << "no address in errors";
}

TEST_F(CitizensTest, TouchInboundIsIdempotentAndNeverMovesBack) {
  const auto a = Touch("6281234567890", kWhatsApp, 5000);
  EXPECT_EQ(Touch("6281234567890", kWhatsApp, 5000), a);
  EXPECT_EQ(Touch("6281234567890", kWhatsApp, 4000), a) << "a provider's late retry";
  auto last =
      InWrite([](storage::Db& db) { return LastInbound(db, "6281234567890", "whatsapp:wa-main"); });
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last.value(), 5000);
  Touch("6281234567890", kWhatsApp, 9000);
  last =
      InWrite([](storage::Db& db) { return LastInbound(db, "6281234567890", "whatsapp:wa-main"); });
  EXPECT_EQ(last.value(), 9000);
  auto never =
      InWrite([](storage::Db& db) { return LastInbound(db, "6281234567890", "kannel:modem1"); });
  ASSERT_TRUE(never.ok());
  EXPECT_EQ(never.value(), std::nullopt);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM citizen"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM address_channel"), 1);
}

TEST_F(CitizensTest, TelegramContactJoinsTheKnownPhoneCitizen) {
  const auto phone_citizen = Touch("6281234567890", kWhatsApp, 1000);
  EXPECT_EQ(Link("tg:555", "6281234567890", 2000), phone_citizen);
  EXPECT_EQ(Owner("tg:555"), phone_citizen);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM citizen"), 1);
  // Idempotent.
  EXPECT_EQ(Link("tg:555", "6281234567890", 3000), phone_citizen);
  EXPECT_EQ(Addresses(phone_citizen).size(), 2u);
}

TEST_F(CitizensTest, TelegramContactWithUnknownPhoneAddsThePhone) {
  const auto tg_citizen = Touch("tg:555", kTelegram, 1000);
  EXPECT_EQ(Link("tg:555", "6281234567890", 2000), tg_citizen);
  EXPECT_EQ(Owner("6281234567890"), tg_citizen);
  auto phone = InWrite([&](storage::Db& db) { return PhoneOf(db, tg_citizen); });
  ASSERT_TRUE(phone.ok());
  EXPECT_EQ(phone.value(), "6281234567890");
}

TEST_F(CitizensTest, LinkingTwoUnknownAddressesMakesOneCitizen) {
  const auto c = Link("tg:777", "6281111222333", 1000);
  EXPECT_EQ(Owner("tg:777"), c);
  EXPECT_EQ(Owner("6281111222333"), c);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM citizen"), 1);
}

TEST_F(CitizensTest, TelegramCitizenIsMergedIntoThePhoneCitizen) {
  const auto phone_citizen = Touch("6281234567890", kSms, 1000);
  const auto tg_citizen = Touch("tg:555", kTelegram, 2000);
  ASSERT_NE(phone_citizen, tg_citizen);
  ASSERT_TRUE(InWrite([&](storage::Db& db) { return SetLanguage(db, tg_citizen, "jv"); }).ok());
  ASSERT_TRUE(InWrite([&](storage::Db& db) { return MarkOptedOut(db, "tg:555", 2500); }).ok());

  EXPECT_EQ(Link("tg:555", "6281234567890", 3000), phone_citizen);
  EXPECT_EQ(Owner("tg:555"), phone_citizen);
  // The old id still resolves, and everything asked through it answers for the merged one.
  auto resolved = InWrite([&](storage::Db& db) { return ResolveCitizen(db, tg_citizen); });
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved.value(), phone_citizen);
  EXPECT_EQ(Addresses(tg_citizen).size(), 2u);
  auto language = InWrite([&](storage::Db& db) { return LanguageOf(db, phone_citizen); });
  EXPECT_EQ(language.value(), "jv") << "the phone citizen had none: it takes the chat's";
  auto addresses = Addresses(phone_citizen);
  ASSERT_EQ(addresses.size(), 2u);
  EXPECT_EQ(addresses[1].address, "tg:555");
  EXPECT_EQ(addresses[1].kind, AddressKind::kTelegram);
  EXPECT_EQ(addresses[1].opted_out_at_ms, 2500) << "an opt-out moves with its address";
  ASSERT_EQ(addresses[1].channels.size(), 1u);
  EXPECT_EQ(addresses[1].channels[0].last_inbound_at_ms, 2000);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM citizen_address WHERE citizen_id = " +
                  std::to_string(tg_citizen)),
            0);
  // Idempotent after the merge too.
  EXPECT_EQ(Link("tg:555", "6281234567890", 4000), phone_citizen);

  // A later merge into the same citizen keeps every pointer one hop long.
  const auto other = Touch("6289999888777", kSms, 5000);
  Link("tg:555", "6289999888777", 6000);
  auto again = InWrite([&](storage::Db& db) { return ResolveCitizen(db, tg_citizen); });
  EXPECT_EQ(again.value(), other);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM citizen WHERE merged_into IS NOT NULL AND merged_into IN"
                  " (SELECT id FROM citizen WHERE merged_into IS NOT NULL)"),
            0);
  EXPECT_EQ(Addresses(other).size(), 3u);
}

TEST_F(CitizensTest, LinkPhoneRefusesSwappedArguments) {
  auto r = InWrite([](storage::Db& db) { return LinkPhone(db, "6281234567890", "tg:5", 1); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM citizen"), 0);
}

TEST_F(CitizensTest, OptOutIsPerAddressAndIdempotent) {
  const auto c = Touch("6281234567890", kSms, 1000);
  Link("tg:555", "6281234567890", 1500);
  auto opted = [&](std::string_view a) {
    auto r = InWrite([&](storage::Db& db) { return IsOptedOut(db, a); });
    EXPECT_TRUE(r.ok());
    return r.ok() && r.value();
  };
  ASSERT_TRUE(InWrite([](storage::Db& db) { return MarkOptedOut(db, "tg:555", 2000); }).ok());
  ASSERT_TRUE(InWrite([](storage::Db& db) { return MarkOptedOut(db, "tg:555", 3000); }).ok());
  EXPECT_TRUE(opted("tg:555"));
  EXPECT_FALSE(opted("6281234567890")) << "SMS still allowed";
  auto addresses = Addresses(c);
  ASSERT_EQ(addresses.size(), 2u);
  EXPECT_EQ(addresses[1].opted_out_at_ms, 2000) << "the first opt-out time is kept";
  EXPECT_FALSE(addresses[0].opted_out_at_ms.has_value());

  ASSERT_TRUE(InWrite([](storage::Db& db) { return ClearOptOut(db, "tg:555"); }).ok());
  ASSERT_TRUE(InWrite([](storage::Db& db) { return ClearOptOut(db, "tg:555"); }).ok());
  EXPECT_FALSE(opted("tg:555"));
  EXPECT_FALSE(opted("6280000000000")) << "unknown";
  ASSERT_TRUE(InWrite([](storage::Db& db) { return ClearOptOut(db, "6280000000000"); }).ok());
  EXPECT_EQ(Owner("6280000000000"), std::nullopt) << "clearing creates nothing";

  // An opt-out from an address never seen is kept: it creates the address.
  ASSERT_TRUE(
      InWrite([](storage::Db& db) { return MarkOptedOut(db, "6287777666555", 4000); }).ok());
  EXPECT_TRUE(opted("6287777666555"));
  // Inbound does not clear it: that is the dialog's decision.
  Touch("6287777666555", kSms, 5000);
  EXPECT_TRUE(opted("6287777666555"));
}

TEST_F(CitizensTest, PhoneOfPrefersReachableAndRecentlyActive) {
  const auto c = Link("tg:1", "6281111111111", 1000);
  Link("tg:1", "6282222222222", 2000);  // a second phone: added to the same citizen
  Touch("6281111111111", kSms, 5000);
  auto phone = InWrite([&](storage::Db& db) { return PhoneOf(db, c); });
  EXPECT_EQ(phone.value(), "6281111111111") << "the one that wrote most recently";
  ASSERT_TRUE(
      InWrite([](storage::Db& db) { return MarkOptedOut(db, "6281111111111", 6000); }).ok());
  phone = InWrite([&](storage::Db& db) { return PhoneOf(db, c); });
  EXPECT_EQ(phone.value(), "6282222222222") << "opted-out phones come last";
  const auto tg_only = Touch("tg:2", kTelegram, 1000);
  phone = InWrite([&](storage::Db& db) { return PhoneOf(db, tg_only); });
  ASSERT_TRUE(phone.ok());
  EXPECT_EQ(phone.value(), std::nullopt);
  phone = InWrite([](storage::Db& db) { return PhoneOf(db, 999); });
  ASSERT_TRUE(phone.ok());
  EXPECT_EQ(phone.value(), std::nullopt);
}

TEST_F(CitizensTest, LanguageGetAndSet) {
  const auto c = Touch("6281234567890", kWhatsApp, 1000);
  auto lang = InWrite([&](storage::Db& db) { return LanguageOf(db, c); });
  ASSERT_TRUE(lang.ok());
  EXPECT_EQ(lang.value(), std::nullopt);
  ASSERT_TRUE(InWrite([&](storage::Db& db) { return SetLanguage(db, c, "su"); }).ok());
  ASSERT_TRUE(InWrite([&](storage::Db& db) { return SetLanguage(db, c, "su"); }).ok());
  EXPECT_EQ(InWrite([&](storage::Db& db) { return LanguageOf(db, c); }).value(), "su");
  auto bad = InWrite([&](storage::Db& db) { return SetLanguage(db, c, "su'; DROP"); });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, core::ErrorCode::kInvalidArgument);
  auto missing = InWrite([](storage::Db& db) { return SetLanguage(db, 999, "id"); });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
  ASSERT_TRUE(InWrite([&](storage::Db& db) { return SetLanguage(db, c, ""); }).ok());
  EXPECT_EQ(InWrite([&](storage::Db& db) { return LanguageOf(db, c); }).value(), std::nullopt);
}

TEST_F(CitizensTest, ReadsWorkOnTheReaderThread) {
  const auto c = Touch("6281234567890", kWhatsApp, 1000);
  std::promise<core::Result<std::optional<std::int64_t>>> answer;
  store_->Read([&](storage::Db* db, const core::Error* error) {
    if (db == nullptr) return answer.set_value(*error);
    answer.set_value(CitizenOf(*db, "6281234567890"));
  });
  auto f = answer.get_future();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  auto r = f.get();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), c);
}

}  // namespace
}  // namespace satupintu::citizens
