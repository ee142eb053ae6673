// The operator's state gauges (issue 19 item 7, docs/metrics.md) on the real binary: a reply
// waiting for a Kannel that is down shows as the channel's backlog and its age; ticket counts
// and the certificate's remaining life are there from the start.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "gateway_harness.hpp"

namespace satupintu::testing {
namespace {

using namespace std::chrono_literals;

constexpr char kSecret[] = "metrics-mo-secret";

// The value of the first sample of `metric` (name and labels as written), or -1.
double Sample(const std::string& metrics, const std::string& metric) {
  const auto at = metrics.find("\n" + metric + " ");
  if (at == std::string::npos) return -1;
  return std::stod(metrics.substr(at + metric.size() + 2));
}

TEST(MetricsProcessTest, TheBacklogTicketsAndCertificateAreGauges) {
  TempDir dir;
  Gateway gw = StartGateway(dir, ConfigWith(dir, OfficeTestPatch()), "gw",
                            {"SATUPINTU_TEST_KANNEL_PASSWORD=pw-metrics",
                             std::string("SATUPINTU_TEST_KANNEL_SECRET=") + kSecret});
  ASSERT_NE(gw.ports.private_port, 0) << gw.Log();
  const std::string backlog = "satupintu_outbox_backlog_parts{channel=\"kannel:dinsos\"}";
  // Each scrape asks for a fresh reading, which the next scrape shows.
  const auto scrape_until = [&](const std::function<bool(const std::string&)>& done) {
    std::string body = Get(gw.ports.private_port, "/metrics").body;
    for (const auto until = std::chrono::steady_clock::now() + 15s;
         !done(body) && std::chrono::steady_clock::now() < until;) {
      std::this_thread::sleep_for(100ms);
      body = Get(gw.ports.private_port, "/metrics").body;
    }
    return body;
  };
  std::string metrics = scrape_until([](const std::string& m) {
    return Sample(m, "satupintu_tls_certificate_expiry_seconds") > 0;
  });
  EXPECT_EQ(Sample(metrics, "satupintu_tickets_open"), 0) << metrics;
  EXPECT_GT(Sample(metrics, "satupintu_store_free_disk_bytes"), 0);
  EXPECT_GT(Sample(metrics, "satupintu_store_size_bytes"), 0);
  EXPECT_EQ(Sample(metrics, "satupintu_tickets_overdue"), 0);
  // The self-signed certificate made at the first start lives for months.
  EXPECT_GT(Sample(metrics, "satupintu_tls_certificate_expiry_seconds"), 30 * 86400.0);

  // A citizen writes; the menu waits, since Kannel's sendsms port answers nobody.
  ASSERT_EQ(Get(gw.ports.private_port, KannelMoTarget("6281234567890", "halo", 1, kSecret)).status,
            200);
  metrics = scrape_until([&](const std::string& m) { return Sample(m, backlog) >= 1; });
  EXPECT_GE(Sample(metrics, backlog), 1) << metrics;
  EXPECT_GE(Sample(metrics, "satupintu_outbox_oldest_queued_seconds{channel=\"kannel:dinsos\"}"),
            0);
  EXPECT_EQ(StopGateway(gw), 0) << gw.Log();
}

}  // namespace
}  // namespace satupintu::testing
