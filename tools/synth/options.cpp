#include "options.hpp"

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <optional>
#include <string>

#include "date.hpp"

namespace satupintu::synth {
namespace {

using core::ErrorCode;
using core::MakeError;

core::Error Bad(std::string_view flag, std::string_view why) {
  return MakeError(ErrorCode::kInvalidArgument,
                   std::string(flag) + ": " + std::string(why) + " (see --help)");
}

bool ParseCount(std::string_view text, std::uint64_t& out) {
  // Digits, optionally with a k (thousand) or m (million) suffix: --rows 10m.
  std::uint64_t multiplier = 1;
  if (!text.empty() && (text.back() == 'k' || text.back() == 'K')) {
    multiplier = 1000;
    text.remove_suffix(1);
  } else if (!text.empty() && (text.back() == 'm' || text.back() == 'M')) {
    multiplier = 1000000;
    text.remove_suffix(1);
  }
  std::uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) return false;
  out = value * multiplier;
  return true;
}

bool ParseRate(std::string_view text, double& out) {
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size() || !(value >= 0 && value <= 1)) {
    return false;
  }
  out = value;
  return true;
}

bool IsRegencyCode(std::string_view code) {
  return code.size() == 5 && code[2] == '.' && std::isdigit(static_cast<unsigned char>(code[0])) &&
         std::isdigit(static_cast<unsigned char>(code[1])) &&
         std::isdigit(static_cast<unsigned char>(code[3])) &&
         std::isdigit(static_cast<unsigned char>(code[4]));
}

}  // namespace

std::string_view Usage() {
  return R"(satupintu-synth: synthetic welfare-registry files (docs/registry-format.md)

  --regions-dir DIR      idn-area-data CSV files (default deploy/regions/node_modules/idn-area-data/data)
  --regency PP.RR        regency/city whose villages get the households (default 32.01)
  --rows N | --households N   data records, or whole families (default 1000 rows; 5k, 10m allowed)
  --format canonical|dtks-pipe
  --separator , or ;     canonical only (default ,)
  --snapshot-date YYYY-MM-DD  the extract's date; ages and periods end there (default 2025-10-01)
  --seed N               same seed, same file (default 1)
  --out FILE             '-' for stdout (default)
  --dirty RATE           share of records turned into anomalies (0..1), each kind in turn
  --typo-rate RATE       dtks-pipe: share of records with a one-letter typo in a region name
  --moved-share RATE     people whose NIK was issued elsewhere (default 0.05)
  --bom --crlf --truncate  byte-order mark; CRLF line ends; cut the last record mid-field
  --truth FILE           line,kind,expected,detail of every injected anomaly
)";
}

core::Result<Options> ParseArgs(std::span<const std::string_view> args) {
  Options o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view flag = args[i];
    auto value = [&]() -> std::optional<std::string_view> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (flag == "--help" || flag == "-h") {
      o.help = true;
      continue;
    }
    if (flag == "--bom") {
      o.bom = true;
      continue;
    }
    if (flag == "--crlf") {
      o.crlf = true;
      continue;
    }
    if (flag == "--truncate") {
      o.truncate = true;
      continue;
    }
    const auto v = value();
    if (!v) return Bad(flag, "needs a value");
    if (flag == "--regions-dir") {
      o.regions_dir = std::string(*v);
    } else if (flag == "--regency") {
      if (!IsRegencyCode(*v)) return Bad(flag, "expected a code like 32.01");
      o.regency = std::string(*v);
    } else if (flag == "--rows") {
      if (!ParseCount(*v, o.rows) || o.rows == 0) return Bad(flag, "expected a positive count");
    } else if (flag == "--households") {
      if (!ParseCount(*v, o.households) || o.households == 0) {
        return Bad(flag, "expected a positive count");
      }
    } else if (flag == "--format") {
      if (*v == "canonical") {
        o.format = Format::kCanonical;
      } else if (*v == "dtks-pipe") {
        o.format = Format::kDtksPipe;
      } else {
        return Bad(flag, "expected canonical or dtks-pipe");
      }
    } else if (flag == "--separator") {
      if (*v != "," && *v != ";") return Bad(flag, "expected , or ;");
      o.separator = (*v)[0];
    } else if (flag == "--snapshot-date") {
      if (!ParseIsoDate(*v)) return Bad(flag, "expected a real date YYYY-MM-DD");
      o.snapshot_date = std::string(*v);
    } else if (flag == "--seed") {
      if (!ParseCount(*v, o.seed)) return Bad(flag, "expected a number");
    } else if (flag == "--out") {
      o.out = std::string(*v);
    } else if (flag == "--dirty") {
      if (!ParseRate(*v, o.dirty)) return Bad(flag, "expected a rate between 0 and 1");
    } else if (flag == "--typo-rate") {
      if (!ParseRate(*v, o.typo_rate)) return Bad(flag, "expected a rate between 0 and 1");
    } else if (flag == "--moved-share") {
      if (!ParseRate(*v, o.moved_share)) return Bad(flag, "expected a rate between 0 and 1");
    } else if (flag == "--truth") {
      o.truth = std::string(*v);
    } else {
      return Bad(flag, "unknown option");
    }
  }
  if (o.rows != 0 && o.households != 0) {
    return Bad("--rows", "give --rows or --households, not both");
  }
  if (o.rows == 0 && o.households == 0) o.rows = 1000;
  if (o.format == Format::kDtksPipe && o.separator != ',') {
    return Bad("--separator", "only for the canonical format");
  }
  if (o.format == Format::kCanonical && o.typo_rate > 0) {
    return Bad("--typo-rate", "only for dtks-pipe (canonical rows carry village codes)");
  }
  return o;
}

}  // namespace satupintu::synth
