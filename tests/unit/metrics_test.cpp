#include "core/metrics.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace satupintu::core {
namespace {

TEST(MetricsTest, RendersCountersWithLabelsInPrometheusFormat) {
  MetricsRegistry registry;
  registry.GetCounter("x_total", "Things.", {{"route", "/a"}, {"status", "200"}}).Inc(3);
  registry.GetCounter("x_total", "Things.", {{"route", "/a"}, {"status", "503"}}).Inc();
  const std::string text = registry.Render();
  EXPECT_NE(text.find("# HELP x_total Things.\n# TYPE x_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("x_total{route=\"/a\",status=\"200\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("x_total{route=\"/a\",status=\"503\"} 1\n"), std::string::npos);
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
  MetricsRegistry registry;
  auto& h = registry.GetHistogram("lat_seconds", "Latency.", {0.1, 1}, {{"route", "/r"}});
  h.Observe(0.05);
  h.Observe(0.5);
  h.Observe(5);
  const std::string text = registry.Render();
  EXPECT_NE(text.find("lat_seconds_bucket{route=\"/r\",le=\"0.1\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_bucket{route=\"/r\",le=\"1\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_bucket{route=\"/r\",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_count{route=\"/r\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_sum{route=\"/r\"} 5.55"), std::string::npos);
}

TEST(MetricsTest, EscapesLabelValues) {
  MetricsRegistry registry;
  registry.GetGauge("g", "G.", {{"v", "a\"b\\c"}}).Set(2);
  EXPECT_NE(registry.Render().find("g{v=\"a\\\"b\\\\c\"} 2\n"), std::string::npos);
}

TEST(MetricsTest, CallbackGaugeIsReadAtRenderTime) {
  MetricsRegistry registry;
  double depth = 1;
  registry.SetCallbackGauge("depth", "Depth.", [&depth] { return depth; });
  depth = 7;
  EXPECT_NE(registry.Render().find("depth 7\n"), std::string::npos);
}

TEST(MetricsTest, ConcurrentIncrementsAreNotLost) {
  MetricsRegistry registry;
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&registry] {
      for (int i = 0; i < 10000; ++i) registry.GetCounter("c_total", "C.").Inc();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(registry.GetCounter("c_total", "C.").Value(), 40000u);
}

TEST(MetricsTest, SameNameWithTwoTypesIsABug) {
  MetricsRegistry registry;
  registry.GetCounter("dup", "D.");
  EXPECT_THROW(registry.GetGauge("dup", "D."), std::logic_error);
}

}  // namespace
}  // namespace satupintu::core
