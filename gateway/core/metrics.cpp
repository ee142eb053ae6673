#include "core/metrics.hpp"

#include <cstdio>
#include <stdexcept>

namespace satupintu::core {
namespace {

void AppendEscapedLabelValue(std::string& out, const std::string& value) {
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
}

// Serialises labels as `a="1",b="2"` (no braces); used as the map key and when rendering.
std::string LabelKey(const Labels& labels) {
  std::string out;
  for (const auto& [k, v] : labels) {
    if (!out.empty()) out.push_back(',');
    out += k;
    out += "=\"";
    AppendEscapedLabelValue(out, v);
    out.push_back('"');
  }
  return out;
}

std::string FormatDouble(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

void AppendSample(std::string& out, const std::string& name, const std::string& labels,
                  const std::string& value) {
  out += name;
  if (!labels.empty()) {
    out.push_back('{');
    out += labels;
    out.push_back('}');
  }
  out.push_back(' ');
  out += value;
  out.push_back('\n');
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::Observe(double value) {
  std::size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  double old = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(old, old + value, std::memory_order_relaxed)) {
  }
}

std::vector<std::uint64_t> Histogram::CumulativeCounts() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    out[i] = running;
  }
  return out;
}

double Histogram::Sum() const { return sum_.load(std::memory_order_relaxed); }

MetricsRegistry::Family& MetricsRegistry::GetFamily(const std::string& name,
                                                    const std::string& help, Type type) {
  auto [it, inserted] = families_.try_emplace(name, Family{type, help, {}, {}, {}, {}});
  if (!inserted && it->second.type != type) {
    throw std::logic_error("metric " + name + " registered with two types");
  }
  return it->second;
}

Counter& MetricsRegistry::GetCounter(const std::string& name, const std::string& help,
                                     const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = GetFamily(name, help, Type::kCounter).counters[LabelKey(labels)];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& MetricsRegistry::GetGauge(const std::string& name, const std::string& help,
                                 const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = GetFamily(name, help, Type::kGauge).gauges[LabelKey(labels)];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& MetricsRegistry::GetHistogram(const std::string& name, const std::string& help,
                                         const std::vector<double>& bounds, const Labels& labels) {
  std::lock_guard lock(mutex_);
  auto& slot = GetFamily(name, help, Type::kHistogram).histograms[LabelKey(labels)];
  if (!slot) slot = std::make_unique<Histogram>(bounds);
  return *slot;
}

void MetricsRegistry::SetCallbackGauge(const std::string& name, const std::string& help,
                                       std::function<double()> read) {
  std::lock_guard lock(mutex_);
  GetFamily(name, help, Type::kGauge).callback = std::move(read);
}

std::string MetricsRegistry::Render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out.reserve(4096);
  for (const auto& [name, family] : families_) {
    out += "# HELP " + name + " " + family.help + "\n";
    switch (family.type) {
      case Type::kCounter:
        out += "# TYPE " + name + " counter\n";
        for (const auto& [labels, c] : family.counters) {
          AppendSample(out, name, labels, std::to_string(c->Value()));
        }
        break;
      case Type::kGauge:
        out += "# TYPE " + name + " gauge\n";
        if (family.callback) AppendSample(out, name, "", FormatDouble(family.callback()));
        for (const auto& [labels, g] : family.gauges) {
          AppendSample(out, name, labels, std::to_string(g->Value()));
        }
        break;
      case Type::kHistogram:
        out += "# TYPE " + name + " histogram\n";
        for (const auto& [labels, h] : family.histograms) {
          const auto counts = h->CumulativeCounts();
          const std::string sep = labels.empty() ? "" : ",";
          for (std::size_t i = 0; i < h->bounds().size(); ++i) {
            AppendSample(out, name + "_bucket",
                         labels + sep + "le=\"" + FormatDouble(h->bounds()[i]) + "\"",
                         std::to_string(counts[i]));
          }
          AppendSample(out, name + "_bucket", labels + sep + "le=\"+Inf\"",
                       std::to_string(counts.back()));
          AppendSample(out, name + "_sum", labels, FormatDouble(h->Sum()));
          AppendSample(out, name + "_count", labels, std::to_string(h->Count()));
        }
        break;
    }
  }
  return out;
}

std::vector<double> LatencyBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

}  // namespace satupintu::core
